"""`cchc demo`: sample data of every app (Hải Phòng) and the sample accounts."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from cchc.core.services import coverage_rebuild
from cchc.dossiers import demo as dossiers
from cchc.evaluations import demo as evaluations
from cchc.evaluations.models import Cycle, CycleState
from cchc.evaluations.services import cycle_metrics_refresh
from cchc.plans import demo as plans
from cchc.reports import demo as reports
from cchc.service_index import demo as service_index
from cchc.surveys import services as surveys
from cchc.units import demo as units_demo
from cchc.units.roles import role_label


class Command(BaseCommand):
    help = (
        "Chuẩn bị dữ liệu mẫu (Hải Phòng) và in các tài khoản mẫu. Chạy lại nhiều lần vẫn an toàn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--serve", action="store_true", help="chạy máy chủ sau khi chuẩn bị")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            ctx = units_demo.load()
        # Each app with demo data has cchc.<app>.demo.load(ctx); order matters (figures feed
        # results).
        # The evaluations demo gets what it needs of the apps above and beside it from here.
        parts = evaluations.Parts(
            survey_result_set=surveys.survey_result_set,
            survey_results_import=surveys.survey_results_import,
            former_dossiers=dossiers.load_former_dossiers,
        )
        for app, load in [
            ("dossiers", dossiers.load),
            ("service_index", service_index.load),
            ("evaluations", lambda ctx: evaluations.load(ctx, parts)),
            ("plans", plans.load),
            ("reports", reports.load),
        ]:
            self.stdout.write(f"  … dữ liệu mẫu: {app}")
            load(ctx)
        # The demo's data records what it covers, as an import or entry would.
        coverage_rebuild(origin="dữ liệu mẫu")
        # Plans load after the evaluation cycles: measure the open cycles again so their
        # metric criteria read the plans (issue 14: 1.2 read "chưa có số liệu").
        for cycle in Cycle.objects.exclude(state__in=[CycleState.FINALISED, CycleState.PUBLISHED]):
            cycle_metrics_refresh(cycle=cycle)
        host = options["addrport"]
        self.stdout.write(self.style.SUCCESS(f"\nCCHC sẵn sàng tại http://{host}/"))
        self.stdout.write(f"Tài khoản mẫu (mật khẩu: {units_demo.PASSWORD}):")
        width = max(len(account.username) for account in ctx.accounts)
        for account in ctx.accounts:
            role = role_label(
                account.role,
                account.full_name if "Nội vụ" in account.full_name else str(account.unit),
            )
            self.stdout.write(
                f"  {account.username:<{width}}  {role:<28} {account.full_name}, {account.unit}"
            )
        if options["serve"]:
            call_command("runserver", host, use_reloader=False)
