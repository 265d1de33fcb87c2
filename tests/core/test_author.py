"""core.people.author: the person a change is stored under (issue 17: `by` typed)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

from cchc.core.people import author


def test_a_signed_in_user_and_the_system_are_stored_as_they_are():
    user = User(username="congchuc")
    assert author(user) is user
    assert author(None) is None


def test_an_anonymous_visitor_is_refused_not_stored_without_a_name():
    with pytest.raises(PermissionDenied, match="đăng nhập"):
        author(AnonymousUser())
