"""Reading the statistics CSV/XLSX format: streaming, every error named, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from cchc.dossiers import imports
from cchc.dossiers.rows import (
    BAD_CHANNEL,
    BAD_DATE,
    BAD_FLAG,
    BAD_INTAKE,
    COLUMNS,
    DUE_BEFORE_RECEIVED,
    DUPLICATE,
    EMPTY_FILE,
    FINISHED_BEFORE_RECEIVED,
    MISSING_COLUMN,
    REQUIRED,
    UNSUPPORTED_FILE,
    RowErrors,
    load_rows,
    read_csv,
    read_rows,
    read_xlsx,
    write_csv,
)
from cchc.dossiers.stats import DossierRow

D = dt.date
HEADER = ",".join(COLUMNS[:-1])
GOOD = "H1,A,P1,truc_tuyen,2023-03-01T16:45:00,2023-03-03,2023-03-02 09:00,full,1,0"


def csv_of(*lines: str) -> io.StringIO:
    return io.StringIO("\n".join(lines) + "\n")


def test_reads_dates_datetimes_and_flags() -> None:
    rows = list(
        read_csv(
            csv_of(
                HEADER,
                GOOD,
                "H2,A,P1,truc_tiep,2023-03-01,,,partial,0,1",
                "",  # blank lines are skipped
                "H3,B,P2, Buu_Chinh ,2023-03-01T23:30:00Z,2023-03-10,,none,0,0",
            )
        )
    )
    assert rows[0] == DossierRow(
        "H1",
        "A",
        "P1",
        "truc_tuyen",
        D(2023, 3, 1),
        D(2023, 3, 3),
        D(2023, 3, 2),
        "full",
        True,
        False,
    )
    assert (rows[1].due, rows[1].finished, rows[1].paid_online) == (None, None, True)
    # 23:30 UTC is 06:30 on 2/3 in Vietnam
    assert rows[2].received == D(2023, 3, 2) and rows[2].channel == "buu_chinh"


def test_columns_in_any_order_with_extras_bom_and_semicolons() -> None:
    text = (
        "\ufeffPaid_Online;Result_Digitized;Intake_Digitized;finished_at;due_at;received_at;"
        "channel;procedure;unit;code;ten_thu_tuc;field\n"
        "1;1;full;;2023-05-02;2023-04-28;truc_tuyen;P1;A;H9;Chứng thực bản sao;Chứng thực\n"
    )
    (only,) = read_csv(io.BytesIO(text.encode("utf-8")))
    assert (only.code, only.paid_online, only.field) == ("H9", True, "Chứng thực")


def test_every_error_is_named_and_nothing_is_kept() -> None:
    source = csv_of(
        HEADER,
        GOOD,
        "H2,A,P1,email,2023-03-01,,,most,2,yes",  # channel, intake, two flags
        "H3,A,,truc_tiep,2023-02-30,,,full,0,0",  # procedure missing, no such date
        "H4,A,P1,truc_tiep,2023-03-05,2023-03-04,2023-03-04,full,0,0",  # due, finished before
        "H1,A,P1,truc_tiep,2023-03-05,,,full,0,",  # duplicate of row 2 (empty flag: 0)
        GOOD.replace("H1", "H6"),
    )
    yielded: list[DossierRow] = []
    with pytest.raises(RowErrors) as info:
        for r in read_csv(source):
            yielded.append(r)
    # rows before the first bad one may have been handed out; none after it
    assert [r.code for r in yielded] == ["H1"]
    got = [(e.row, e.column, e.code, e.value) for e in info.value.errors]
    assert got == [
        (3, "channel", BAD_CHANNEL, "email"),
        (3, "intake_digitized", BAD_INTAKE, "most"),
        (3, "result_digitized", BAD_FLAG, "2"),
        (3, "paid_online", BAD_FLAG, "yes"),
        (4, "procedure", REQUIRED, ""),
        (4, "received_at", BAD_DATE, "2023-02-30"),
        (5, "finished_at", FINISHED_BEFORE_RECEIVED, "2023-03-04"),
        (5, "due_at", DUE_BEFORE_RECEIVED, "2023-03-04"),
        (6, "code", DUPLICATE, "H1"),
    ]
    assert info.value.rows == [3, 4, 5, 6]
    message = str(info.value)
    assert "Dòng 3, cột channel" in message and "(giá trị 'email')" in message
    assert "đã có ở dòng 2" in message


def test_missing_columns_are_named() -> None:
    """The import's required columns and due_at (the statistics judge by the file's due
    dates); the others may be absent."""
    with pytest.raises(RowErrors) as info:
        list(read_csv(csv_of("code,unit,channel,received_at", "H1,A,truc_tuyen,2023-03-01")))
    assert [(e.row, e.column, e.code) for e in info.value.errors] == [
        (1, "procedure", MISSING_COLUMN),
        (1, "due_at", MISSING_COLUMN),
    ]
    assert "Thiếu cột bắt buộc 'procedure'" in str(info.value)
    with pytest.raises(RowErrors) as empty:
        list(read_csv(io.StringIO("")))
    assert empty.value.errors[0].code == EMPTY_FILE


def test_the_import_format_read_for_statistics() -> None:
    """The file format is the import's (imports.format): Vietnamese headers, labels and
    spellings, DD/MM/YYYY dates, the optional columns with the import's defaults."""
    source = csv_of(
        "Mã hồ sơ,Mã đơn vị,Mã TTHC,Kênh tiếp nhận,Ngày tiếp nhận,Hạn giải quyết,"
        "Ngày có kết quả,Phí lệ phí",
        "H1,A,P1,Trực tuyến,01/03/2023 16:45,03/03/2023,02/03/2023 09:00,50.000",
        "H2,A,P1,BCCI,2023-03-01,,,",
    )
    rows = list(read_csv(source))
    assert rows[0] == DossierRow(
        "H1", "A", "P1", "truc_tuyen", D(2023, 3, 1), D(2023, 3, 3), D(2023, 3, 2), "none",
        False, False, None, fee=50000,
    )  # fmt: skip
    assert (rows[1].channel, rows[1].due, rows[1].finished) == ("buu_chinh", None, None)
    with pytest.raises(RowErrors) as info:
        list(read_csv(csv_of(HEADER, GOOD.replace("truc_tuyen", "fax"))))
    error = info.value.errors[0]
    assert error.message == imports.ERR_BAD_CHOICE.format(
        expected="truc_tiep, truc_tuyen, buu_chinh"
    )
    assert "(giá trị 'fax')" in str(info.value)


def test_duplicates_can_be_left_to_the_database() -> None:
    rows = list(read_csv(csv_of(HEADER, GOOD, GOOD), check_duplicates=False))
    assert len(rows) == 2


def test_max_errors() -> None:
    bad = "H{},A,P1,email,2023-03-01,,,full,0,0"
    lines = [HEADER] + [bad.format(i) for i in range(100)]
    with pytest.raises(RowErrors) as info:
        list(read_csv(csv_of(*lines), max_errors=10))
    assert len(info.value.errors) == 10


def test_xlsx(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    sheet.append(
        ["H1", "A", "P1", "truc_tuyen", dt.datetime(2023, 3, 1, 16, 45), "2023-03-03",
         dt.datetime(2023, 3, 2, 9, 0), "full", 1, 0, "Hộ tịch"]
    )  # fmt: skip
    sheet.append(
        ["H2", "A", "P1", "truc_tiep", dt.date(2023, 3, 1), None, None, "none", True, False]
    )
    sheet.append([None] * len(COLUMNS))
    path = tmp_path / "dossiers.xlsx"
    workbook.save(path)
    rows = list(read_rows(path))
    assert rows[0] == DossierRow(
        "H1", "A", "P1", "truc_tuyen", D(2023, 3, 1), D(2023, 3, 3), D(2023, 3, 2), "full", True,
        False, "Hộ tịch",
    )  # fmt: skip
    assert (rows[1].code, rows[1].due, rows[1].result_digitized) == ("H2", None, True)

    sheet.append(["H3", "A", "P1", "truc_tiep", 45000, None, None, "full", 3, 0])
    workbook.save(path)
    with pytest.raises(RowErrors) as info:
        list(read_xlsx(path))
    assert [(e.row, e.column, e.code) for e in info.value.errors] == [
        (5, "received_at", BAD_DATE),
        (5, "result_digitized", BAD_FLAG),
    ]


def test_unsupported_file(tmp_path: Path) -> None:
    with pytest.raises(RowErrors) as info:
        read_rows(tmp_path / "dossiers.ods")
    assert info.value.errors[0].code == UNSUPPORTED_FILE


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    rows = [
        DossierRow("H1", "A", "P1", "truc_tuyen", D(2023, 3, 1), D(2023, 3, 3), None, "partial",
                   False, True, "Hộ tịch"),
        DossierRow("H2", "B", "P2", "buu_chinh", D(2023, 3, 1), None, D(2023, 3, 1), "none",
                   True, False),
    ]  # fmt: skip
    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(rows, handle)
    assert load_rows(path) == rows


def test_streams_without_reading_ahead() -> None:
    # the reader pulls lines as rows are consumed: the 2nd row is parsed before the
    # source's later lines are read
    pulled: list[str] = []

    class Source(io.StringIO):
        def __next__(self) -> str:
            line = super().__next__()
            pulled.append(line)
            return line

    lines = [HEADER] + [GOOD.replace("H1", f"H{i}") for i in range(1000)]
    iterator = read_csv(Source("\n".join(lines) + "\n"))
    next(iterator)
    assert len(pulled) < 20
