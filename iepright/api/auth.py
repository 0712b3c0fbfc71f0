"""API authentication: personal bearer tokens for clients, the session (with CSRF) for our pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

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
        # Touch last_used at most once a minute, so a busy client does not write on every call.
        if found.last_used is None or (now - found.last_used).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        return found.user


session_auth = SessionAuth(csrf=True)
token_auth = TokenAuth()
