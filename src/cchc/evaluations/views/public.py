"""The public pages (no login): published cycles only, with the figures frozen at publication
and the method, maxima and rules they were computed with. An unpublished cycle is a 404."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import wraps

from django.core.cache import cache
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token  # type: ignore[attr-defined]
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import condition

from cchc.core.collation import vn_order
from cchc.evaluations import selectors
from cchc.evaluations.models import Cycle, PublishedResult
from cchc.evaluations.views import display
from cchc.evaluations.views.results import (
    block_page_context,
    card_context,
    cycle_result_views,
    svg_response,
    xlsx_response,
)
from cchc.frameworks.views import tree_rows

NOT_PUBLISHED = "Không có kết quả đã công bố này."


def _published_cycle(pk: int) -> Cycle:
    cycle = selectors.published_cycles().filter(pk=pk).first()
    if cycle is None:
        raise Http404(NOT_PUBLISHED)
    return cycle


# Published results are frozen (DESIGN.md, Trust): a public page changes only when results
# are published (a correction republishes, with a new published_at) or when new code is
# deployed, which restarts the server. So each page says Last-Modified and an ETag, and
# answers a browser's or proxy's If-None-Match or If-Modified-Since with 304 before
# rendering anything (issue 13: public ranking p95 881 ms under load).
_STARTED = timezone.now().replace(microsecond=0)


def _latest(stamps: dict) -> dt.datetime | None:
    known = [stamp for stamp in stamps.values() if stamp is not None]
    return max([_STARTED, *known]) if known else None


def _stamp(request: HttpRequest, pk: int | None) -> dt.datetime | None:
    """When the cycle's results (pk None: any published results) last changed; one query
    per request, shared by the ETag, Last-Modified and the cached render."""
    if not hasattr(request, "cchc_published_at"):
        cycles = selectors.published_cycles()
        if pk is not None:
            cycles = cycles.filter(pk=pk)
        request.cchc_published_at = _latest(
            cycles.aggregate(
                cycle=Max("published_at"), results=Max("published_results__published_at")
            )
        )
    return request.cchc_published_at


def _cycle_published_at(request: HttpRequest, pk: int, *args, **kwargs) -> dt.datetime | None:
    return _stamp(request, pk)


def _any_published_at(request: HttpRequest) -> dt.datetime | None:
    return _stamp(request, None)


def _page_etag(request: HttpRequest, stamp: dt.datetime | None) -> str | None:
    """The page's version: its address, the publication it shows, and who reads it (a
    signed-in person's page names them; a visitor's is the same for every visitor, its
    CSRF token aside, which the visitor's browser already holds with its cookie)."""
    if stamp is None:
        return None
    reader = request.user.pk if request.user.is_authenticated else "-"
    version = f"{request.get_full_path()}|{stamp.isoformat()}|{reader}"
    return hashlib.sha256(version.encode()).hexdigest()[:32]


def _cycle_etag(request: HttpRequest, pk: int, *args, **kwargs) -> str | None:
    return _page_etag(request, _stamp(request, pk))


def _any_etag(request: HttpRequest) -> str | None:
    return _page_etag(request, _stamp(request, None))


def _revalidated(view):
    """Browsers and proxies keep the page for this reader only (it carries their CSRF token)
    and ask again each time: a 304 costs one query, and a correction shows at once."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response["Cache-Control"] = "private, no-cache"
        return response

    return wrapper


# A visitor's page is rendered once per worker and publication, then served from the cache
# (issue 13: >= 300 requests/s on the public ranking). Signed-in people get a fresh render
# (the page names them). The page carries the visitor's CSRF token (base.html): it is
# cut out before caching and the current visitor's put back, so no token is shared.
PUBLIC_CACHE_SECONDS = 24 * 3600
_TOKEN_SLOT = b"\x00cchc-csrf\x00"
_CACHED_TYPES = ("text/html", "image/svg+xml")
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _without_token(content: bytes, secret: str | None) -> bytes:
    """The page with every (masked) form of this visitor's CSRF secret cut out."""
    if not secret:
        return content

    def slot(found: re.Match) -> bytes:
        token = found.group().decode()
        return _TOKEN_SLOT if _unmask_cipher_token(token) == secret else found.group()

    return _TOKEN.sub(slot, content)


def _rendered_once(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        stamp = getattr(request, "cchc_published_at", None)
        if request.method != "GET" or stamp is None or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"public-page:{path}:{stamp.isoformat()}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            if _TOKEN_SLOT in content:
                content = content.replace(_TOKEN_SLOT, get_token(request).encode())
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith(_CACHED_TYPES):
            secret = request.META.get("CSRF_COOKIE")
            content = _without_token(response.content, secret)
            cache.set(key, (content, content_type), PUBLIC_CACHE_SECONDS)
        return response

    return wrapper


def frozen_cycle(view):
    """ETag, Last-Modified and 304 (condition), then the cached render for visitors."""
    return _revalidated(
        condition(etag_func=_cycle_etag, last_modified_func=_cycle_published_at)(
            _rendered_once(view)
        )
    )


@_revalidated
@condition(etag_func=_any_etag, last_modified_func=_any_published_at)
def public_results(request: HttpRequest) -> HttpResponse:
    cycles = vn_order(selectors.published_cycles(), "-year", "name")
    for cycle in cycles:
        cycle.n_units = cycle.published_results.count()
    return render(request, "evaluations/public_list.html", {"cycles": cycles})


@frozen_cycle
def public_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _published_cycle(pk)
    # One block at a time for a big cycle, as on the signed-in page: the block is in the
    # address, so the cache (_rendered_once, keyed by the address) and the ETag keep a page
    # per block.
    context = block_page_context(request, cycle)
    context.update({"public": True, "rows": tree_rows(cycle.framework), "spec": context["fw"]})
    return render(request, "evaluations/public_cycle.html", context)


@frozen_cycle
def public_cycle_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _published_cycle(pk)
    return xlsx_response(cycle, cycle_result_views(cycle))


@frozen_cycle
def public_framework(request: HttpRequest, pk: int) -> HttpResponse:
    """The framework the cycle was computed with, as the YAML file."""
    cycle = _published_cycle(pk)
    response = HttpResponse(
        cycle.framework.yaml_text, content_type="application/x-yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{cycle.framework.code}.yaml"'
    return response


def _published(cycle: Cycle, unit_pk: int) -> PublishedResult:
    published = (
        PublishedResult.objects.select_related("unit", "cycle_unit", "cycle_unit__cycle")
        .filter(cycle=cycle, unit_id=unit_pk)
        .first()
    )
    if published is None:
        raise Http404(NOT_PUBLISHED)
    return published


def _previous_published(published: PublishedResult) -> PublishedResult | None:
    """The unit's result in its most recent earlier published cycle."""
    return (
        PublishedResult.objects.filter(
            unit_id=published.unit_id,
            cycle__state="published",
            cycle__year__lt=published.cycle.year,
        )
        .select_related("cycle", "cycle__framework", "unit")
        .order_by("-cycle__year")
        .first()
    )


def public_comparison(cycle: Cycle, published: PublishedResult, view) -> list:
    previous = _previous_published(published)
    if previous is None:
        return []
    old = display.from_published(previous.cycle.framework.spec(), previous, with_gap=False)
    same_fw = previous.cycle.framework_id == cycle.framework_id
    by_code = {c.code: c for c in old.components}
    lines = []
    for c in view.components:
        o = by_code.pop(c.code, None)
        if o is None:
            note = display.CHANGE_NOTES["new"]
        elif o.max != c.max:
            note = display.CHANGE_NOTES["max_changed"]
        elif not same_fw:
            note = "Bộ chỉ số khác năm trước: tiêu chí có thể đã thay đổi"
        else:
            note = ""
        lines.append(
            display.ComparisonLine(
                code=c.code,
                title=c.title,
                score=c.score,
                previous_score=o.score if o else None,
                percent=c.percent,
                previous_percent=o.percent if o else None,
                delta_score=(c.score - o.score) if o and o.max == c.max else None,
                delta_percent=(c.percent - o.percent) if o else None,
                note=note,
            )
        )
    for o in by_code.values():
        lines.append(
            display.ComparisonLine(
                o.code,
                o.title,
                None,
                o.score,
                None,
                o.percent,
                None,
                None,
                display.CHANGE_NOTES["removed"],
            )
        )
    return lines


@frozen_cycle
def public_unit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    cycle = _published_cycle(pk)
    published = _published(cycle, unit_pk)
    view = display.from_published(cycle.framework.spec(), published)
    context = card_context(None, published.cycle_unit, view, public=True)
    view.comparison = public_comparison(cycle, published, view)
    previous = _previous_published(published)
    context.update({"previous_published": previous})
    return render(request, "evaluations/unit_result.html", context)


@frozen_cycle
def public_unit_chart(request: HttpRequest, pk: int, unit_pk: int, kind: str) -> HttpResponse:
    cycle = _published_cycle(pk)
    published = _published(cycle, unit_pk)
    fw = cycle.framework.spec()
    view = display.from_published(fw, published, with_gap=False)
    if kind == "ranking":
        rows = cycle_result_views(cycle, view.block or "")
        return svg_response(display.ranking_chart(rows, highlight=view.unit_name), public=True)
    if kind not in ("bar", "radar"):
        raise Http404("Không có loại biểu đồ này.")
    return svg_response(display.component_chart(view, kind=kind), public=True)


@frozen_cycle
def public_ranking_chart(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _published_cycle(pk)
    block = request.GET.get("block", "")
    rows = cycle_result_views(cycle, block)
    if not rows:
        raise Http404("Không có khối này.")
    return svg_response(display.ranking_chart(rows), public=True)
