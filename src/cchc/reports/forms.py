from __future__ import annotations

from django import forms

from cchc.reports import kinds
from cchc.reports.models import PeriodKind, Report
from cchc.reports.services import BATCH_KINDS, EDITABLE_FIELDS

PERIOD_HELP = "Ví dụ: 2023-Q1 (quý), 2023-H1 (6 tháng), 2023 (năm)."


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "basis": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 5}),
            "strengths": forms.Textarea(attrs={"rows": 6}),
            "weaknesses": forms.Textarea(attrs={"rows": 6}),
            "causes": forms.Textarea(attrs={"rows": 5}),
            "directions": forms.Textarea(attrs={"rows": 6}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
            "signer_authority": forms.Textarea(attrs={"rows": 2}),
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "basis": "Các văn bản làm căn cứ (Thực hiện Kế hoạch số …). Mỗi dòng một đoạn.",
            "activities": "Phần lời về kết quả thực hiện nhiệm vụ; số liệu do hệ thống tự điền.",
            "strengths": "Mỗi dòng một đoạn; bắt đầu bằng “-” nếu là gạch đầu dòng.",
            "number": "Để trống đến khi vào sổ văn bản.",
            "issued_on": "Để trống: in “ngày … tháng … năm …” để điền khi ký.",
            "signer_authority": "VD: TM. ỦY BAN NHÂN DÂN (mỗi dòng một dòng in).",
        }


class NewReportForm(forms.Form):
    kind = forms.ChoiceField(label="Loại báo cáo", choices=kinds.CHOICES)
    period = forms.CharField(label="Kỳ báo cáo", max_length=32, help_text=PERIOD_HELP)
    cycle = forms.TypedChoiceField(
        label="Kỳ đánh giá (cho thông báo kết quả Chỉ số)",
        required=False,
        coerce=int,
        empty_value=None,
    )
    inspection = forms.TypedChoiceField(
        label="Đợt tự kiểm tra (cho thông báo kết quả tự kiểm tra)",
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, cycles=(), inspections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [("", "— tự chọn kỳ đã công bố của năm —")] + [
            (c.pk, str(c)) for c in cycles
        ]
        self.fields["inspection"].choices = [("", "— đợt tự kiểm tra mới nhất của năm —")] + [
            (i.pk, str(i)) for i in inspections
        ]


class BatchForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại báo cáo",
        choices=[(k.code, k.label) for k in kinds.KINDS if k.code in BATCH_KINDS],
    )
    period = forms.CharField(label="Kỳ báo cáo", max_length=32, help_text=PERIOD_HELP)
    formats = forms.MultipleChoiceField(
        label="Định dạng",
        choices=[("docx", "DOCX (Word)"), ("pdf", "PDF")],
        initial=["docx", "pdf"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Chọn ít nhất một định dạng (DOCX hoặc PDF)."},
    )
    units = forms.TypedMultipleChoiceField(
        label="Đơn vị",
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="Để trống: tất cả đơn vị trực thuộc. Giữ Ctrl để chọn nhiều đơn vị.",
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        assert isinstance(units, forms.TypedMultipleChoiceField)
        units.choices = [(u.pk, u.name) for u in children]


class DeadlineForm(forms.Form):
    period_kind = forms.ChoiceField(label="Loại kỳ", choices=PeriodKind.choices)
    day = forms.IntegerField(label="Ngày hạn nộp", min_value=1, max_value=31)
    month_offset = forms.IntegerField(
        label="Số tháng sau tháng cuối kỳ", min_value=0, max_value=3, initial=0
    )
    note = forms.CharField(label="Ghi chú (căn cứ)", required=False, max_length=500)
