"""Vietnamese whatever the browser asks for.

The interface is Vietnamese only (settings.LANGUAGES); officials often run browsers set
to English, and the browser's Accept-Language header is ignored so that Django never
looks for another language.
"""

from __future__ import annotations


class IgnoreBrowserLanguage:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
