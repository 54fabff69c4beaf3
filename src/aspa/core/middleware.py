"""Attach the active organisation membership to the request and activate the user's language."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from aspa.core.tenancy import SESSION_ORG_KEY


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.organisation = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from aspa.org.selectors import membership_active_for

            membership = membership_active_for(
                user=user, organisation_id=request.session.get(SESSION_ORG_KEY)
            )
            if membership is not None:
                request.membership = membership  # type: ignore[attr-defined]
                request.organisation = membership.organisation  # type: ignore[attr-defined]
        return self.get_response(request)


class UserLanguageMiddleware:
    """A logged-in person's chosen language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        if user is not None and user.is_authenticated and user.language:
            response.headers.setdefault("Content-Language", user.language)
        return response


class FinnishFirstLocaleMiddleware(LocaleMiddleware):
    """Finnish unless the visitor chose otherwise (language cookie) or a logged-in person's setting says so.

    The browser's Accept-Language is deliberately ignored: Aspa is Finnish first, and a Finnish agent on an
    English-language browser should not get an English UI by accident.
    """

    def process_request(self, request: HttpRequest) -> None:
        from django.conf import settings

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
