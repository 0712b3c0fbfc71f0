"""The JSON API under /api/v1/: the NinjaAPI object, its error handlers and its routers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation

from iepright.api.auth import session_auth, token_auth
from iepright.api.routes import (
    calendars,
    children,
    contacts,
    dayfacts,
    entries,
    households,
    plans,
    provisions,
    reports,
)
from iepright.errors import error_body, validation_fields


class Api(NinjaAPI):
    """NinjaAPI whose every answer under /api/v1/ is in the one error shape.

    ninja answers a method a route does not take with a plain-text 405, and a path that
    matches no route (a malformed or upper-case UUID, a typo) falls through to the site's HTML
    404: both are turned into JSON here. ninja also ignores query parameters a route does not
    take; here they are a 422.
    """

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        for bound in self._get_bound_routers():
            for path_view in bound.path_operations.values():
                for operation in path_view.operations:
                    _refuse_unknown_query(operation)
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_405(pattern.callback)
        urls.append(re_path(r"^.*$", _no_route, name="no_route"))
        return urls


def _refuse_unknown_query(operation: Operation) -> None:
    """Make the operation refuse a query parameter it does not take, after authentication.

    A misspelt filter (`?stauts=partly`) would otherwise answer with the unfiltered list, and a
    misspelt option be ignored without a word.
    """
    if getattr(operation, "refuses_unknown_query", False):
        return
    known = frozenset(
        name
        for model in operation.models
        if getattr(model, "__ninja_param_source__", None) == "query"
        for name in getattr(model, "__ninja_flatten_map__", {})
    )
    get_values = operation._get_values

    def checked(request: HttpRequest, path_params: Any, temporal_response: HttpResponse) -> Any:
        unknown = sorted(set(request.GET) - known)
        if unknown:
            if known:
                message = _("Unknown query parameter; this address takes %(known)s.") % {
                    "known": ", ".join(sorted(known))
                }
            else:
                message = _("Unknown query parameter; this address takes none.")
            raise ValidationError({name: message for name in unknown})
        return get_values(request, path_params, temporal_response)

    operation._get_values = checked  # type: ignore[method-assign]
    operation.refuses_unknown_query = True  # type: ignore[attr-defined]


def _json_405(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)  # keeps csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _json(
                request,
                405,
                "method_not_allowed",
                _("This address does not take %(method)s; it takes %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
            )
            response["Allow"] = allowed
        return response

    return wrapped


@csrf_exempt
def _no_route(request: HttpRequest) -> HttpResponse:
    return _json(
        request,
        404,
        "not_found",
        _("No API route has this address. Check it, and that ids are UUIDs in lower case."),
    )


api = Api(
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
        message = str(err.get("msg") or _("Invalid value."))
        # A validator's own message (e.g. the date format), without pydantic's prefix.
        message = message.removeprefix("Value error, ")
        fields.append({"field": ".".join(loc), "message": message})
    return _json(request, 422, "validation_error", _("Some values are not valid."), fields)


@api.exception_handler(ValidationError)
def on_model_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _json(
        request, 422, "validation_error", _("Some values are not valid."), validation_fields(exc)
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _json(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _json(request, 403, "forbidden", str(exc) or _("You may not do this."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    expired = getattr(request, "expired_token", None)
    if expired is not None:
        message = _(
            "This API token expired at %(when)s UTC. Create a new one under Settings → API tokens."
        ) % {"when": expired.expires.astimezone(UTC).strftime("%Y-%m-%d %H:%M")}
        return _json(request, 401, "token_expired", message)
    return _json(request, 401, "unauthenticated", _("Log in, or send a valid API token."))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return _json(
        request,
        413,
        "too_large",
        _(
            "The request body is larger than the limit of %(limit)s bytes (files: send them "
            "as multipart/form-data, up to %(mb)s MB each)."
        )
        % {"limit": limit, "mb": settings.MAX_UPLOAD_MB},
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises HttpError itself (e.g. a body that is not JSON); keep the one error shape.
    codes = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found"}
    return _json(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


# In this order in the OpenAPI document: the records, then the daily log, then the reports.
for module in (
    households,
    children,
    plans,
    provisions,
    calendars,
    contacts,
    entries,
    dayfacts,
    reports,
):
    api.add_router("/", module.router)
