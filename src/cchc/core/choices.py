"""Selects of model objects in Vietnamese order (issue 15): the database sorts names by
code point on SQLite and by the server's locale on PostgreSQL, so a form's choices are
sorted here, by the label the person reads (core.collation)."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator

from cchc.core.collation import vn_sorted


class VnChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in vn_sorted(self.queryset, key=self.field.label_from_instance):
            yield self.choice(obj)


def vn_choices(field: forms.Field) -> forms.Field:
    """Make a ModelChoiceField or ModelMultipleChoiceField list its choices in Vietnamese
    order of their labels; the queryset still decides what is valid."""
    field.iterator = VnChoiceIterator  # type: ignore[attr-defined]
    field.widget.choices = field.choices  # type: ignore[attr-defined]
    return field
