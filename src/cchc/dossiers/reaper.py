"""Dossier imports whose process died are marked failed (issue 13), through the shell's
reaper (cchc.core.reaper), registered in DossiersConfig.ready(): with the job that ran them,
and on every sweep (the worker starting, the next import)."""

from __future__ import annotations

import datetime as dt

from cchc.core.models import Job
from cchc.core.reaper import Reaper, is_dead_row
from cchc.dossiers.models import DossierImport

ERR_IMPORT_DIED = (
    "Tiến trình đã dừng giữa chừng (máy {host}, tiến trình {pid}); không có hồ sơ nào được "
    "ghi (nhập tất cả hoặc không). Hãy nhập lại tệp."
)


def _fail_import(record: DossierImport, now: dt.datetime) -> bool:
    running = DossierImport.ImportStatus.RUNNING
    message = ERR_IMPORT_DIED.format(host=record.host or "?", pid=record.pid or "?")
    return bool(
        DossierImport.objects.filter(pk=record.pk, status=running).update(
            status=DossierImport.ImportStatus.FAILED,
            finished_at=now,
            errors=[{"row": None, "column": None, "message": message}],
        )
    )


def fail_imports_of(job: Job, now: dt.datetime) -> None:
    """The imports a dead job was running."""
    for record in DossierImport.objects.filter(job=job, status=DossierImport.ImportStatus.RUNNING):
        _fail_import(record, now)


def reap_dead_imports(now: dt.datetime) -> int:
    """Every running import whose process is gone; how many."""
    count = 0
    for record in DossierImport.objects.filter(status=DossierImport.ImportStatus.RUNNING):
        if is_dead_row(record, now):
            count += _fail_import(record, now)
    return count


REAPER = Reaper(of_job=fail_imports_of, sweep=reap_dead_imports)
