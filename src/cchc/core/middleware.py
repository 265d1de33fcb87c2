"""Vietnamese unless the person chose otherwise.

Officials often run browsers set to English; Django's LocaleMiddleware would then show
them an English interface they never asked for. The language comes from the person's own
choice (the language cookie set by the selector in the top bar), never from the browser's
Accept-Language header.
"""

from __future__ import annotations


class IgnoreBrowserLanguage:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
