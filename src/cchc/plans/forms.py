"""Forms of the plans pages. Dates use the browser's date picker; labels are Vietnamese."""

from __future__ import annotations

import datetime as dt

from django import forms

from cchc.core import uploads
from cchc.core.choices import vn_choices
from cchc.plans import rules
from cchc.plans.models import (
    Breakthrough,
    Component,
    Finding,
    Inspection,
    PlanItem,
    StaffMember,
    Status,
)
from cchc.plans.services import EDITABLE_ITEM_FIELDS
from cchc.plans.staffing_services import STAFF_FIELDS
from cchc.units.models import Profile, Unit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _year_choices(around: int) -> list[tuple[int, int]]:
    return [(y, y) for y in range(around - 3, around + 3)]


class PlanForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    title = forms.CharField(label="Tên kế hoạch", max_length=300, required=False)
    number = forms.CharField(label="Số, ký hiệu", max_length=100, required=False)
    issued_on = forms.DateField(label="Ngày ban hành", required=False, widget=DateInput())


class PlanEditForm(forms.Form):
    title = forms.CharField(label="Tên kế hoạch", max_length=300)
    number = forms.CharField(
        label="Số, ký hiệu",
        max_length=100,
        required=False,
        help_text="VD: 63/KH-UBND. Cần cả số và ngày để ban hành.",
    )
    issued_on = forms.DateField(label="Ngày ban hành", required=False, widget=DateInput())


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp kế hoạch (XLSX hoặc CSV)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    year = forms.IntegerField(label="Năm của kế hoạch", min_value=2000, max_value=2100)
    title = forms.CharField(label="Tên kế hoạch", max_length=300, required=False)
    number = forms.CharField(label="Số, ký hiệu", max_length=100, required=False)
    issued_on = forms.DateField(label="Ngày ban hành", required=False, widget=DateInput())
    replace = forms.BooleanField(
        label="Thay thế kế hoạch dự thảo đã có của năm này",
        required=False,
    )


class ItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = EDITABLE_ITEM_FIELDS  # the fields item_update accepts, one list
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "start_on": DateInput(),
            "due_on": DateInput(),
        }
        help_texts = {
            "lead_officer_name": "Ghi tên khi người phụ trách chưa có tài khoản.",
            "lead_unit_name": "Bộ phận, công chức chuyên môn hoặc cơ quan chủ trì.",
        }

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = Profile.objects.filter(unit=unit)
        vn_choices(self.fields["lead_officer"])
        self.fields["lead_officer"].required = False
        self.fields["component"].queryset = Component.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("start_on") and data.get("due_on") and data["start_on"] > data["due_on"]:
            self.add_error("start_on", "Ngày bắt đầu phải trước hoặc bằng thời hạn.")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Trạng thái", choices=Status.choices)
    done_on = forms.DateField(
        label="Ngày hoàn thành",
        required=False,
        widget=DateInput(),
        help_text="Để trống: hôm nay.",
    )
    reason = forms.CharField(label="Ghi chú thay đổi", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") != rules.DONE:
            data["done_on"] = None
        return data


class EvidenceForm(forms.Form):
    title = forms.CharField(label="Trích yếu", max_length=500)
    number = forms.CharField(label="Số, ký hiệu", max_length=100, required=False)
    issued_on = forms.DateField(label="Ngày ban hành", required=False, widget=DateInput())
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200, required=False)
    file = forms.FileField(label="Tệp", required=False)

    def clean_file(self):
        return uploads.form_check(self.cleaned_data.get("file"))  # size, type by content


class CallForm(forms.Form):
    title = forms.CharField(label="Tên đợt đăng ký", max_length=300)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    document = forms.CharField(
        label="Văn bản phát động", max_length=300, required=False, help_text="VD: Chỉ thị số …"
    )
    deadline = forms.DateField(label="Hạn đăng ký", widget=DateInput())
    note = forms.CharField(
        label="Hướng dẫn", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Breakthrough
        fields = ["title", "component", "solution", "lead_officer_name", "product", "due_on"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "solution": forms.Textarea(attrs={"rows": 3}),
            "due_on": DateInput(),
        }


class InspectionForm(forms.Form):
    title = forms.CharField(label="Tên đợt kiểm tra", max_length=300)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    inspecting_body = forms.CharField(
        label="Đoàn/Tổ kiểm tra", max_length=300, help_text="VD: Đoàn kiểm tra CCHC của Sở Nội vụ"
    )
    decision_no = forms.CharField(label="Quyết định/Kế hoạch số", max_length=150, required=False)
    decision_date = forms.DateField(label="Ngày quyết định", required=False, widget=DateInput())
    start_on = forms.DateField(label="Từ ngày", widget=DateInput())
    end_on = forms.DateField(label="Đến ngày", widget=DateInput())
    report_due_on = forms.DateField(
        label="Hạn báo cáo khắc phục", required=False, widget=DateInput()
    )
    members = forms.CharField(
        label="Thành viên",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi người một dòng: họ tên, chức vụ.",
    )
    targets = forms.ModelMultipleChoiceField(
        label="Đơn vị được kiểm tra",
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, organiser: Unit, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Inspection.Kind.SELF:
            del self.fields["targets"]
        else:
            self.fields["targets"].queryset = organiser.descendants(include_self=False).filter(
                valid_to__isnull=True
            )
            vn_choices(self.fields["targets"])
            self.fields["targets"].required = True

    def clean(self):
        data = super().clean()
        if data.get("start_on") and data.get("end_on") and data["end_on"] < data["start_on"]:
            self.add_error("end_on", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
        return data


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.none())
    component = forms.ModelChoiceField(label="Lĩnh vực CCHC", queryset=Component.objects.all())
    kind = forms.ChoiceField(label="Loại", choices=Finding.Kind.choices, initial="shortcoming")
    text = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=inspection.targets.values("unit_id")
        )
        vn_choices(self.fields["unit"])


class RecommendationForm(forms.Form):
    unit = forms.ModelChoiceField(label="Đơn vị thực hiện", queryset=Unit.objects.none())
    component = forms.ModelChoiceField(
        label="Lĩnh vực CCHC", queryset=Component.objects.all(), required=False
    )
    text = forms.CharField(label="Nội dung kiến nghị", widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(
        label="Hạn khắc phục",
        required=False,
        widget=DateInput(),
        help_text="Để trống: hạn báo cáo khắc phục của đợt kiểm tra.",
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=inspection.targets.values("unit_id")
        )
        vn_choices(self.fields["unit"])


class ReportForm(forms.Form):
    text = forms.CharField(label="Kết quả khắc phục", widget=forms.Textarea(attrs={"rows": 4}))
    reported_on = forms.DateField(
        label="Ngày báo cáo", required=False, widget=DateInput(), help_text="Để trống: hôm nay."
    )
    file = forms.FileField(label="Tệp báo cáo (nếu có)", required=False)

    def clean_file(self):
        return uploads.form_check(self.cleaned_data.get("file"))  # size, type by content


class StaffingForm(forms.Form):
    positions_allotted = forms.IntegerField(
        label="Biên chế được giao", min_value=0, max_value=10000, required=False
    )
    positions_filled = forms.IntegerField(
        label="Số người có mặt", min_value=0, max_value=10000, required=False
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StaffingYearForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = dt.date.today().year


class MemberForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = STAFF_FIELDS  # the fields staff_member_save accepts, one list
        widgets = {"trainings": forms.Textarea(attrs={"rows": 2})}


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="Danh sách cán bộ, công chức (XLSX hoặc CSV)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
