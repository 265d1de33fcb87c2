"""Forms of the dossier pages: the catalogue, the calendar, the desk, imports, statistics."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from cchc.core.collation import vn_order, vn_sorted
from cchc.dossiers.imports.procedures import PROCEDURE_COLUMNS
from cchc.dossiers.models import (
    Channel,
    IntakeDigitized,
    OnlineClass,
    Procedure,
    ProcedureLevel,
    Status,
    SwapKind,
)
from cchc.dossiers.periods import PeriodError, custom_period, period_for, reporting_month_of

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

ERR_FILE_TYPE = "Chỉ nhận tệp .csv hoặc .xlsx."
ERR_PERIOD_NUMBER = "Chọn {what}."
ERR_CUSTOM_DATES = "Nhập cả ngày bắt đầu và ngày kết thúc."
ERR_CUSTOM_ORDER = "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."
ERR_YEAR = "Nhập năm báo cáo."


def _date_field(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, input_formats=DATE_FORMATS)


# -- the catalogue ---------------------------------------------------------------------------


class ProcedureForm(forms.ModelForm):
    reason = forms.CharField(
        label="Lý do thay đổi",
        required=False,
        max_length=300,
        help_text="Ghi vào lịch sử thay đổi (ví dụ: Quyết định công bố số …).",
    )

    class Meta:
        model = Procedure
        # The catalogue file's columns (imports.procedures): the page and the file edit
        # the same fields.
        fields = list(PROCEDURE_COLUMNS)
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "announced_on": DATE,
            "legal_basis_effective_on": DATE,
            "published_on": DATE,
        }
        help_texts = {
            "code": "Mã trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001193.",
            "processing_days": "Để trống nếu thủ tục không quy định thời hạn (hồ sơ không có hạn).",
            "published_on": "QĐ 766/QĐ-TTg chỉ tiêu 1.2: công khai đúng hạn trên CSDL quốc gia.",
            "all_parts_published": "QĐ 766/QĐ-TTg chỉ tiêu 1.3: công khai đầy đủ các bộ phận.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code is the procedure's identity in every import and in the dossiers.
            self.fields["code"].disabled = True


class ProcedureFilterForm(forms.Form):
    q = forms.CharField(label="Tìm theo mã hoặc tên", required=False, max_length=200)
    field = forms.ChoiceField(label="Lĩnh vực", required=False)
    online_class = forms.ChoiceField(
        label="Dịch vụ công trực tuyến",
        required=False,
        choices=[("", "Tất cả")] + list(OnlineClass.choices),
    )
    level = forms.ChoiceField(
        label="Cấp thực hiện",
        required=False,
        choices=[("", "Tất cả")] + list(ProcedureLevel.choices),
    )
    active = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[("", "Tất cả"), ("1", "Đang áp dụng"), ("0", "Đã bãi bỏ")],
    )

    def __init__(self, *args, fields: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "Tất cả")] + [(f, f) for f in fields]


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp CSV hoặc XLSX")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(ERR_FILE_TYPE)
        return upload


# -- the calendar --------------------------------------------------------------------------


class SwapForm(forms.Form):
    date = _date_field("Ngày", required=True)
    kind = forms.ChoiceField(label="Loại", choices=SwapKind.choices)
    note = forms.CharField(
        label="Căn cứ",
        max_length=300,
        required=False,
        help_text="Số thông báo, quyết định hoán đổi ngày làm việc.",
    )


class DueCalculatorForm(forms.Form):
    received = _date_field("Ngày tiếp nhận", required=True)
    days = forms.IntegerField(label="Số ngày làm việc", min_value=0, max_value=365)


# -- the desk --------------------------------------------------------------------------------


class GroupedProcedureField(forms.ModelChoiceField):
    """Procedures grouped by field (lĩnh vực) in the select, as the catalogue groups them."""

    def label_from_instance(self, obj: Procedure) -> str:
        days = (
            "không quy định hạn" if obj.processing_days is None else f"{obj.processing_days} ngày"
        )
        return f"{obj.code} — {obj.name} ({days})"

    def grouped_choices(self) -> list:
        groups: dict[str, list[tuple[int, str]]] = {}
        for procedure in vn_order(self.queryset, "field", "name"):
            groups.setdefault(procedure.field or "Khác", []).append(
                (procedure.pk, self.label_from_instance(procedure))
            )
        return [("", "— Chọn thủ tục —"), *vn_sorted(groups.items(), key=lambda g: g[0])]


class DossierCreateForm(forms.Form):
    procedure = GroupedProcedureField(
        label="Thủ tục hành chính",
        queryset=Procedure.objects.filter(active=True).order_by("field", "code"),
    )
    applicant = forms.CharField(label="Người nộp hồ sơ", max_length=300)
    channel = forms.ChoiceField(
        label="Kênh tiếp nhận", choices=Channel.choices, initial="truc_tiep"
    )
    received_at = forms.DateTimeField(
        label="Thời điểm tiếp nhận", widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    code = forms.CharField(
        label="Mã hồ sơ",
        max_length=64,
        required=False,
        help_text="Để trống để hệ thống cấp mã.",
    )
    intake_digitized = forms.ChoiceField(
        label="Số hóa khi tiếp nhận", choices=IntakeDigitized.choices, initial="full"
    )
    paid_online = forms.BooleanField(label="Đã thanh toán phí, lệ phí trực tuyến", required=False)
    reused_data = forms.BooleanField(label="Tái sử dụng dữ liệu đã số hóa", required=False)
    e_certified_copy = forms.BooleanField(label="Có bản sao điện tử chứng thực", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["procedure"]
        field.widget.choices = field.grouped_choices()

    def clean_received_at(self) -> dt.datetime:
        value = self.cleaned_data["received_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError("Thời điểm tiếp nhận ở tương lai.")
        return value


class DossierFilterForm(forms.Form):
    q = forms.CharField(label="Mã hồ sơ hoặc người nộp", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả")] + list(Status.choices)
    )
    channel = forms.ChoiceField(
        label="Kênh", required=False, choices=[("", "Tất cả")] + list(Channel.choices)
    )
    due = forms.ChoiceField(
        label="Thời hạn",
        required=False,
        choices=[
            ("", "Tất cả"),
            ("soon", "Sắp đến hạn (3 ngày tới)"),
            ("overdue", "Đang quá hạn"),
            ("late", "Đã trả quá hạn"),
        ],
    )


class ActionForm(forms.Form):
    """One move of the desk; `at` defaults to now (a move recorded later may be back-dated)."""

    at = forms.DateTimeField(
        label="Thời điểm", required=False, widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    reason = forms.CharField(label="Lý do, ghi chú", required=False, max_length=2000)
    result_digitized = forms.BooleanField(label="Kết quả đã được số hóa", required=False)


class ApologyForm(forms.Form):
    new_due_on = _date_field("Ngày hẹn trả kết quả mới", required=True)
    reason = forms.CharField(
        label="Lý do chậm trả kết quả", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, **kwargs) -> None:
        # Its own ids: the page also holds the move form, which has a reason field too.
        kwargs.setdefault("auto_id", "apology_%s")
        super().__init__(*args, **kwargs)


# -- statistics ------------------------------------------------------------------------------

PERIOD_KINDS = [
    ("year", "Năm"),
    ("half", "6 tháng"),
    ("quarter", "Quý"),
    ("month", "Tháng"),
    ("custom", "Tùy chọn (từ ngày … đến ngày)"),
]
NUMBER_CHOICES = {
    "half": [("1", "6 tháng đầu năm"), ("2", "6 tháng cuối năm")],
    "quarter": [("1", "Quý I"), ("2", "Quý II"), ("3", "Quý III"), ("4", "Quý IV")],
    "month": [(str(m), f"Tháng {m}") for m in range(1, 13)],
}


def current_reporting_year(today: dt.date | None = None) -> int:
    return reporting_month_of(today or timezone.localdate())[0]


class StatsForm(forms.Form):
    unit = forms.ChoiceField(label="Đơn vị")
    subunits = forms.BooleanField(label="Gồm các đơn vị trực thuộc", required=False)
    kind = forms.ChoiceField(label="Kỳ báo cáo", choices=PERIOD_KINDS, initial="year")
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100, required=False)
    half = forms.ChoiceField(label="6 tháng", choices=NUMBER_CHOICES["half"], required=False)
    quarter = forms.ChoiceField(label="Quý", choices=NUMBER_CHOICES["quarter"], required=False)
    month = forms.ChoiceField(label="Tháng", choices=NUMBER_CHOICES["month"], required=False)
    start = _date_field("Từ ngày")
    end = _date_field("Đến ngày")
    # Figures count to the earlier of the period end and this day (default today, Vietnam
    # time): periods.counted.
    as_of = _date_field("Số liệu tính đến ngày")

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(str(u.pk), label) for u, label in units]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(ERR_CUSTOM_DATES)
            if start > end:
                raise forms.ValidationError(ERR_CUSTOM_ORDER)
            data["period"] = custom_period(start, end)
        elif kind and not data.get("year"):
            self.add_error("year", ERR_YEAR)
        elif kind:
            number = data.get(kind) if kind in NUMBER_CHOICES else None
            if kind in NUMBER_CHOICES and not number:
                raise forms.ValidationError(ERR_PERIOD_NUMBER.format(what=kind))
            try:
                data["period"] = period_for(kind, data["year"], int(number) if number else None)
            except PeriodError as error:
                raise forms.ValidationError(str(error)) from error
        return data
