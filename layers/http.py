"""HTTP caching and compression shared by the publishing endpoints.

ETags and Last-Modified come from the layer's data version (:mod:`layers.versions`) plus the
request parameters that change the answer, so they change whenever the data changes.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Iterator

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe

from layers.versions import LayerVersion

__all__ = [
    "GZIP_LEVEL",
    "etag_for",
    "not_modified_response",
    "set_validators",
    "wants_gzip",
    "gzip_chunks",
    "batched_text",
]

# Level 1: big feeds compress ~5× at a fraction of level 6's CPU (see bench/RESULTS.md).
GZIP_LEVEL = 1
CHUNK_CHARS = 64 * 1024


def etag_for(version: LayerVersion, *parts: str) -> str:
    """A strong ETag of the layer version and whatever else selects the representation."""
    digest = hashlib.sha1("|".join((version.token, *parts)).encode(), usedforsecurity=False)
    return f'"{digest.hexdigest()[:24]}"'


def not_modified_response(
    request: HttpRequest, etag: str, version: LayerVersion
) -> HttpResponseNotModified | None:
    """A 304 when the client's copy is current (If-None-Match first, else If-Modified-Since)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        current = etag in candidates or "*" in candidates
    else:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        modified = version.last_modified
        current = since is not None and modified is not None and int(modified.timestamp()) <= since
    if not current:
        return None
    response = HttpResponseNotModified()
    set_validators(response, etag, version)
    return response


def set_validators(response: HttpResponse, etag: str, version: LayerVersion) -> None:
    """Set ETag, Last-Modified and a revalidate-always Cache-Control."""
    response["ETag"] = etag
    if version.last_modified is not None:
        response["Last-Modified"] = http_date(version.last_modified.timestamp())
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["Vary"] = "Accept-Encoding"


def wants_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def gzip_chunks(chunks: Iterable[bytes], level: int = GZIP_LEVEL) -> Iterator[bytes]:
    """Gzip a stream of byte chunks incrementally."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
    for chunk in chunks:
        data = compressor.compress(chunk)
        if data:
            yield data
    yield compressor.flush()


def batched_text(parts: Iterable[str]) -> Iterator[bytes]:
    """Join many small strings into ~64 kB UTF-8 chunks (fewer, larger writes)."""
    buffer: list[str] = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= CHUNK_CHARS:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()
