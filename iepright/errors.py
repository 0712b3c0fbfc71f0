"""One function builds every JSON error body; tests/api/test_error_shape.py pins its shape.

The API answers every error with it, and so does the check-in page's script endpoint: it lives
outside `api` so that the pages can use it without depending on the API package.

{"error": {"status": 422, "code": "validation_error", "message": "...",
           "fields": [{"field": "end_date", "message": "..."}]}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def error_body(
    status: int, code: str, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """Return the JSON body for an error (API routes and the check-in page's script alike)."""
    return {"error": {"status": status, "code": code, "message": message, "fields": fields or []}}


def validation_fields(exc: ValidationError) -> list[dict[str, str]]:
    """Return a Django ValidationError as a list of {field, message}; "" means the whole object."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": "" if name == "__all__" else name, "message": message}
            for name, errors in exc.message_dict.items()
            for message in errors
        ]
    return [{"field": "", "message": message} for message in exc.messages]
