from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from cchc.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict:
    """What the base layout needs on every page: the site name and the menu for this person."""
    return {"SITE_NAME": settings.SITE_NAME, "nav_items": navigation_for(request)}
