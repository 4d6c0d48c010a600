"""The API's routes, read from the URLconf, with sample URL kwargs: tests that must cover every
endpoint iterate over them, so a new endpoint is covered without being listed."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, reverse

__all__ = ["PREFIXES", "SAMPLE_KWARGS", "WRITE_METHODS", "api_routes", "url_of", "view_of"]

# The URL spaces the rule covers, and sample values of their URL kwargs.
PREFIXES = ("api/", "ogc/", "tiles/")
SAMPLE_KWARGS = {
    "layer_id": "interventi",
    "istat_code": "015146",
    "slug": "nord-ovest",
    "fmt": "geojson",
    "feature_id": "1",
    "target_key": "interventi",
    "action": "invia",
    "job_id": "00000000-0000-4000-8000-000000000001",
    "z": "10",
    "x": "538",
    "y": "366",
}
# Writes, and reads behind the login wall: the method each is called with (as an operator, so
# that the login wall passes).
WRITE_METHODS = {
    "contributi:api-job": "get",
    "contributi:api-upload": "post",
    "contributi:api-record": "patch",
    "contributi:api-action": "post",
    "contributi:api-job-action": "post",
}


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    """(route text, qualified name, URL kwargs names) of every named URL of the URLconf."""
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, text, space)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names = list(pattern.pattern.regex.groupindex)
            yield text, f"{namespace}{pattern.name}", names


def api_routes() -> list[tuple[str, tuple[str, ...]]]:
    """(qualified name, URL kwargs names) of every route under PREFIXES."""
    return sorted(
        {
            (name, tuple(kw))
            for text, name, kw in _routes(get_resolver())
            if text.startswith(PREFIXES)
        }
    )


def url_of(name: str, kwargs: tuple[str, ...], pk: int) -> str:
    """A URL of the route, with sample values (``pk`` for ids)."""
    values = {k: SAMPLE_KWARGS.get(k, str(pk)) for k in kwargs}
    return reverse(name, kwargs=values or None)


def view_of(name: str):
    """The view function of a route (DRF views carry their class as ``.cls``)."""
    return get_resolver().resolve(url_of(name, _kwargs_of(name), 1)).func


def _kwargs_of(name: str) -> tuple[str, ...]:
    return dict(api_routes())[name]
