"""Small helpers shared by the API routes: who is asking, paging, and saving with full_clean()."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from iepright.accounts.models import ApiToken, User

MAX_LIMIT = 500
# Past any list's length, and well inside the databases' 64-bit OFFSET.
MAX_OFFSET = 1_000_000_000


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`; answers {"items": [...], "count": n} with count before paging."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"At most {MAX_OFFSET}.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def user_of(request: HttpRequest) -> User:
    """Return the user that the token or session authenticated."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User)
    return user


def client_of(request: HttpRequest) -> str:
    """Return how the change arrived, as the history records it.

    Only the token that authenticated this very request counts (TokenAuth sets it): an
    Authorization header that did not get the request in — a revoked or made-up token sent
    along with a session cookie — says nothing about who made the change.
    """
    token = getattr(request, "api_token", None)
    if isinstance(token, ApiToken):
        return f"api:{token.name}"
    return "web-api"


def save(obj: Model) -> None:
    """Validate with the model's own rules, so the API and the pages refuse the same input."""
    obj.full_clean()
    obj.save()


def apply(obj: Model, data: Mapping[str, Any]) -> None:
    """Set the fields that were sent (a PATCH body dumped with exclude_unset), then save."""
    for name, value in data.items():
        setattr(obj, name, value)
    save(obj)


def renamed(exc: ValidationError, names: Mapping[str, str]) -> ValidationError:
    """Return the error with model field names replaced by the names the request used."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {names.get(field, field): errors for field, errors in exc.error_dict.items()}
    )
