"""API authentication: personal bearer tokens for clients, the session (with CSRF) for our pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from iepright.accounts.models import ApiToken, hash_secret


class TokenAuth(HttpBearer):
    """`Authorization: Bearer iep_…`; the token is looked up by its SHA-256."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(ApiToken.PREFIX):
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_secret(token), revoked__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.is_expired(now):
            # Not authenticated; the 401 says why (api.on_unauthenticated).
            request.expired_token = found  # type: ignore[attr-defined]
            return None
        # Touch last_used at most once an hour: each touch is a durable write of its own, and
        # the settings page only needs to show roughly when a token was last used.
        if found.last_used is None or (now - found.last_used).total_seconds() > 3600:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class CsrfSessionAuth(SessionAuth):
    """The session cookie of a logged-in user; unsafe methods also need the CSRF token.

    ninja's own SessionAuth checks CSRF before it looks at the session, so an anonymous POST
    would get a 403 in ninja's shape instead of our 401. Here an anonymous request is simply
    not authenticated (401), and a logged-in one that fails the CSRF check is a 403 in the
    one error shape (PermissionDenied goes through the handler in api.py).
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if self.csrf and check_csrf(request) is not None:
            raise PermissionDenied(
                _("The CSRF token is missing or wrong. Reload the page, or use an API token.")
            )
        return request.user


session_auth = CsrfSessionAuth(csrf=True)
token_auth = TokenAuth()
