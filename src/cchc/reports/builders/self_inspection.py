"""The notice of a unit's self-inspection results (seed 002, Thanh Xá 2023): what the
inspection team found per CCHC component, the shortcomings, the recommendations and the
date by which the remediation is reported.

The findings and recommendations are the inspection's own records (plans app); the
dossier figures of the year to the inspection are computed from the dossiers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cchc.core.formatting import vn_date
from cchc.documents.document import AdministrativeDocument, Block, Heading, Paragraph
from cchc.reports.builders.common import Frame, count, make_document, narrative
from cchc.reports.builders.dossier_section import DossierFigures, dossier_paragraphs


@dataclass(frozen=True)
class ComponentFindings:
    label: str  # "Cải cách thủ tục hành chính"
    results: Sequence[str] = ()
    shortcomings: Sequence[str] = ()
    recommendations: Sequence[tuple[str, object | None]] = ()  # (text, due date)
    is_tthc: bool = False  # where the dossier figures go


@dataclass(frozen=True)
class SelfInspectionData:
    year: int
    title: str
    inspecting_body: str
    decision: str  # "Quyết định số 137/QĐ-UBND ngày 22/8/2023"
    start: object
    end: object
    members: Sequence[str] = ()
    conclusion: str = ""
    components: Sequence[ComponentFindings] = field(default_factory=tuple)
    report_due_on: object | None = None
    dossiers: DossierFigures | None = None


def build_self_inspection(
    frame: Frame, text: Mapping[str, str], data: SelfInspectionData
) -> AdministrativeDocument:
    body: list[Block] = []
    basis = (text.get("basis") or "").strip()
    if basis:
        body += narrative(basis)
    elif data.decision:
        body.append(
            Paragraph.of(
                f"Thực hiện {data.decision} về việc kiểm tra công tác cải cách hành chính năm "
                f"{data.year};"
            )
        )
    body.append(
        Paragraph.of(
            f"Căn cứ kết quả kiểm tra của {data.inspecting_body} (từ ngày "
            f"{vn_date(data.start)} đến ngày {vn_date(data.end)}), "  # type: ignore[arg-type]
            f"{frame.self_name} thông báo kết quả tự kiểm tra như sau:"
        )
    )
    body.append(Heading(1, "I. ĐÁNH GIÁ CHUNG"))
    body.append(Heading(2, "1. Kết quả đạt được"))
    strengths = (text.get("strengths") or "").strip() or data.conclusion
    body += narrative(strengths)
    body.append(Heading(2, "2. Kết quả kiểm tra"))
    shown = [c for c in data.components if c.results or (c.is_tthc and data.dossiers)]
    for i, comp in enumerate(shown, start=1):
        body.append(Heading(3, f"2.{i}. {comp.label}"))
        body += [Paragraph.of(f"- {line}") for line in comp.results]
        if comp.is_tthc and data.dossiers is not None:
            body += dossier_paragraphs(data.dossiers)
    if data.dossiers is not None and not any(c.is_tthc for c in shown):
        body.append(Heading(3, f"2.{len(shown) + 1}. Kết quả giải quyết hồ sơ thủ tục hành chính"))
        body += dossier_paragraphs(data.dossiers)
    body.append(Heading(2, "3. Tồn tại, hạn chế"))
    with_shortcomings = [c for c in data.components if c.shortcomings]
    total = sum(len(c.shortcomings) for c in with_shortcomings)
    if total:
        body.append(
            Paragraph.of(
                "Qua kiểm tra đã chỉ ra ",
                count(total, "inspection.shortcomings"),
                " tồn tại, hạn chế ở ",
                count(len(with_shortcomings), "inspection.components_with_shortcomings"),
                " lĩnh vực:",
            )
        )
    for i, comp in enumerate(with_shortcomings, start=1):
        body.append(Heading(3, f"3.{i}. {comp.label}"))
        body += [Paragraph.of(f"- {line}") for line in comp.shortcomings]
    extra = (text.get("weaknesses") or "").strip()
    if extra or not total:
        body += narrative(extra)
    body.append(Heading(1, "II. KIẾN NGHỊ"))
    body.append(
        Paragraph.of(
            "Đề nghị các công chức khẩn trương khắc phục những tồn tại, hạn chế nêu trên, "
            "đồng thời tập trung thực hiện một số nội dung chủ yếu sau:"
        )
    )
    with_recs = [c for c in data.components if c.recommendations]
    for i, comp in enumerate(with_recs, start=1):
        body.append(Heading(3, f"{i}. {comp.label}"))
        for rec, due in comp.recommendations:
            line = rec.strip().rstrip(".;")
            if due is not None:
                line += f" (hạn khắc phục: {vn_date(due)})"  # type: ignore[arg-type]
            body.append(Paragraph.of(f"- {line}."))
    directions = (text.get("directions") or "").strip()
    if directions or not with_recs:
        body += narrative(directions)
    closing = (
        f"Trên đây là Thông báo kết quả tự kiểm tra công tác CCHC năm {data.year}, "
        f"{frame.self_name} yêu cầu các cán bộ, công chức nghiêm túc khắc phục ngay những tồn "
        "tại, hạn chế đã được phát hiện trong quá trình kiểm tra"
    )
    if data.report_due_on is not None:
        closing += (
            f" và báo cáo kết quả khắc phục về {frame.self_name} trước ngày "
            f"{vn_date(data.report_due_on)}"  # type: ignore[arg-type]
        )
    body.append(Paragraph.of(closing + "./."))
    return make_document(
        frame,
        kind="THÔNG BÁO",
        title=(
            f"Kết quả tự kiểm tra công tác cải cách hành chính năm {data.year}",
            f"tại {frame.full_name.replace('UBND ', '')}",
        ),
        body=body,
    )
