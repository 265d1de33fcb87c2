"""A realistic document for the writer tests: Đồng Tâm commune's report on its 2022 PAR index.

Figures are those of seed 003 (tests/fixtures/seeds/003_*.txt); totals and shares are computed
here from the component scores, never typed, exactly as a report builder must.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cchc.core.formatting import percent
from cchc.documents.document import (
    AdministrativeDocument,
    Chart,
    Column,
    Figure,
    HeaderGroup,
    Heading,
    Paragraph,
    Series,
    Signature,
    Table,
)

D = Decimal

# (component, maximum, score, rank) — seed 003, section I.1
DONG_TAM_2022: tuple[tuple[str, Decimal, Decimal, str], ...] = (
    ("Công tác chỉ đạo, điều hành cải cách hành chính", D("15"), D("11.84"), "9/19"),
    ("Cải cách thể chế", D("5"), D("4.75"), "2/3"),
    ("Cải cách thủ tục hành chính", D("18.5"), D("16.62"), "2/20"),
    ("Cải cách tổ chức bộ máy", D("6"), D("6"), "1/5"),
    ("Cải cách chế độ công vụ", D("11"), D("11"), "1/14"),
    ("Cải cách tài chính công", D("7"), D("5"), "12/12"),
    ("Xây dựng chính quyền điện tử, chính quyền số", D("11.5"), D("10.19"), "9/16"),
    ("Tác động đến phát triển kinh tế - xã hội", D("2"), D("1.577"), "14/20"),
    ("Đánh giá của các tổ chức đối với CCHC", D("14"), D("11.49"), "5/19"),
    ("Chỉ số hài lòng của người dân, tổ chức (SIPAS)", D("10"), D("9.28"), "12/18"),
)

SHORT_NAMES = (
    "Chỉ đạo, điều hành",
    "Thể chế",
    "Thủ tục hành chính",
    "Tổ chức bộ máy",
    "Chế độ công vụ",
    "Tài chính công",
    "Chính quyền số",
    "Tác động KT-XH",
    "Đánh giá của tổ chức",
    "SIPAS",
)


def total_score() -> Decimal:
    return sum((score for _, _, score, _ in DONG_TAM_2022), D(0))


def total_max() -> Decimal:
    return sum((mx for _, mx, _, _ in DONG_TAM_2022), D(0))


def component_table() -> Table:
    rows = tuple(
        (str(i), name, mx, score, percent(score, mx), rank)
        for i, (name, mx, score, rank) in enumerate(DONG_TAM_2022, start=1)
    )
    totals = (
        "",
        "Tổng cộng",
        total_max(),
        Figure(total_score(), 2, key="total_score"),
        percent(total_score(), total_max()),
        "9/20",
    )
    return Table(
        columns=(
            Column("TT", "center", 0.6),
            Column("Lĩnh vực đánh giá", "left", 4.6),
            Column("Tối đa", "right", 1.1, places=None),
            Column("Đạt được", "right", 1.2, places=None),
            Column("Tỷ lệ (%)", "right", 1.2, trim=False),
            Column("Xếp hạng", "center", 1.2),
        ),
        groups=(
            HeaderGroup("", 2),
            HeaderGroup("Điểm", 2),
            HeaderGroup("", 2),
        ),
        rows=rows,
        totals=totals,
        caption="Bảng 1. Kết quả Chỉ số CCHC năm 2022 của UBND xã Đồng Tâm",
        note="Nguồn: Quyết định số 766/QĐ-UBND ngày 16/3/2023 của UBND huyện Ninh Giang.",
    )


def component_chart(kind: str = "bar") -> Chart:
    shares = tuple(percent(score, mx) for _, mx, score, _ in DONG_TAM_2022)
    return Chart(
        kind=kind,  # type: ignore[arg-type]
        title="Tỷ lệ điểm đạt được theo lĩnh vực, năm 2022",
        categories=SHORT_NAMES,
        series=(Series("Năm 2022", shares),),
        max_value=D(100),
        percent=True,
        value_label="Tỷ lệ điểm đạt được",
        caption="Biểu đồ 1. Tỷ lệ điểm đạt được so với điểm tối đa của từng lĩnh vực",
        height_cm=8.5,
    )


def sample_document() -> AdministrativeDocument:
    total = total_score()
    body = (
        Paragraph.of(
            "Căn cứ Quyết định số 3395/QĐ-UBND ngày 15/12/2022 của UBND tỉnh Hải Dương ban "
            "hành Quy định đánh giá, xác định Chỉ số cải cách hành chính của Ủy ban nhân dân "
            "cấp xã thuộc tỉnh Hải Dương, giai đoạn 2022-2030; Quyết định số 766/QĐ-UBND ngày "
            "16/3/2023 của UBND huyện Ninh Giang về việc phê duyệt và công bố Chỉ số cải cách "
            "hành chính năm 2022 của Ủy ban nhân dân các xã, thị trấn."
        ),
        Paragraph.of(
            "Ủy ban nhân dân xã báo cáo kết quả đánh giá chỉ số CCHC năm 2022 và triển khai "
            "Kế hoạch CCHC năm 2023, cụ thể như sau:"
        ),
        Heading(1, "I. KẾT QUẢ CHỈ SỐ CCHC NĂM 2022"),
        Heading(2, "1. Kết quả đạt được"),
        Paragraph.of(
            "Theo kết quả công bố Chỉ số Cải cách hành chính cấp xã năm 2022 của huyện, "
            "UBND xã đạt ",
            Figure(total, 2, key="total_score"),
            "/",
            Figure(total_max(), 0, key="total_max"),
            " điểm, xếp thứ 9/20 xã, thị trấn, thuộc nhóm hoàn thành tốt nhiệm vụ, cụ thể:",
        ),
        component_table(),
        component_chart("bar"),
        Heading(2, "2. Đánh giá chung"),
        Heading(3, "2.1. Ưu điểm"),
        Paragraph.of(
            "- Việc triển khai chấm điểm Chỉ số CCHC năm 2022 cơ bản đảm bảo tiến độ thời "
            "gian, bám sát các tiêu chí, tiêu chí thành phần được quy định."
        ),
        Paragraph.of(
            "- Hoạt động của bộ phận tiếp nhận và trả kết quả hoạt động tích cực có hiệu quả."
        ),
        Heading(3, "2.2. Tồn tại, hạn chế"),
        Paragraph.of(
            "- Lĩnh vực cải cách tài chính công đạt ",
            Figure(D(5), 2, key="components.tai_chinh.score"),
            "/",
            Figure(D(7), 2, key="components.tai_chinh.max"),
            " điểm (",
            Figure(percent(D(5), D(7)), 2, percent=True, key="components.tai_chinh.share"),
            "), đứng vị trí 12/12, là lĩnh vực đứng ở hạng cuối; tài liệu kiểm chứng còn "
            "thiếu, chưa tương ứng với các tiêu chí, tiêu chí thành phần.",
        ),
        Heading(1, "II. NHIỆM VỤ VÀ GIẢI PHÁP TRONG THỜI GIAN TỚI"),
        Paragraph.of(
            "1. Căn cứ vào kết quả đánh giá, chấm điểm CCHC năm 2022 được công bố, từng công "
            "chức xem xét, kiểm điểm xác định rõ những nội dung mình phụ trách còn hạn chế, "
            "nhất là lĩnh vực đạt dưới 75% tổng số điểm của lĩnh vực đó."
        ),
        Paragraph.of(
            "2. Tăng cường công tác tự kiểm tra và kiểm tra đối với cán bộ, công chức, nhằm "
            "chấn chỉnh, uốn nắn kịp thời những tồn tại, hạn chế về các nội dung CCHC."
        ),
        Paragraph.of(
            "Trên đây là báo cáo kết quả chỉ số CCHC của UBND xã Đồng Tâm năm 2022 và nhiệm "
            "vụ trọng tâm để duy trì và nâng cao chỉ số CCHC năm 2023./."
        ),
    )
    return AdministrativeDocument(
        issuer_parent=("UBND HUYỆN NINH GIANG",),
        issuer=("ỦY BAN NHÂN DÂN", "XÃ ĐỒNG TÂM"),
        number="12",
        symbol="BC-UBND",
        place="Đồng Tâm",
        date=dt.date(2023, 3, 20),
        kind="BÁO CÁO",
        title=(
            "Kết quả đánh giá Chỉ số cải cách hành chính năm 2022",
            "và nhiệm vụ trọng tâm năm 2023",
        ),
        body=body,
        recipients=(
            "BTV Đảng ủy (để b/c)",
            "Thường trực HĐND xã (để b/c)",
            "Lãnh đạo UBND xã",
            "Các công chức chuyên môn",
        ),
        archive="VT, NV",
        signature=Signature(
            authority=("TM. ỦY BAN NHÂN DÂN",), title="CHỦ TỊCH", name="Đinh Văn Châu"
        ),
        author="UBND xã Đồng Tâm",
    )
