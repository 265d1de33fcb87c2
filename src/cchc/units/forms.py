"""Forms of the people pages: the choices offered are already what the administrator may
give (their subtree's units, roles up to their own); the services check again."""

from __future__ import annotations

from django import forms

from cchc.core.choices import vn_choices
from cchc.core.people import Person
from cchc.units.permissions import administered_units, grantable_roles
from cchc.units.roles import ROLE_LABELS


class PersonForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150, required=False)
    password = forms.CharField(
        label="Mật khẩu ban đầu", widget=forms.PasswordInput, required=False, min_length=8
    )
    full_name = forms.CharField(label="Họ và tên", max_length=200)
    position = forms.CharField(label="Chức vụ", max_length=200, required=False)
    phone = forms.CharField(label="Điện thoại", max_length=30, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=None)
    roles = forms.MultipleChoiceField(
        label="Vai trò", widget=forms.CheckboxSelectMultiple, required=False
    )
    reason = forms.CharField(label="Lý do thay đổi", max_length=200, required=False)

    def __init__(self, *args, by: Person, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = administered_units(by)
        vn_choices(self.fields["unit"])
        self.fields["roles"].choices = [(r, ROLE_LABELS[r]) for r in grantable_roles(by)]
        if creating:
            self.fields["username"].required = True
            self.fields["password"].required = True
        else:
            del self.fields["username"]
            del self.fields["password"]


class AssignmentForm(forms.Form):
    unit = forms.ModelChoiceField(label="Đơn vị được thẩm định", queryset=None)

    def __init__(self, *args, by: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = administered_units(by)
        vn_choices(self.fields["unit"])
