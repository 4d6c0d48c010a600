"""nginx in front of Remix (deploy/nginx/remix.conf.template): versioned tiles kept as long as
Remix says, plain tiles kept for a few seconds and revalidated, everything else passed through
uncached."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import mapbox_vector_tile
import pytest

from bench.measure import nginx, nginx_binary

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        nginx_binary() is None, reason="nginx is not installed (apt-get install nginx-light)"
    ),
]

# Piazza del Duomo lies in tile 10/538/366 (Milano and its neighbours); 10/0/0 is empty sea.
MILANO_TILE = "/tiles/comuni/10/538/366.pbf"
EMPTY_TILE = "/tiles/comuni/10/0/0.pbf"
CACHE_SECONDS = 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, headers: dict | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a GET (no redirects are involved here)."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def remix(live_server, territorio) -> str:
    """Remix itself (Django's live server, on IPv4 like nginx's upstream)."""
    return f"http://127.0.0.1:{live_server.thread.port}"


@pytest.fixture
def front(remix) -> Iterator[str]:
    """nginx with the deployed configuration in front of Remix, tiles fresh for one second."""
    with nginx(remix, free_port(), cache_seconds=CACHE_SECONDS) as url:
        yield url


def test_second_tile_request_is_a_cache_hit_with_the_same_bytes_and_etag(remix, front):
    first_status, first, first_body = get(front + MILANO_TILE)
    second_status, second, second_body = get(front + MILANO_TILE)
    assert (first_status, second_status) == (200, 200)
    assert (first["X-Cache-Status"], second["X-Cache-Status"]) == ("MISS", "HIT")
    assert second_body == first_body == get(remix + MILANO_TILE)[2]
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "public, max-age=60"
    names = {
        f["properties"]["name"]
        for f in mapbox_vector_tile.decode(second_body)["comuni"]["features"]
    }
    assert "Milano" in names


def test_empty_tile_204_is_cached_too(front):
    statuses = [get(front + EMPTY_TILE)[:2] for _ in range(2)]
    assert [(status, headers["X-Cache-Status"]) for status, headers in statuses] == [
        (204, "MISS"),
        (204, "HIT"),
    ]


def test_cached_tile_answers_a_conditional_get_with_304(front):
    etag = get(front + MILANO_TILE)[1]["ETag"]
    status, headers, body = get(front + MILANO_TILE, {"If-None-Match": etag})
    assert (status, headers["X-Cache-Status"], body) == (304, "HIT", b"")


def test_tile_query_string_is_part_of_the_cache_key(front):
    get(front + MILANO_TILE)
    status, headers, body = get(front + MILANO_TILE + "?comune=015146")
    assert (status, headers["X-Cache-Status"]) == (200, "MISS")
    (milano,) = mapbox_vector_tile.decode(body)["comuni"]["features"]
    assert milano["properties"]["name"] == "Milano"


def wait_for_cache_status(url: str, wanted: str, seconds: float = 10) -> tuple:
    """Status, headers and body of the first GET of ``url`` whose X-Cache-Status is ``wanted``
    (asked again every 50 ms); AssertionError when none is within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, headers, body = get(url)
        if headers["X-Cache-Status"] == wanted:
            return status, headers, body
        time.sleep(0.05)
    raise AssertionError(f"{url} never answered with X-Cache-Status {wanted}")


def test_expired_tile_is_served_stale_then_revalidated(front):
    _, fresh, body = get(front + MILANO_TILE)
    # Fresh for CACHE_SECONDS, then served stale once while nginx revalidates it in the
    # background; then a hit again, with the same ETag.
    status, stale, stale_body = wait_for_cache_status(front + MILANO_TILE, "STALE")
    assert (status, stale_body) == (200, body)
    _, headers, again = wait_for_cache_status(front + MILANO_TILE, "HIT")
    assert (headers["ETag"], again) == (fresh["ETag"], body)


def versioned_tiles_url(front: str) -> str:
    layers = json.loads(get(front + "/api/layers/")[2])["layers"]
    return front + next(e for e in layers if e["id"] == "comuni")["links"]["tiles"]


def test_versioned_tile_is_kept_without_revalidation(front):
    url = versioned_tiles_url(front).format(z=10, x=538, y=366)
    first_status, first, first_body = get(url)
    assert (first_status, first["X-Cache-Status"]) == (200, "MISS")
    assert first["Cache-Control"] == "public, max-age=31536000, immutable"
    # Once a plain tile fetched after it has expired, still a hit without asking Remix.
    get(front + MILANO_TILE)
    wait_for_cache_status(front + MILANO_TILE, "STALE")
    status, headers, body = get(url)
    assert (status, headers["X-Cache-Status"], body) == (200, "HIT", first_body)


def test_versioned_tile_cache_ignores_the_language(front):
    url = versioned_tiles_url(front).format(z=10, x=538, y=366)
    get(url, {"Accept-Language": "it"})
    status, headers, _ = get(url, {"Accept-Language": "en"})
    assert (status, headers["X-Cache-Status"]) == (200, "HIT")


def test_tilejson_is_not_cached_and_names_the_front_host(front):
    answers = [get(front + "/tiles/comuni.json") for _ in range(2)]
    for status, headers, _ in answers:
        assert status == 200
        assert "X-Cache-Status" not in headers
    (tiles,) = json.loads(answers[1][2])["tiles"]
    assert tiles.startswith(front + "/tiles/comuni/v")
    assert tiles.endswith("/{z}/{x}/{y}.pbf")


def test_non_tile_requests_pass_through_uncached(remix, front):
    for path in ("/api/layers/", "/"):
        status, headers, body = get(front + path)
        assert status == 200, path
        assert "X-Cache-Status" not in headers, path
    assert get(front + "/api/layers/")[2] == get(remix + "/api/layers/")[2]
