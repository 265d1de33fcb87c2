"""Forms of the evaluation pages. Rules (score ranges, reasons, states) stay in services;
forms only turn posted text into typed values and name the field that is wrong."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone

from cchc.core.choices import vn_choices
from cchc.core.collation import vn_order
from cchc.core.uploads import UploadRefused, check_upload
from cchc.frameworks.models import Framework
from cchc.units.models import Unit, UnitKind

ERR_NO_UNITS = "Hãy chọn ít nhất một nhóm đơn vị được đánh giá."
ERR_DEADLINE_ORDER = "Hạn thẩm định phải sau hạn tự đánh giá."
ERR_MEASURE_ORDER = "Ngày bắt đầu lấy số liệu phải trước ngày kết thúc."

# Since 7/2025 a province ranks its wards apart from its communes and special zones
# (Hải Phòng 2025, shared/domain/notes.md); departments form their own block.
BLOCK_WARDS = "Khối phường"
BLOCK_COMMUNES = "Khối xã, đặc khu"
BLOCK_DEPARTMENTS = "Khối sở, ngành"
BLOCK_FORMER_COMMUNES = "Khối xã, thị trấn"
COMMUNE_KINDS = (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE, UnitKind.TOWN)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def block_for(unit: Unit) -> str:
    if unit.kind == UnitKind.WARD:
        return BLOCK_WARDS
    if unit.kind == UnitKind.DEPARTMENT:
        return BLOCK_DEPARTMENTS
    return BLOCK_COMMUNES


class CycleOpenForm(forms.Form):
    framework = forms.ModelChoiceField(
        label="Bộ chỉ số", queryset=Framework.objects.order_by("-loaded_at"), empty_label=None
    )
    year = forms.IntegerField(label="Năm đánh giá", min_value=2000, max_value=2100)
    name = forms.CharField(label="Tên kỳ đánh giá", max_length=300)
    include_communes = forms.BooleanField(
        label="Tất cả xã, phường, đặc khu của tỉnh (Khối phường / Khối xã, đặc khu)",
        required=False,
    )
    include_departments = forms.BooleanField(
        label="Các sở, ban, ngành (Khối sở, ngành)", required=False
    )
    district = forms.ModelChoiceField(
        label="Hoặc: các xã, thị trấn của một huyện cũ (trước 7/2025)",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— không —",
    )
    appraising_body = forms.ModelChoiceField(
        label="Cơ quan thẩm định", queryset=Unit.objects.none(), required=False
    )
    measure_start = forms.DateField(label="Lấy số liệu từ ngày", widget=DateInput())
    measure_end = forms.DateField(label="đến ngày", widget=DateInput())
    self_assessment_deadline = forms.DateField(
        label="Hạn tự đánh giá", widget=DateInput(), required=False
    )
    appraisal_deadline = forms.DateField(label="Hạn thẩm định", widget=DateInput(), required=False)
    remediation_deadline = forms.DateField(
        label="Hạn nộp kế hoạch khắc phục",
        widget=DateInput(),
        required=False,
        help_text="Để trống: 30 ngày sau khi chốt kết quả.",
    )

    def __init__(self, *args, organiser: Unit, **kwargs):
        self.organiser = organiser
        year = timezone.localdate().year
        initial = {
            "year": year,
            "name": f"Chỉ số CCHC năm {year}",
            # The reporting year runs from 15/12 to 14/12 (TT 01/2020/TT-VPCP).
            "measure_start": dt.date(year - 1, 12, 15),
            "measure_end": dt.date(year, 12, 14),
            "include_communes": True,
        }
        initial.update(kwargs.pop("initial", None) or {})
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, initial=initial, **kwargs)
        under = Unit.objects.filter(path__startswith=organiser.path)
        self.fields["district"].queryset = under.filter(kind=UnitKind.DISTRICT)
        vn_choices(self.fields["district"])
        bodies = Unit.objects.filter(
            Q(pk=organiser.pk) | Q(path__startswith=organiser.path, kind=UnitKind.DEPARTMENT)
        )
        self.fields["appraising_body"].queryset = bodies
        vn_choices(self.fields["appraising_body"])
        default_body = bodies.filter(name__icontains="Nội vụ").first()
        if default_body is not None and not self.is_bound:
            self.initial.setdefault("appraising_body", default_body.pk)
        self.current = under.filter(valid_to__isnull=True)
        self.counts = {
            BLOCK_WARDS: self.current.filter(kind=UnitKind.WARD).count(),
            BLOCK_COMMUNES: self.current.filter(
                kind__in=[UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE, UnitKind.TOWN]
            ).count(),
            BLOCK_DEPARTMENTS: self.current.filter(kind=UnitKind.DEPARTMENT).count(),
        }

    @property
    def commune_counts(self) -> str:
        parts = [
            f"{block}: {n} đơn vị"
            for block, n in self.counts.items()
            if block != BLOCK_DEPARTMENTS and n
        ]
        return "; ".join(parts) or "không có đơn vị cấp xã hiện hành"

    @property
    def department_count(self) -> int:
        return self.counts[BLOCK_DEPARTMENTS]

    def clean(self):
        data = super().clean()
        if not (
            data.get("include_communes") or data.get("include_departments") or data.get("district")
        ):
            raise forms.ValidationError(ERR_NO_UNITS)
        start, end = data.get("measure_start"), data.get("measure_end")
        if start and end and start > end:
            self.add_error("measure_end", ERR_MEASURE_ORDER)
        sa, ap = data.get("self_assessment_deadline"), data.get("appraisal_deadline")
        if sa and ap and ap < sa:
            self.add_error("appraisal_deadline", ERR_DEADLINE_ORDER)
        return data

    def units(self) -> list[tuple[Unit, str]]:
        """The units chosen, each with the block it is ranked in."""
        data = self.cleaned_data
        chosen: dict[int, tuple[Unit, str]] = {}
        if data.get("include_communes"):
            for unit in vn_order(self.current.filter(kind__in=COMMUNE_KINDS)):
                chosen[unit.pk] = (unit, block_for(unit))
        if data.get("include_departments"):
            for unit in vn_order(self.current.filter(kind=UnitKind.DEPARTMENT)):
                chosen[unit.pk] = (unit, BLOCK_DEPARTMENTS)
        district = data.get("district")
        if district is not None:
            for unit in vn_order(
                district.descendants(include_self=False).filter(kind__in=COMMUNE_KINDS)
            ):
                chosen[unit.pk] = (unit, BLOCK_FORMER_COMMUNES)
        return list(chosen.values())


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class PublishForm(forms.Form):
    decision_no = forms.CharField(
        label="Số quyết định công bố",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "VD: 766/QĐ-UBND"}),
    )
    decision_date = forms.DateField(label="Ngày quyết định", widget=DateInput())


class CorrectionForm(PublishForm):
    """One published score corrected by a decision (quyết định đính chính)."""

    cycle_unit = forms.ModelChoiceField(label="Đơn vị", queryset=None)
    criterion = forms.CharField(
        label="Mã tiêu chí", max_length=32, widget=forms.TextInput(attrs={"placeholder": "VD: 1.2"})
    )
    value = forms.CharField(label="Điểm sau đính chính", max_length=20)
    reason = forms.CharField(label="Lý do đính chính", max_length=500, widget=forms.Textarea)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_no"].label = "Số quyết định đính chính"
        self.fields["cycle_unit"].queryset = cycle.cycle_units.select_related("unit")
        vn_choices(self.fields["cycle_unit"])

    def clean(self):
        data = super().clean()
        cycle_unit, code = data.get("cycle_unit"), (data.get("criterion") or "").strip()
        if cycle_unit and code:
            score = cycle_unit.scores.filter(criterion__code=code).first()
            if score is None:
                self.add_error("criterion", f"Đơn vị không có điểm của tiêu chí {code}.")
            data["score"] = score
        return data


def _check_file(upload) -> None:
    # The one upload check (core/uploads.py): size, type by content, name cleaned.
    if upload is None:
        return
    try:
        check_upload(upload)
    except UploadRefused as error:
        raise forms.ValidationError(str(error)) from None


class EvidenceForm(forms.Form):
    title = forms.CharField(label="Trích yếu tài liệu", max_length=500)
    number_symbol = forms.CharField(
        label="Số, ký hiệu",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "VD: 1332/KH-UBND"}),
    )
    issued_on = forms.DateField(label="Ngày ban hành", widget=DateInput(), required=False)
    issuer = forms.CharField(
        label="Cơ quan ban hành",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "VD: UBND xã"}),
    )
    file = forms.FileField(label="Tệp", required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        _check_file(upload)
        return upload


class ReturnForm(forms.Form):
    message = forms.CharField(
        label="Nội dung cần giải trình",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    deadline = forms.DateField(label="Hạn giải trình", widget=DateInput())


class RemediationForm(forms.Form):
    plan_file = forms.FileField(label="Tệp kế hoạch khắc phục", required=False)
    note = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def clean_plan_file(self):
        upload = self.cleaned_data.get("plan_file")
        _check_file(upload)
        return upload
