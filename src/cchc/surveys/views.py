"""Survey results (điều tra XHH, SIPAS) of a cycle: read by those who see the units, entered
one by one or imported from CSV/XLSX by the cycle's administrators."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cchc.core.collation import vn_order
from cchc.core.jobs import start_upload
from cchc.core.tabular import csv_writer
from cchc.evaluations.selectors import can_administer, cycle_for, cycle_units_for
from cchc.evaluations.services import EvaluationError
from cchc.frameworks.spec import SURVEY_LABELS
from cchc.surveys import services, tasks
from cchc.surveys.selectors import survey_results_for

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class SurveyResultForm(forms.Form):
    unit = forms.TypedChoiceField(label="Đơn vị", coerce=int)
    survey = forms.ChoiceField(label="Cuộc điều tra")
    value = forms.CharField(
        label="Kết quả",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "VD: 92,8"}),
    )
    respondents = forms.IntegerField(label="Số phiếu", min_value=0, required=False)
    source_note = forms.CharField(label="Nguồn", max_length=500, required=False)

    def __init__(self, *args, cycle_units, scales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(cu.unit_id, cu.unit.name) for cu in cycle_units]
        self.fields["survey"].choices = [
            (code, f"{SURVEY_LABELS.get(code, code)} (0–{scale.normalize():f})")
            for code, scale in scales.items()
        ]


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request.user, pk)
    is_admin = can_administer(request.user, cycle)
    scales = services.survey_scales(cycle)
    cycle_units = vn_order(cycle_units_for(request.user, cycle), "block", "unit__name")
    form = None
    if request.method == "POST" and not is_admin:
        raise PermissionDenied("Chỉ quản trị viên của kỳ đánh giá nhập kết quả điều tra.")
    if is_admin:
        form = SurveyResultForm(request.POST or None, cycle_units=cycle_units, scales=scales)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            unit = next(cu.unit for cu in cycle_units if cu.unit_id == data["unit"])
            try:
                services.survey_result_set(
                    cycle=cycle,
                    unit=unit,
                    survey=data["survey"],
                    value=data["value"],
                    respondents=data.get("respondents"),
                    source_note=data.get("source_note") or "",
                    by=request.user,
                )
            except EvaluationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    f"Đã lưu kết quả {SURVEY_LABELS.get(data['survey'], data['survey'])} của "
                    f"{unit.name}; điểm các tiêu chí điều tra đã được tính lại.",
                )
                return redirect("survey-results", pk=cycle.pk)
    results = survey_results_for(request.user, cycle)
    by_unit: dict[int, dict[str, object]] = {}
    for result in results:
        by_unit.setdefault(result.unit_id, {})[result.survey] = result
    rows = [
        {"cu": cu, "cells": [by_unit.get(cu.unit_id, {}).get(code) for code in scales]}
        for cu in cycle_units
    ]
    filled = {code: sum(1 for r in rows if r["cells"][i]) for i, code in enumerate(scales)}
    return render(
        request,
        "surveys/survey_results.html",
        {
            "cycle": cycle,
            "is_admin": is_admin,
            "form": form,
            "surveys": [(code, SURVEY_LABELS.get(code, code), scales[code]) for code in scales],
            "rows": rows,
            "filled": [filled[code] for code in scales],
            "editable": cycle.state not in ("finalised", "published"),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@login_required
def survey_import(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request.user, pk, "administer")
    problem = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problem = "Hãy chọn tệp CSV hoặc XLSX."
        elif upload.size > MAX_IMPORT_BYTES:
            problem = "Tệp quá lớn (tối đa 10 MB)."
        else:
            job = start_upload(
                kind=tasks.JOB_KIND,
                title=f"Nhập kết quả điều tra từ tệp {upload.name}",
                by=request.user,
                task=tasks.import_survey_results_task,
                upload=upload,
                filename=upload.name,
                params={"cycle_id": cycle.pk},
            )
            return redirect("job-detail", job.pk)
    return render(
        request,
        "surveys/survey_import.html",
        {
            "cycle": cycle,
            "problem": problem,
            "surveys": list(services.survey_scales(cycle)),
        },
        status=400 if problem else 200,
    )


@login_required
def survey_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV to fill in: one line per unit and survey, value empty."""
    cycle = cycle_for(request.user, pk, "administer")
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(["unit", "survey", "value", "respondents", "note"])
    for cu in vn_order(cycle.cycle_units.select_related("unit"), "block", "unit__name"):
        for survey in services.survey_scales(cycle):
            writer.writerow([cu.unit.key, survey, "", "", cu.unit.name])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ket-qua-dieu-tra-{cycle.pk}.csv"'
    return response
