"""The seed-heading reader the outline tests rely on: wrapped headings joined, numbered
paragraphs and list items left out, capitals kept together, a page break's blank line
inside a heading skipped."""

from __future__ import annotations

from tests.reports.seed_headings import parse_headings, seed_headings

TEXT = """\
I. KẾT QUẢ ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỐ CCHC VÀ PHÂN
LOẠI CCHC NĂM 2021
1. Công tác chỉ đạo, điều hành
1.1. Việc ban hành, triển khai thực hiện kế hoạch, tổ chức chỉ đạo,

điều hành cải cách hành chính
* Đối với cấp huyện:
Ủy ban nhân dân huyện đã ban hành kế hoạch cải cách hành chính năm 2021 và
a) Kết quả giải quyết thủ tục hành chính
a. Đối với cấp huyện: Huyện Tứ Kỳ đạt 83,30%, tăng so với năm trước và xếp thứ
1. Tiếp tục đẩy mạnh công tác tuyên truyền về thực hiện CCHC theo
hướng đa dạng hóa các hình thức tuyên truyền, đổi mới nội dung tuyên truyền cho
phù hợp với từng đối tượng.
2. Cải cách thể chế.
"""


def test_parse_headings():
    assert parse_headings(TEXT) == [
        "I. KẾT QUẢ ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỐ CCHC VÀ PHÂN LOẠI CCHC NĂM 2021",
        "1. Công tác chỉ đạo, điều hành",
        "1.1. Việc ban hành, triển khai thực hiện kế hoạch, tổ chức chỉ đạo, điều hành cải "
        "cách hành chính",
        "a) Kết quả giải quyết thủ tục hành chính",
    ]


def test_the_seeds_have_their_headings():
    """Seed 000: 22 headings in two parts; seed 004: 25 headings from I to V."""
    s000, s004 = seed_headings("000"), seed_headings("004")
    assert len(s000) == 22 and s000[0] == "Phần thứ nhất – KẾT QUẢ THỰC HIỆN ĐỀ ÁN"
    assert s000[8:12] == [
        "a) Công tác rà soát, kiểm soát thủ tục hành chính",
        "b) Công tác niêm yết thủ tục hành chính; tiếp nhận, xử lý phản ánh, kiến nghị của tổ "
        "chức, cá nhân đối với những quy định về TTHC",
        "c) Kết quả giải quyết thủ tục hành chính",
        "d) Đánh giá về hoạt động của Bộ phận tiếp nhận và trả kết quả của xã",
    ]
    assert len(s004) == 25 and s004[-1] == "V. MỘT SỐ NHIỆM VỤ VÀ GIẢI PHÁP TRONG THỜI GIAN TỚI"
