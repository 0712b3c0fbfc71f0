"""The JSON API under /api/v1/: the NinjaAPI object, its error handlers and its routers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from iepright.api.auth import session_auth, token_auth
from iepright.api.errors import error_body, validation_fields
from iepright.api.routes import calendars, children, contacts, households, plans, provisions

api = NinjaAPI(
    title="IEP Right API",
    version="1",
    description=(
        "Households, children, IEP and 504 plans, provisions, school calendars and contacts. "
        "Authenticate with `Authorization: Bearer <token>` (create tokens under Settings) or, "
        "from the site's own pages, the session cookie plus the CSRF token."
    ),
    auth=[token_auth, session_auth],
    urls_namespace="api",
)
# Swagger UI would otherwise show a badge that fetches validator.swagger.io: no third parties.
api.docs = Swagger(settings={"validatorUrl": None})


def _json(request: HttpRequest, status: int, code: str, message: str, fields=None) -> HttpResponse:  # type: ignore[no-untyped-def]
    return api.create_response(request, error_body(status, code, message, fields), status=status)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = []
    for err in exc.errors:
        # loc is (source, [body parameter,] field, ...); strip only those leading parts, so a
        # field that is itself called "file" keeps its name.
        loc = [str(part) for part in err.get("loc", [])]
        if loc[:1] and loc[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
            loc = loc[1:]
        if loc[:1] == ["payload"]:
            loc = loc[1:]
        fields.append({"field": ".".join(loc), "message": str(err.get("msg", "Invalid value."))})
    return _json(request, 422, "validation_error", "Some values are not valid.", fields)


@api.exception_handler(ValidationError)
def on_model_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _json(
        request, 422, "validation_error", "Some values are not valid.", validation_fields(exc)
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _json(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _json(request, 403, "forbidden", str(exc) or "You may not do this.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _json(request, 401, "unauthenticated", "Log in, or send a valid API token.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises HttpError itself (e.g. a body that is not JSON); keep the one error shape.
    codes = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found"}
    return _json(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


for module in (households, children, plans, provisions, calendars, contacts):
    api.add_router("/", module.router)
from iepright.api.routes import entries  # noqa: E402 - the daily log (issue 3)

api.add_router("/", entries.router)
from iepright.api.routes import reports  # noqa: E402 - findings, ledger, exports (issue 4)

api.add_router("/", reports.router)
