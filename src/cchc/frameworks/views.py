"""Framework pages: the list, one framework's criteria tree, loading a YAML, exporting it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cchc.core.formatting import vn_number
from cchc.core.jobs import start_upload
from cchc.frameworks import tasks
from cchc.frameworks.models import Criterion, Framework
from cchc.frameworks.spec import SURVEY_LABELS
from cchc.units.permissions import may_change_shared

ERR_NO_SOURCE = "Hãy chọn tệp YAML hoặc dán nội dung bộ chỉ số."
ERR_NOT_UTF8 = "Tệp không phải văn bản UTF-8."
ERR_ONLY_ADMIN = "Chỉ quản trị viên (Sở Nội vụ) được nạp bộ chỉ số."
MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # a framework is a few hundred lines of YAML

METHOD_LABELS = {
    "evidence": "Tài liệu kiểm chứng",
    "metric": "Số liệu đo được",
    "survey": "Kết quả điều tra",
}
METRIC_LABELS = {
    "on_time_rate": "tỷ lệ hồ sơ giải quyết đúng hạn",
    "online_rate": "tỷ lệ hồ sơ trực tuyến",
    "intake_digitized_rate": "tỷ lệ hồ sơ số hóa khi tiếp nhận",
    "result_digitized_rate": "tỷ lệ kết quả được số hóa",
    "paid_online_rate": "tỷ lệ hồ sơ thanh toán trực tuyến",
    "plan_completion_rate": "tỷ lệ hoàn thành kế hoạch CCHC",
}


@dataclass(frozen=True)
class RuleText:
    """How a leaf is scored, in words a reader understands."""

    method: str
    detail: str


def _pct(value) -> str:
    return vn_number(Decimal(str(value))) + "%"


def rule_text(node: Criterion) -> RuleText:
    """'Số liệu: tỷ lệ hồ sơ giải quyết đúng hạn — từ 100%: 1 điểm; từ 95%: 0,5; dưới: 0'."""
    if not node.is_leaf:
        return RuleText("", "")
    method = METHOD_LABELS.get(node.method, node.method)
    parts: list[str] = []
    if node.method == "metric":
        label = METRIC_LABELS.get(node.metric, "")
        # The label users read; the code (plan_completion_rate) only when no label is known.
        parts.append(label or node.metric)
    elif node.method == "survey":
        parts.append(SURVEY_LABELS.get(node.survey, node.survey))
        if node.scale is not None:
            parts.append(f"thang {vn_number(node.scale)} = 100%")
    if node.method in ("metric", "survey"):
        if node.thresholds:
            rows = []
            for i, row in enumerate(node.thresholds):
                points = vn_number(Decimal(str(row["points"])))
                if Decimal(str(row["min"])) == 0 and i:
                    rows.append(f"dưới mức trên: {points} điểm")
                else:
                    rows.append(f"từ {_pct(row['min'])}: {points} điểm")
            parts.append("; ".join(rows))
        elif node.full_at is not None:
            parts.append(
                f"đạt {_pct(node.full_at)} trở lên: tối đa; dưới {_pct(node.full_at)}: "
                f"tỷ lệ × {vn_number(node.max_points)} / {_pct(node.full_at)}"
            )
        else:
            parts.append(f"tỷ lệ × {vn_number(node.max_points)} / 100")
    return RuleText(method, " — ".join(parts))


def tree_rows(framework: Framework) -> list[dict]:
    """The criteria in the order the YAML lists them, each with its rule in words."""
    rows = []
    for node in framework.criteria.order_by("position"):
        rows.append({"node": node, "rule": rule_text(node)})
    return rows


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = Framework.objects.annotate(
        n_criteria=Count("criteria", distinct=True), n_cycles=Count("cycles", distinct=True)
    ).order_by("-loaded_at")
    return render(
        request,
        "frameworks/framework_list.html",
        {"frameworks": frameworks, "can_load": may_change_shared(request.user)},
    )


@login_required
def framework_detail(request: HttpRequest, code: str) -> HttpResponse:
    framework = get_object_or_404(Framework.objects.select_related("loaded_by"), code=code)
    spec = framework.spec()
    return render(
        request,
        "frameworks/framework_detail.html",
        {
            "framework": framework,
            "spec": spec,
            "rows": tree_rows(framework),
            "cycles": framework.cycles.order_by("-year"),
            # The file name only: a server path says nothing to the reader.
            "source_name": framework.source_file.replace("\\", "/").rsplit("/", 1)[-1],
            "history": framework.history.select_related("history_user").order_by("-history_date")[
                :10
            ],
        },
    )


@login_required
def framework_upload(request: HttpRequest) -> HttpResponse:
    if not may_change_shared(request.user):
        raise PermissionDenied(ERR_ONLY_ADMIN)
    problem = ""
    text = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        text = request.POST.get("text", "")
        source: str | bytes | None = None
        filename = ""
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                problem = "Tệp quá lớn (tối đa 2 MB)."
            else:
                source = upload.read()
                filename = upload.name
                try:
                    source.decode("utf-8-sig")
                except UnicodeDecodeError:
                    problem, source = ERR_NOT_UTF8, None
        elif text.strip():
            source = text
        else:
            problem = ERR_NO_SOURCE
        if source is not None:
            data = source.encode("utf-8") if isinstance(source, str) else source
            job = start_upload(
                kind=tasks.JOB_KIND,
                title=f"Nạp bộ chỉ số từ {filename or 'nội dung dán vào'}",
                by=request.user,
                task=tasks.load_framework_task,
                content=data,
                filename=filename or "bo-chi-so.yaml",
                params={"source_file": filename},
            )
            return redirect("job-detail", job.pk)
    return render(
        request,
        "frameworks/framework_upload.html",
        {"problem": problem, "text": text},
        status=400 if problem else 200,
    )


@login_required
def framework_export(request: HttpRequest, code: str) -> HttpResponse:
    framework = get_object_or_404(Framework, code=code)
    response = HttpResponse(framework.yaml_text, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{framework.code}.yaml"'
    return response
