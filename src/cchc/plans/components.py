"""The seven CCHC areas (lĩnh vực) plans and inspections are filed under, as data.

Source: Nghị quyết 76/NQ-CP ngày 15/7/2021 (Chương trình tổng thể CCHC 2021–2030) names six
reform areas; provincial and district plans add "công tác chỉ đạo, điều hành" first, as seed
004 (Kế hoạch 244/KH-UBND of Tứ Kỳ, 2022) lists its "07 nội dung". Loaded by migration
0002; ensure() puts back any that are missing (an emptied test database, a new install).
"""

from __future__ import annotations

SOURCE = "Nghị quyết 76/NQ-CP ngày 15/7/2021; Kế hoạch 244/KH-UBND huyện Tứ Kỳ (seed 004)"
COMPONENTS = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "Chỉ đạo, điều hành"),
    ("2", "Cải cách thể chế", "Cải cách thể chế"),
    ("3", "Cải cách thủ tục hành chính", "Cải cách TTHC"),
    ("4", "Cải cách tổ chức bộ máy hành chính nhà nước", "Tổ chức bộ máy"),
    ("5", "Cải cách chế độ công vụ", "Chế độ công vụ"),
    ("6", "Cải cách tài chính công", "Tài chính công"),
    ("7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "Chính quyền số"),
]


def ensure(model=None) -> None:
    """Create the seven components that do not exist yet; never changes existing ones."""
    if model is None:
        from cchc.plans.models import Component as model
    for order, (code, name, short) in enumerate(COMPONENTS, start=1):
        model.objects.get_or_create(
            code=code,
            defaults={"name": name, "short_name": short, "order": order, "source": SOURCE},
        )
