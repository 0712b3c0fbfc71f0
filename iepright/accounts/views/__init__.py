"""Server-rendered pages for accounts, households and sharing, split by area."""

from __future__ import annotations

from django.conf import settings as conf  # `settings` is the name of a views module
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from iepright.accounts.models import User

INVITATION_SESSION_KEY = "invitation_token"


def current_user(request: HttpRequest) -> User:
    """Return the logged-in user (views using this are behind login_required)."""
    user = request.user
    assert isinstance(user, User)
    return user


def use_language(response: HttpResponse, language: str) -> HttpResponse:
    """Switch to `language` now and remember it in the cookie LocaleMiddleware reads."""
    translation.activate(language)
    response.set_cookie(
        conf.LANGUAGE_COOKIE_NAME,
        language,
        max_age=conf.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=conf.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
