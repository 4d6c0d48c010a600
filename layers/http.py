"""HTTP caching and compression shared by the publishing endpoints.

ETags and Last-Modified come from the layer's data version (:mod:`layers.versions`) plus the
request parameters that change the answer, so they change whenever the data changes.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Iterator

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_http_date_safe

from layers.versions import LayerVersion

__all__ = [
    "GZIP_LEVEL",
    "etag_for",
    "is_current",
    "not_modified_response",
    "set_validators",
    "wants_gzip",
    "gzip_chunks",
    "batched_text",
    "ranged_response",
]

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Level 1: big feeds compress ~5× at a fraction of level 6's CPU (see bench/RESULTS.md).
GZIP_LEVEL = 1
CHUNK_CHARS = 64 * 1024


def etag_for(version: LayerVersion, *parts: str) -> str:
    """A strong ETag of the layer version and whatever else selects the representation."""
    digest = hashlib.sha1("|".join((version.token, *parts)).encode(), usedforsecurity=False)
    return f'"{digest.hexdigest()[:24]}"'


def is_current(
    if_none_match: str | None, if_modified_since: str | None, etag: str, version: LayerVersion
) -> bool:
    """Whether the client's copy is current: If-None-Match first, else If-Modified-Since."""
    if if_none_match is not None:
        candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in candidates or "*" in candidates
    if not if_modified_since:
        return False
    since = parse_http_date_safe(if_modified_since)
    modified = version.last_modified
    return since is not None and modified is not None and int(modified.timestamp()) <= since


def not_modified_response(
    request: HttpRequest, etag: str, version: LayerVersion, *, vary_encoding: bool = False
) -> HttpResponseNotModified | None:
    """A 304 when the client's copy is current (``vary_encoding``: see :func:`set_validators`)."""
    headers = request.headers
    if not is_current(
        headers.get("If-None-Match"), headers.get("If-Modified-Since"), etag, version
    ):
        return None
    response = HttpResponseNotModified()
    set_validators(response, etag, version, vary_encoding=vary_encoding)
    return response


def set_validators(
    response: HttpResponse, etag: str, version: LayerVersion, *, vary_encoding: bool = False
) -> None:
    """ETag, Last-Modified and a revalidate-always Cache-Control; ``Vary: Accept-Encoding``
    only where the answer may be compressed (else every distinct Accept-Encoding would be a
    separate entry in shared caches)."""
    response["ETag"] = etag
    if version.last_modified_http is not None:
        response["Last-Modified"] = version.last_modified_http
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    if vary_encoding:
        patch_vary_headers(response, ["Accept-Encoding"])


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


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None | bool:
    """(first, last) of a single ``bytes=a-b`` range; None: no usable range (send all);
    False: unsatisfiable."""
    match = RANGE_RE.match((header or "").strip())
    if match is None or match.groups() == ("", ""):
        return None  # absent, several ranges or another unit: the whole body (RFC 9110)
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        return (max(size - length, 0), size - 1) if length and size else False
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def ranged_response(
    request: HttpRequest, body: bytes, *, content_type: str, etag: str
) -> HttpResponse:
    """``body``, or the part a ``Range`` header asks for (206; 416 when out of bounds).

    GDAL's /vsicurl/ reads a FlatGeobuf's header and spatial index with range requests; an
    ``If-Range`` that no longer matches the ETag gets the whole, current body.
    """
    wanted = None
    if_range = request.headers.get("If-Range")
    if if_range is None or if_range.strip() == etag:
        wanted = _byte_range(request.headers.get("Range"), len(body))
    if wanted is False:
        response = HttpResponse(status=416, content_type=content_type)
        response["Content-Range"] = f"bytes */{len(body)}"
    elif wanted is None:
        response = HttpResponse(body, content_type=content_type)
    else:
        first, last = wanted
        response = HttpResponse(body[first : last + 1], status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{len(body)}"
    response["Accept-Ranges"] = "bytes"
    return response
