"""Turns errors a user can cause into clear 400 answers, in one place.

Services raise :class:`remix.errors.UserInputError` (or a subclass) with a message naming the
file, feature, field or parameter at fault; both DRF views and plain Django views answer it
with a JSON body ``{"detail": ..., "field": ...}`` and status 400.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

__all__ = [
    "API_PREFIXES",
    "NOT_FOUND",
    "UserInputError",
    "exception_handler",
    "user_input_error_response",
    "page_not_found",
    "NUL_IN_REQUEST",
    "NulByteMiddleware",
]

# Machine-facing URL spaces: their errors are JSON, like every other answer there.
API_PREFIXES = ("/api/", "/ogc/", "/tiles/")
NOT_FOUND = "Risorsa non trovata: {path}."
NUL_IN_REQUEST = "{name}: il carattere NUL (0x00) non è ammesso."


class UserInputError(Exception):
    """A request or upload the user can fix; ``field`` names the parameter or field at fault."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict:
        body = {"detail": self.message}
        if self.field:
            body["field"] = self.field
        return body


def user_input_error_response(exc: UserInputError) -> JsonResponse:
    """The plain-Django answer to a :class:`UserInputError`."""
    return JsonResponse(exc.as_dict(), status=exc.status_code)


def exception_handler(exc, context):
    """DRF exception handler: UserInputError and model ValidationError become 400s."""
    if isinstance(exc, UserInputError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: a JSON ``{"detail": ...}`` under the API's URL spaces (a URL no route
    matches, e.g. a non-numeric id), Django's page elsewhere."""
    if request.path.startswith(API_PREFIXES):
        return JsonResponse({"detail": NOT_FOUND.format(path=request.path)}, status=404)
    return defaults.page_not_found(request, exception)


class NulByteMiddleware:
    """A NUL character in the path or in a query parameter is a 400 naming where it is.

    PostgreSQL text cannot hold NUL, so such a value would fail deep inside a query (a 500)
    wherever a path segment or parameter reaches the database unvalidated.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return user_input_error_response(
                UserInputError(NUL_IN_REQUEST.format(name="path"), field="path")
            )
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                field = name.replace("\x00", "")
                error = UserInputError(NUL_IN_REQUEST.format(name=field), field=field)
                return user_input_error_response(error)
        return self.get_response(request)
