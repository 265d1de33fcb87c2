"""Helpers shared by the plans pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse

from cchc.core import uploads


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
