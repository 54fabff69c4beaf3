"""The one JSON API of Aspa: authentication, error bodies, pagination, and every app's router.

Each app contributes a `router` in its own `api.py`; they are mounted under `/api/v1/` in app order.
Endpoints call the same selectors and services as the HTML views, so tenant scoping and role checks
are identical: a request acts as one Membership (`request.auth`), whether it came with a bearer token
or with the browser session (for the "try it out" button of the docs page).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver
from django.utils import translation
from django.utils.module_loading import import_string, module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from ninja import Field, NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer, SessionAuth

from aspa.core.roles import Capability
from aspa.core.tenancy import ERR_FORBIDDEN, Actor, actor_can

API_VERSION_PREFIX = "/v1/"
MAX_PAGE_SIZE = 100

# gettext_noop: extracted for translation, translated when answered (in the token owner's language).
ERR_NOT_AUTHENTICATED = gettext_noop(
    "Authentication required: send 'Authorization: Bearer <token>' or log in."
)
ERR_BAD_TOKEN = gettext_noop("The API token is invalid, expired or revoked.")
ERR_NOT_FOUND = gettext_noop("Not found.")
ERR_INVALID = gettext_noop("The request is not valid.")
ERR_CSRF = gettext_noop("CSRF check failed: send the X-CSRFToken header with session authentication.")
ERR_NO_ENDPOINT = gettext_noop("There is no API endpoint at %(path)s: see /api/docs for the endpoints.")
ERR_METHOD = gettext_noop("%(method)s is not allowed here; use %(allowed)s.")
ERR_BODY_TOO_LARGE = gettext_noop(
    "The request body is larger than %(limit)s MB: send the items in smaller batches."
)
ERR_BODY_NOT_JSON = gettext_noop(
    "The request body is not valid JSON: send a JSON object with Content-Type: application/json."
)
# ninja's own message when the body cannot be parsed (HttpError 400); answered with ERR_BODY_NOT_JSON.
NINJA_PARSE_ERROR = "Cannot parse request body"


class ErrorOut(Schema):
    """Every error response has this shape; `errors` lists field messages where there are any."""

    detail: str
    code: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


ERROR_RESPONSES: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Endpoints that take a JSON body also answer these: 400 (not JSON) and 413 (body too large).
BODY_ERROR_RESPONSES: dict[int, type[Schema]] = {400: ErrorOut, 413: ErrorOut, **ERROR_RESPONSES}


def _use_api(request: HttpRequest, membership: Actor | None) -> Actor | None:
    """Let the membership act through the API if its role may; speak the person's language."""
    if membership is None:
        return None
    if not actor_can(membership, Capability.USE_API):
        raise PermissionDenied(_(ERR_FORBIDDEN))
    if membership.user.language:
        translation.activate(membership.user.language)
        request.LANGUAGE_CODE = membership.user.language
    return membership


class BadTokenError(AuthenticationError):
    """A bearer token was sent but does not authenticate (unknown, revoked, expired, person gone)."""


class TokenAuth(HttpBearer):
    """`Authorization: Bearer aspa_…`: a personal token that acts in the one organisation it belongs to."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        from aspa.org import selectors, services

        found = selectors.api_token_actor(token_hash=services.api_token_hash(token.strip()))
        if found is None:
            # A token was sent and is wrong: refuse outright instead of falling back to the session.
            raise BadTokenError
        api_token, membership = found
        services.api_token_touch(token=api_token)
        return _use_api(request, membership)


class MembershipSessionAuth(SessionAuth):
    """The logged-in browser session, acting as TenantMiddleware's membership; CSRF-checked for writes."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        # Without a logged-in session there is nothing to protect from CSRF: answer 401, not 403.
        if not request.user.is_authenticated:
            return None
        try:
            return super().__call__(request)
        except HttpError as exc:
            raise HttpError(exc.status_code, _(ERR_CSRF)) from exc

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        return _use_api(request, getattr(request, "membership", None))


class PagePagination(PaginationBase):
    """`?page=N&page_size=M` (at most MAX_PAGE_SIZE); the body carries count and next/previous links."""

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1)

    class Output(Schema):
        count: int
        page: int
        page_size: int
        next: str | None
        previous: str | None
        items: list[Any]

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page_size = min(pagination.page_size, MAX_PAGE_SIZE)
        page = pagination.page
        count = self._items_count(queryset)
        offset = (page - 1) * page_size
        return {
            "count": count,
            "page": page,
            "page_size": page_size,
            "next": _page_url(request, page + 1, page_size) if offset + page_size < count else None,
            "previous": _page_url(request, min(page - 1, _last_page(count, page_size)), page_size)
            if page > 1
            else None,
            "items": list(queryset[offset : offset + page_size]),
        }


def _last_page(count: int, page_size: int) -> int:
    return max(1, -(-count // page_size))


def _page_url(request: HttpRequest, page: int, page_size: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    query["page_size"] = str(page_size)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")


class LocalSwagger(Swagger):
    """Swagger UI served from ninja's bundled static files, in a page with a language and a landmark."""

    template = "core/api_docs.html"


class AspaNinjaAPI(NinjaAPI):
    """ninja's API whose wrong-method answer is a JSON 405 like every other error (ninja's is plain text)."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_not_allowed(pattern.callback)
        return urls


def _json_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _error(
                request,
                405,
                _(ERR_METHOD) % {"method": request.method, "allowed": allowed},
                "method_not_allowed",
            )
            response["Allow"] = allowed
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


api = AspaNinjaAPI(
    title="Aspa API",
    version="1",
    # Lazy: the schema is rendered per request, in the reader's language.
    description=gettext_lazy(  # type: ignore[arg-type]
        "The JSON API of Aspa. Authenticate with a personal API token (create one on your profile "
        "page) sent as 'Authorization: Bearer aspa_…'; a token acts in the one organisation it was "
        "created in. Logged-in browser sessions work too (with a CSRF token for writes)."
    ),
    auth=[TokenAuth(), MembershipSessionAuth()],
    urls_namespace="api",
    # validatorUrl None: Swagger UI would otherwise send the schema to validator.swagger.io.
    docs=LocalSwagger(settings={"validatorUrl": None}),
)


def _error(request: HttpRequest, status: int, detail: str, code: str, errors: Any = None) -> HttpResponse:
    body = {"detail": detail, "code": code, "errors": errors or {}}
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def _on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = _(ERR_BAD_TOKEN) if isinstance(exc, BadTokenError) else _(ERR_NOT_AUTHENTICATED)
    response = _error(request, 401, detail, "not_authenticated")
    response["WWW-Authenticate"] = 'Bearer realm="aspa"'
    return response


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith(NINJA_PARSE_ERROR):
        # The parser's own words (e.g. "Expecting ',' delimiter: line 1 column 9") say where it broke.
        where = [str(exc.__cause__)] if exc.__cause__ is not None else []
        return _error(
            request, 400, _(ERR_BODY_NOT_JSON), "invalid_body", {"__all__": where} if where else None
        )
    return _error(request, exc.status_code, str(exc), "error")


@api.exception_handler(RequestDataTooBig)
def _on_body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:g}"
    return _error(request, 413, _(ERR_BODY_TOO_LARGE) % {"limit": limit}, "too_large")


@api.exception_handler(PermissionDenied)
def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or _(ERR_FORBIDDEN), "permission_denied")


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _(ERR_NOT_FOUND), "not_found")


@api.exception_handler(DjangoValidationError)
def _on_domain_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in exc.message_dict[field]] for field in exc.message_dict}
        detail = " ".join(m for messages in errors.values() for m in messages)
    else:
        errors = {}
        detail = " ".join(str(m) for m in exc.messages)
    return _error(request, 422, detail or _(ERR_INVALID), "invalid", errors)


@api.exception_handler(NinjaValidationError)
def _on_schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # ninja's locations look like ("query", "page") or ("body", "payload", "email").
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "__all__", []).append(str(error.get("msg", "")))
    return _error(request, 422, _(ERR_INVALID), "invalid", errors)


def _mount_app_routers() -> None:
    """Mount `router` from every Aspa app's `api` module, so a new app needs no change here."""
    # Core's own endpoints (background jobs) live beside this module, which is the API itself.
    api.add_router(API_VERSION_PREFIX, import_string("aspa.core.api_jobs.router"))
    for config in apps.get_app_configs():
        if not config.name.startswith("aspa.") or config.name == "aspa.core":
            continue
        if module_has_submodule(config.module, "api"):
            api.add_router(API_VERSION_PREFIX, import_string(f"{config.name}.api.router"))
    # Last: any other path under /api/ is a JSON 404, not the site's HTML page (a client parses it).
    api.add_router("", _unknown_path_router)


_unknown_path_router = Router(auth=None)


@_unknown_path_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"],
    "/{path:rest}",
    include_in_schema=False,
    url_name="unknown_path",
)
def api_unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    return _error(request, 404, _(ERR_NO_ENDPOINT) % {"path": request.path}, "not_found")


_mount_app_routers()
