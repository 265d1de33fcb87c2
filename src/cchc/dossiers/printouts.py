"""The desk's papers as documents: the receipt and appointment slip, and the apology letter.

- *Giấy tiếp nhận hồ sơ và hẹn trả kết quả* (form 01 of the one-stop forms: TT 01/2018/TT-VPCP,
  and TT 03/2025/TT-VPCP under NĐ 118/2025/NĐ-CP): the officer may not accept a dossier
  without giving one (domain notes §6.2).
- *Văn bản xin lỗi và hẹn lại ngày trả kết quả*: when a dossier is late, the resolving
  agency apologises in writing, gives the reason and a new date (domain notes §6.2). The new
  date is a promise; the dossier still counts late (clock.py).

Both are ``AdministrativeDocument``s (Nghị định 30/2020/NĐ-CP layout), printed as HTML for
the browser and as PDF through ``cchc.documents.pdf_writer``.

Plain module: no Django import; the view passes plain values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cchc.core.formatting import vn_date
from cchc.documents.document import AdministrativeDocument, Paragraph, Signature

RECEIPT_KIND = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
APOLOGY_KIND = "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
DESK = "Bộ phận Một cửa"
NO_DUE = "không có hạn giải quyết (trả kết quả ngay khi giải quyết xong)"

UNIT_PREFIXES = ("Đặc khu ", "Phường ", "Thị trấn ", "Xã ", "Huyện ", "Thành phố ", "Tỉnh ")


@dataclass(frozen=True)
class DeskFacts:
    """What both papers say about one dossier."""

    unit_name: str  # "Xã Đồng Tâm"
    code: str
    applicant: str
    procedure_name: str
    procedure_code: str
    processing_days: int | None
    received_at: dt.datetime  # local time
    due_on: dt.date | None
    channel_label: str
    officer_name: str = ""
    head_name: str = ""


def place_of(unit_name: str) -> str:
    """'Xã Đồng Tâm' -> 'Đồng Tâm': the place name of the date line (NĐ 30/2020 Phụ lục I)."""
    for prefix in UNIT_PREFIXES:
        if unit_name.startswith(prefix):
            return unit_name[len(prefix) :]
    return unit_name


def in_sentence(unit_name: str) -> str:
    """'Xã Đồng Tâm' -> 'xã Đồng Tâm': the kind of unit is lower case inside a sentence."""
    for prefix in UNIT_PREFIXES:
        if unit_name.startswith(prefix):
            return prefix.lower() + unit_name[len(prefix) :]
    return unit_name


def authority_of(unit_name: str) -> str:
    """'Xã Đồng Tâm' -> 'ỦY BAN NHÂN DÂN XÃ ĐỒNG TÂM'."""
    return f"ỦY BAN NHÂN DÂN {unit_name.upper()}"


def _days(n: int | None) -> str:
    if n is None:
        return "không quy định"
    return f"{n:02d} ngày làm việc" if n < 10 else f"{n} ngày làm việc"


def _line(*parts: str, indent: bool = True, **options: object) -> Paragraph:
    return Paragraph.of(*parts, indent=indent, **options)  # type: ignore[arg-type]


def receipt_document(facts: DeskFacts) -> AdministrativeDocument:
    received = facts.received_at
    due = f"ngày {vn_date(facts.due_on)}" if facts.due_on else NO_DUE
    body = (
        _line(f"{DESK} {in_sentence(facts.unit_name)} đã tiếp nhận hồ sơ của:"),
        _line(f"Ông/Bà: {facts.applicant}", bold=True),
        _line(
            f"Nội dung yêu cầu giải quyết: {facts.procedure_name} "
            f"(mã thủ tục {facts.procedure_code})."
        ),
        _line(f"1. Hình thức tiếp nhận: {facts.channel_label}."),
        _line("2. Số lượng hồ sơ: 01 bộ."),
        _line(f"3. Thời gian giải quyết hồ sơ theo quy định là: {_days(facts.processing_days)}."),
        _line(
            f"4. Thời gian nhận hồ sơ: {received.hour:02d} giờ {received.minute:02d} phút, "
            f"ngày {vn_date(received)}."
        ),
        _line(f"5. Thời gian trả kết quả giải quyết hồ sơ: {due}."),
        _line(f"6. Nhận kết quả tại: {DESK} {in_sentence(facts.unit_name)}."),
        _line(
            "Thời gian giải quyết không tính ngày nghỉ (thứ Bảy, Chủ nhật, ngày lễ, Tết) và "
            "thời gian người nộp bổ sung, hoàn thiện hồ sơ theo yêu cầu.",
            italic=True,
        ),
    )
    return AdministrativeDocument(
        issuer_parent=(f"UBND {facts.unit_name.upper()}",),
        issuer=(DESK.upper(),),
        number=facts.code,
        kind=RECEIPT_KIND,
        title=(f"Mã hồ sơ: {facts.code}",),
        body=body,
        place=place_of(facts.unit_name),
        date=received.date(),
        recipients=(f"Ông/Bà {facts.applicant} (người nộp hồ sơ)",),
        archive=f"Lưu: {DESK}",
        signature=Signature(
            title="NGƯỜI TIẾP NHẬN HỒ SƠ",
            note="(Ký và ghi rõ họ tên)",
            name=facts.officer_name,
        ),
        author=f"{DESK} {in_sentence(facts.unit_name)}",
    )


def apology_document(
    facts: DeskFacts,
    *,
    new_due_on: dt.date,
    reason: str,
    letter_date: dt.date,
    number: str | None = None,
) -> AdministrativeDocument:
    unit = facts.unit_name
    due = f"ngày {vn_date(facts.due_on)}" if facts.due_on else "(không có hạn)"
    reason_text = reason.strip().rstrip(".") or "chưa ghi lý do"
    body = (
        _line(f"Kính gửi: Ông/Bà {facts.applicant}.", indent=False, align="center"),
        _line(
            f"Ngày {vn_date(facts.received_at)}, {DESK} {in_sentence(unit)} tiếp nhận hồ sơ "
            f"mã số {facts.code} của Ông/Bà đề nghị giải quyết thủ tục «{facts.procedure_name}»; "
            f"thời hạn giải quyết theo quy định là {_days(facts.processing_days)}, "
            f"hẹn trả kết quả {due}."
        ),
        _line(
            f"Đến nay, Ủy ban nhân dân {in_sentence(unit)} chưa "
            f"trả được kết quả giải quyết hồ sơ của Ông/Bà đúng thời hạn. Lý do: {reason_text}."
        ),
        _line(
            f"Ủy ban nhân dân {in_sentence(unit)} thành thật xin lỗi Ông/Bà vì sự chậm trễ này và "
            f"xin hẹn lại thời gian trả kết quả vào ngày {vn_date(new_due_on)}, "
            f"tại {DESK} {in_sentence(unit)}."
        ),
        _line("Rất mong Ông/Bà thông cảm. Trân trọng./."),
    )
    return AdministrativeDocument(
        issuer=("ỦY BAN NHÂN DÂN", unit.upper()),
        number=number,
        symbol="UBND",
        kind=APOLOGY_KIND,
        title=(f"Hồ sơ mã số {facts.code}",),
        body=body,
        place=place_of(unit),
        date=letter_date,
        recipients=(f"Ông/Bà {facts.applicant}", DESK),
        archive="Lưu: VT",
        signature=Signature(
            authority=("TM. ỦY BAN NHÂN DÂN",), title="CHỦ TỊCH", name=facts.head_name
        ),
        author=f"Ủy ban nhân dân {in_sentence(unit)}",
    )
