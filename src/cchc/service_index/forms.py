from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from cchc.core.choices import vn_choices
from cchc.core.people import Person
from cchc.dossiers.models import Procedure
from cchc.service_index.models import FeedbackChannel, FeedbackClass, Satisfaction

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ERR_FROM_AFTER_TO = "Ngày bắt đầu phải trước ngày kết thúc."
ERR_PERIOD_BOTH = "Nhập cả ngày bắt đầu và ngày kết thúc, hoặc chọn một kỳ."


def _today() -> dt.date:
    return timezone.localdate()


class FeedbackForm(forms.Form):
    received_on = forms.DateField(label="Ngày nhận", widget=DATE, initial=_today)
    channel = forms.ChoiceField(label="Kênh tiếp nhận", choices=FeedbackChannel.choices)
    code = forms.CharField(
        label="Số hiệu",
        required=False,
        max_length=40,
        help_text="Để trống: hệ thống tự đánh số (PAKN-năm-số thứ tự).",
    )
    sender_name = forms.CharField(label="Người phản ánh", required=False, max_length=200)
    sender_contact = forms.CharField(
        label="Địa chỉ, điện thoại liên hệ", required=False, max_length=300
    )
    procedure = forms.ModelChoiceField(
        label="Thủ tục hành chính liên quan",
        queryset=Procedure.objects.none(),
        required=False,
        empty_label="— Không gắn với thủ tục cụ thể —",
    )
    rule_concerned = forms.CharField(
        label="Quy định hành chính liên quan",
        required=False,
        max_length=500,
        help_text="Khi phản ánh về một quy định, không về một thủ tục cụ thể.",
    )
    dossier_code = forms.CharField(label="Mã hồ sơ liên quan", required=False, max_length=64)
    content = forms.CharField(label="Nội dung phản ánh, kiến nghị", widget=forms.Textarea)
    classification = forms.ChoiceField(
        label="Phân loại", choices=FeedbackClass.choices, initial=FeedbackClass.OTHER
    )
    assigned_to = forms.ModelChoiceField(
        label="Giao cho", queryset=None, required=False, empty_label="— Chưa giao —"
    )

    def __init__(self, *args, procedures, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures  # type: ignore[attr-defined]
        self.fields["assigned_to"].queryset = people  # type: ignore[attr-defined]
        self.fields["assigned_to"].label_from_instance = _person  # type: ignore[attr-defined]
        vn_choices(self.fields["procedure"])
        vn_choices(self.fields["assigned_to"])


def _person(user: Person) -> str:
    profile = getattr(user, "profile", None)
    if profile is None:
        return user.get_username()
    return f"{profile.full_name}" + (f" ({profile.position})" if profile.position else "")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="Giao cho", queryset=None, empty_label=None)
    note = forms.CharField(label="Ghi chú", required=False, max_length=300)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = _person  # type: ignore[attr-defined]
        vn_choices(self.fields["assignee"])


class AnswerForm(forms.Form):
    on = forms.DateField(label="Ngày trả lời", widget=DATE, initial=_today)
    answer = forms.CharField(label="Nội dung trả lời", widget=forms.Textarea)


class PublishForm(forms.Form):
    on = forms.DateField(label="Ngày công khai", widget=DATE, initial=_today)
    where = forms.CharField(
        label="Nơi công khai",
        max_length=300,
        initial="Cổng dịch vụ công",
        help_text="Cổng dịch vụ công, trang thông tin điện tử, bảng niêm yết…",
    )


class RefuseForm(forms.Form):
    on = forms.DateField(label="Ngày từ chối", widget=DATE, initial=_today)
    reason = forms.CharField(label="Lý do từ chối tiếp nhận", widget=forms.Textarea)


class SupplementForm(forms.Form):
    on = forms.DateField(label="Ngày yêu cầu bổ sung", widget=DATE, initial=_today)
    note = forms.CharField(label="Thông tin cần bổ sung", required=False, max_length=300)


class SatisfactionForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="Ý kiến người phản ánh về kết quả",
        choices=[("", "Chưa đánh giá"), *Satisfaction.choices],
        required=False,
    )
    repeat_complaint = forms.BooleanField(
        label="Tiếp tục phản ánh, kiến nghị về kết quả", required=False
    )
    note = forms.CharField(label="Ghi chú", required=False, max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp CSV hoặc XLSX",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class PeriodForm(forms.Form):
    """A reporting period (quarter, half, year, month) or a range of dates."""

    # Any period code parse_period reads is accepted (links and the API may name older
    # periods than the list offers); the list is only what the page suggests.
    period = forms.CharField(label="Kỳ", required=False, widget=forms.Select)
    start = forms.DateField(label="Từ ngày", required=False, widget=DATE)
    end = forms.DateField(label="Đến ngày", required=False, widget=DATE)

    def __init__(self, *args, choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.choices = [("", "— Chọn kỳ —"), *choices]  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError(ERR_PERIOD_BOTH)
        if start and end and start > end:
            raise forms.ValidationError(ERR_FROM_AFTER_TO)
        return data
