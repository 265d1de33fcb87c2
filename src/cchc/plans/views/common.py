"""Helpers shared by the plans pages."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse

from cchc.core import uploads
from cchc.plans.forms import StatusForm


def form_errors_from(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where it names a field)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def change_status(
    request: HttpRequest, change: Callable[..., object], *, reason: bool = False, prefix: str = ""
) -> tuple[StatusForm, bool]:
    """Call `change(status=, done_on=)` (and `reason=` when the record keeps one) with the
    posted status form. The form and whether the change was saved; a service's refusal is
    shown as an error message after `prefix`, an invalid form is left to the caller."""
    form = StatusForm(request.POST)
    if not form.is_valid():
        return form, False
    data = form.cleaned_data
    fields = {"status": data["status"], "done_on": data["done_on"]}
    if reason:
        fields["reason"] = data["reason"]
    try:
        change(**fields)
    except ValidationError as error:
        messages.error(request, prefix + message_of(error))
        return form, False
    return form, True


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def file_response(field) -> FileResponse:
    # An attachment with its type read from its content, and nosniff (core/uploads.py).
    return uploads.serve(field)


def int_param(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
