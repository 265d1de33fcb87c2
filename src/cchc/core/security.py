"""Security plumbing around every request: the Content-Security-Policy header, the client's
address behind a proxy, and the page a locked-out login gets (django-axes).

docs/security.md explains the settings; the policy itself lives in settings.py.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

LOCKED_MESSAGE = (
    "Đăng nhập tạm bị khóa: tài khoản này hoặc máy của bạn đã nhập sai mật khẩu {limit} lần. "
    "Hãy thử lại sau {minutes} phút, hoặc nhờ quản trị viên đơn vị mở khóa."
)


class ContentSecurityPolicy:
    """Adds settings.CONTENT_SECURITY_POLICY to every response that has none.

    A response may set its own (a file download, for instance); an empty setting turns
    the header off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            if response.get("X-Frame-Options") == "SAMEORIGIN":
                # a view made to be framed by our own pages (the report preview)
                policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
            response["Content-Security-Policy"] = policy
        return response


def client_ip(request) -> str | None:
    """The address a login attempt came from, as django-axes counts it.

    Behind our own reverse proxy the socket's address is the proxy's, so every office
    would share one counter: take the last X-Forwarded-For hop instead, the one our proxy
    appended (earlier hops are whatever the client wrote, so they are never trusted).
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def login_locked(request, original_response=None, credentials=None):
    """The login page again, with the reason it refuses and what to do (HTTP 429)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    message = LOCKED_MESSAGE.format(limit=settings.AXES_FAILURE_LIMIT, minutes=lockout_minutes())
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_message": message, "next": request.POST.get("next", "")},
        status=429,
    )
