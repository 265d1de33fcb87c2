"""``cchc score FRAMEWORK SCORES``: results of a spreadsheet of scores, as JSON, CSV or XLSX.

SCORES is a CSV or XLSX whose header is ``unit`` then criterion codes (components or any
nodes; a node given replaces its subtree), optionally a ``block`` column: units are ranked
within their block. Every problem is reported with its row and column, and nothing is
output when there is one (issue 5). Plain module: no Django import.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import orjson

from cchc.core import reading
from cchc.core.formatting import round_half_up, to_decimal
from cchc.core.tabular import cell_text, csv_writer, workbook_bytes
from cchc.evaluations.results import UnitInput, UnitResult, compute_results
from cchc.evaluations.scoring import ScoreError, check_points
from cchc.frameworks.spec import Framework, FrameworkError, load_framework, plain_number

UNIT_COLUMN = "unit"
BLOCK_COLUMN = "block"
FORMATS = ("json", "csv", "xlsx")

ERR_FILE_TYPE = "chỉ đọc được tệp .csv hoặc .xlsx"
ERR_EMPTY_FILE = "tệp không có dòng tiêu đề"
ERR_NO_UNIT_COLUMN = "cột đầu tiên phải là unit"
ERR_UNKNOWN_COLUMN = "không có tiêu chí mã này trong bộ chỉ số"
ERR_DUPLICATE_COLUMN = "cột bị lặp"
ERR_MISSING_COLUMN = "thiếu cột điểm của lĩnh vực (hoặc của các tiêu chí con của nó)"
ERR_NO_UNIT = "thiếu tên đơn vị"
ERR_DUPLICATE_UNIT = "đơn vị đã có ở dòng {row}"
ERR_NOT_NUMBER = "không phải là số: {value!r}"
ERR_EMPTY_CELL = "ô trống: chưa có điểm"
ERR_OVERLAP = "đã có điểm ở cột {other} (cột cấp trên hoặc cấp dưới của cột này)"
ERR_NO_ROWS = "tệp không có dòng điểm nào"
ERR_FORMAT = "định dạng không hỗ trợ: {fmt} (json, csv hoặc xlsx)"


@dataclass(frozen=True)
class BatchProblem:
    row: int  # spreadsheet row number, the header being row 1
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"dòng {self.row}" + (f", cột {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class BatchError(ValueError):
    """Every problem found in a scores file; the command prints them and no results."""

    def __init__(self, problems: Sequence[BatchProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --------------------------------------------------------------------------- reading


def read_table(path: str | Path) -> list[list[Any]]:
    """Rows of a CSV (UTF-8, with or without BOM) or the first sheet of an XLSX, read
    through core/reading.py: its limits (rows, columns, cell length, XLSX size) hold, and a
    file it refuses (an encoding that is not UTF-8, a broken quote) becomes a BatchError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise BatchError([BatchProblem(0, None, ERR_FILE_TYPE)])
    try:
        if suffix == ".csv":
            table = reading.csv_table(path)
            return [table.header, *(values for _, values in table.records)]
        return [list(row) for row in reading.xlsx_records(path)]
    except reading.TableErrors as error:
        raise BatchError(
            [BatchProblem(e.row or 0, e.column, e.message) for e in error.errors]
        ) from None


def _cell_number(value: Any) -> Decimal | None:
    """A number from a cell; '' -> None; raises ValueError for text that is not a number."""
    if type(value) is str:
        # most cells of a scores file are plain numbers: read at once (Decimal allows
        # spaces around); the rest (blank, decimal comma, spaces inside) below
        try:
            number = Decimal(value)
        except InvalidOperation:
            pass
        else:
            if not number.is_finite():
                raise ValueError(value)
            return number
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float, Decimal)):
        number = to_decimal(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # 11,84: Vietnamese decimal comma
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    return number


def parse_scores(fw: Framework, rows: list[list[Any]]) -> list[UnitInput]:
    """Unit inputs from table rows; raises BatchError with every problem (row, column)."""
    problems: list[BatchProblem] = []
    if not rows or not any(cell_text(c) for c in rows[0]):
        raise BatchError([BatchProblem(1, None, ERR_EMPTY_FILE)])
    header = [cell_text(c) for c in rows[0]]
    while header and not header[-1]:
        header.pop()
    if not header or header[0].lower() != UNIT_COLUMN:
        raise BatchError([BatchProblem(1, header[0] if header else None, ERR_NO_UNIT_COLUMN)])
    block_col: int | None = None
    score_cols: dict[int, str] = {}
    for position, name in enumerate(header[1:], start=1):
        if name.lower() == BLOCK_COLUMN and block_col is None:
            block_col = position
            continue
        if not fw.has(name):
            problems.append(BatchProblem(1, name or f"#{position + 1}", ERR_UNKNOWN_COLUMN))
            continue
        if name in score_cols.values():
            problems.append(BatchProblem(1, name, ERR_DUPLICATE_COLUMN))
            continue
        score_cols[position] = name
    given_codes = set(score_cols.values())
    for leaf in fw.leaves():
        chain = [leaf.code, *fw.ancestors(leaf.code)]
        if not given_codes.intersection(chain):
            component = chain[-1]
            if not any(p.column == component for p in problems):
                problems.append(BatchProblem(1, component, ERR_MISSING_COLUMN))
    if problems:
        raise BatchError(problems)

    # Columns that neither overlap (a node and one of its descendants) nor leave a leaf
    # uncovered: a row with every cell filled is then covered exactly once without walking
    # the tree again (issue 18: 3,321 rows).
    all_columns = set(score_cols.values())
    clean_header = not _coverage_problems(fw, 1, all_columns, score_cols)
    inputs: list[UnitInput] = []
    seen_units: dict[tuple[str | None, str], int] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * (len(header) - len(row))
        if not any(cell_text(c) for c in cells):
            continue  # blank line
        unit = cell_text(cells[0])
        block = (cell_text(cells[block_col]) or None) if block_col is not None else None
        if not unit:
            problems.append(BatchProblem(row_number, UNIT_COLUMN, ERR_NO_UNIT))
            continue
        if (block, unit) in seen_units:
            problems.append(
                BatchProblem(
                    row_number,
                    UNIT_COLUMN,
                    ERR_DUPLICATE_UNIT.format(row=seen_units[(block, unit)]),
                )
            )
            continue
        seen_units[(block, unit)] = row_number
        scores: dict[str, Decimal] = {}
        filled: set[str] = set()  # cells with something in them, valid or not
        for position, code in score_cols.items():
            raw = cells[position]
            try:
                number = _cell_number(raw)
            except ValueError:
                filled.add(code)
                problems.append(
                    BatchProblem(
                        row_number,
                        code,
                        ERR_NOT_NUMBER.format(value=reading.excerpt(cell_text(raw))),
                    )
                )
                continue
            if number is None:
                continue
            filled.add(code)
            try:
                scores[code] = check_points(fw.node(code), number)
            except ScoreError as exc:
                problems.append(BatchProblem(row_number, code, exc.message))
        if not (clean_header and len(filled) == len(all_columns)):
            problems.extend(_coverage_problems(fw, row_number, filled, score_cols))
        inputs.append(UnitInput(unit=unit, block=block, scores=scores))
    if not inputs and not problems:
        problems.append(BatchProblem(2, None, ERR_NO_ROWS))
    if problems:
        raise BatchError(problems)
    return inputs


def _coverage_problems(
    fw: Framework, row: int, scores: set[str], score_cols: dict[int, str]
) -> list[BatchProblem]:
    """Each leaf must be covered by exactly one filled cell: itself or one ancestor."""
    problems: list[BatchProblem] = []
    reported: set[str] = set()
    for code in scores:
        for ancestor in fw.ancestors(code):
            if ancestor in scores and code not in reported:
                reported.add(code)
                problems.append(BatchProblem(row, code, ERR_OVERLAP.format(other=ancestor)))
    columns = list(score_cols.values())
    for leaf in fw.leaves():
        chain = [leaf.code, *fw.ancestors(leaf.code)]
        if any(code in scores for code in chain):
            continue
        # Name the highest column that could have covered this leaf.
        column = next(code for code in reversed(chain) if code in columns)
        if column not in reported:
            reported.add(column)
            problems.append(BatchProblem(row, column, ERR_EMPTY_CELL))
    return problems


# --------------------------------------------------------------------------- writing


def result_rows(
    fw: Framework,
    results: Sequence[UnitResult],
    number: Callable[[Decimal], Any] | None = None,
) -> list[dict[str, Any]]:
    """The JSON shape of issue 5: score exact; index and percent rounded half-up to 2 places.

    ``number``: what each Decimal becomes (to_json: a ready JSON fragment); as is by default."""
    with_block = any(r.block is not None for r in results)
    num = number or _same
    # With fragments (to_json, written at once and dropped), one dict per shared
    # ComponentResult (results.results_from_scores shares them; issue 18); otherwise each
    # row has its own dicts, which a page may change.
    component_rows: dict[int, tuple[Any, dict[str, Any]]] | None = (
        {} if number is not None else None
    )

    def component_row(c: Any) -> dict[str, Any]:
        if component_rows is not None:
            found = component_rows.get(id(c))
            if found is not None and found[0] is c:
                return found[1]
        made = {
            "score": num(c.score),
            "max": num(c.max),
            "percent": num(round_half_up(c.percent, 2)),
            "rank": c.rank.rank,
            "rank_of": c.rank.of,
        }
        if component_rows is not None:
            component_rows[id(c)] = (c, made)
        return made

    rows = []
    for r in results:
        row: dict[str, Any] = {"unit": r.unit}
        if with_block:
            row["block"] = r.block
        row["score"] = num(r.total)
        row["max"] = num(r.max)
        row["index"] = num(round_half_up(r.index, 2))
        row["rank"] = r.rank.rank
        row["rank_of"] = r.rank.of
        row["grade"] = r.grade.code if r.grade else None
        row["components"] = {c.code: component_row(c) for c in r.components.values()}
        row["remediation"] = list(r.remediation)
        row["owes_remediation"] = r.owes_remediation
        rows.append(row)
    return rows


def _same(value: Decimal) -> Decimal:
    return value


def _decimal(value: Any) -> Any:
    """Decimals as exact numbers (87.747, never 87.74700000000001), written as they are."""
    if isinstance(value, Decimal):
        return orjson.Fragment(plain_number(value).encode())
    raise TypeError(f"không ghi được giá trị kiểu {type(value).__name__} ra JSON")


def _fragments() -> Callable[[Decimal], Any]:
    """Decimal -> its JSON fragment, made once per value: maxima, rounded percentages and
    two-decimal scores repeat thousands of times in a country's results (issue 18). The text
    of a value that is not negative depends on its value alone (1.50 and 1.5 both write 1.5);
    -0 writes "-0", so signed values are never cached."""
    made: dict[Decimal, Any] = {}

    def fragment(value: Decimal) -> Any:
        if value.is_signed():
            return _decimal(value)
        found = made.get(value)
        if found is None:
            found = made[value] = _decimal(value)
        return found

    return fragment


def to_json(fw: Framework, results: Sequence[UnitResult]) -> str:
    """The results as JSON indented by two spaces, UTF-8 text unescaped: one serializer call
    for the whole file (issue 18; a writer calling json.dumps once per value took about
    1.5 s for 3,321 communes), the Decimals already fragments. The bytes are those of
    json.dumps(indent=2, ensure_ascii=False) with exact Decimals, which
    tests/evaluations/test_batch.py holds."""
    return dumps(result_rows(fw, results, _fragments())) + "\n"


def dumps(data: Any) -> str:
    """Any rows as that JSON (exact Decimals, two-space indent, UTF-8 unescaped)."""
    return orjson.dumps(data, default=_decimal, option=orjson.OPT_INDENT_2).decode()


def table_header(fw: Framework, results: Sequence[UnitResult]) -> list[str]:
    header = ["rank", "rank_of", "unit"]
    if any(r.block is not None for r in results):
        header.insert(0, "block")
    header += ["score", "max", "index", "grade"]
    for c in fw.criteria:
        header += [c.code, f"{c.code} %", f"{c.code} rank", f"{c.code} rank_of"]
    header += ["remediation", "owes_remediation"]
    return header


def table_rows(fw: Framework, results: Sequence[UnitResult]) -> list[list[Any]]:
    with_block = any(r.block is not None for r in results)
    out = []
    for r in results:
        row: list[Any] = [r.rank.rank, r.rank.of, r.unit]
        if with_block:
            row.insert(0, r.block or "")
        row += [r.total, r.max, round_half_up(r.index, 2), r.grade.code if r.grade else ""]
        for c in fw.criteria:
            comp = r.components[c.code]
            row += [comp.score, round_half_up(comp.percent, 2), comp.rank.rank, comp.rank.of]
        row += [";".join(r.remediation), "x" if r.owes_remediation else ""]
        out.append(row)
    return out


def to_csv(fw: Framework, results: Sequence[UnitResult]) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(table_header(fw, results))
    for row in table_rows(fw, results):
        writer.writerow([plain_number(v) if isinstance(v, Decimal) else v for v in row])
    return buffer.getvalue()


def to_xlsx(fw: Framework, results: Sequence[UnitResult]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Kết quả"
    sheet.append(table_header(fw, results))
    for row in table_rows(fw, results):
        sheet.append(row)
    return workbook_bytes(book)  # unit names are data: no cell may be a formula


# --------------------------------------------------------------------------- entry point


def score_file(fw: Framework, scores_path: str | Path) -> list[UnitResult]:
    """Results of a scores file; BatchError (row, column) on any problem."""
    inputs = parse_scores(fw, read_table(scores_path))
    return compute_results(fw, inputs)


def run(
    framework: Framework | str | Path, scores_path: str | Path, fmt: str = "json"
) -> bytes | str:
    """The ``cchc score`` command without its CLI: JSON/CSV text or XLSX bytes.

    ``framework``: a loaded Framework or the path of a YAML file (the command resolves a
    framework code to a Framework itself). Raises FrameworkError or BatchError.
    """
    if fmt not in FORMATS:
        raise ValueError(ERR_FORMAT.format(fmt=fmt))
    fw = framework if isinstance(framework, Framework) else load_framework(Path(framework))
    results = score_file(fw, scores_path)
    if fmt == "json":
        return to_json(fw, results)
    if fmt == "csv":
        return to_csv(fw, results)
    return to_xlsx(fw, results)


__all__ = [
    "BatchError",
    "BatchProblem",
    "FrameworkError",
    "parse_scores",
    "read_table",
    "result_rows",
    "run",
    "score_file",
    "to_csv",
    "to_json",
    "to_xlsx",
]
