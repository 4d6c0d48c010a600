"""The WSGI tile shortcut answers plain tiles as the Django view does, and nothing else.

Requests go through ``remix.wsgi.application`` (what gunicorn serves) and, for reference,
through Django's test client (the view behind every middleware).
"""

from __future__ import annotations

import time

import mapbox_vector_tile
import psycopg
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection

from bench.measure import wsgi_call
from bench.models import LoadParcel
from bench.services import load_parcels_generate
from layers.tiles import store, tile_cache_clear
from remix.wsgi import application

MILANO_TILE = "/tiles/comuni/10/538/366.pbf"
EMPTY_TILE = "/tiles/comuni/10/0/0.pbf"
# Headers the shortcut must send exactly as Django does (Content-Language and
# Vary: Accept-Language, from LocaleMiddleware, are left out on purpose: tiles have no language).
SAME_HEADERS = (
    "Content-Type",
    "Content-Length",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Strict-Transport-Security",
)


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status_code = int(status[:3])
        self.headers = {name.lower(): value for name, value in headers}
        self.content = body

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]

    def get(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def wsgi_get(path: str, *, method: str = "GET", query: str = "", **environ: str) -> Answer:
    # As Django's test client does: the test's connection (inside its transaction) must outlive
    # the request signals.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        answer = wsgi_call(
            application,
            path,
            host="testserver",
            REQUEST_METHOD=method,
            QUERY_STRING=query,
            **environ,
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(*answer)


def same_headers(response) -> dict[str, str | None]:
    return {name: response.get(name) for name in SAME_HEADERS}


@pytest.mark.parametrize("path", [MILANO_TILE, EMPTY_TILE])
def test_shortcut_answers_what_the_view_answers(client, territorio, path):
    view = client.get(path)
    shortcut = wsgi_get(path)
    assert shortcut.status_code == view.status_code
    assert shortcut.content == view.content
    assert same_headers(shortcut) == same_headers(view)
    assert view.status_code == (200 if path == MILANO_TILE else 204)


def test_shortcut_over_https_adds_hsts_as_django_does(client, territorio, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    view = client.get(MILANO_TILE, secure=True)
    shortcut = wsgi_get(MILANO_TILE, **{"wsgi.url_scheme": "https", "SERVER_PORT": "443"})
    assert shortcut["Strict-Transport-Security"] == "max-age=3600"
    assert same_headers(shortcut) == same_headers(view)


def test_head_sends_the_headers_without_the_body(territorio):
    get = wsgi_get(MILANO_TILE)
    head = wsgi_get(MILANO_TILE, method="HEAD")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.content))


def test_conditional_get_is_304(territorio):
    etag = wsgi_get(MILANO_TILE)["ETag"]
    answer = wsgi_get(MILANO_TILE, HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 304
    assert answer.content == b""
    assert answer["ETag"] == etag


@pytest.mark.parametrize(
    ("path", "query", "status", "named"),
    [
        ("/tiles/comuni/25/0/0.pbf", "", 400, "z"),  # Django's view names the parameter
        ("/tiles/comuni/10/2000/0.pbf", "", 400, "x"),
        ("/tiles/nessuno/10/538/366.pbf", "", 404, "nessuno"),
        (MILANO_TILE, "bbox=9,45", 400, "bbox"),
    ],
)
def test_what_the_shortcut_cannot_answer_reaches_django(territorio, path, query, status, named):
    answer = wsgi_get(path, query=query)
    assert answer.status_code == status
    assert named in answer.content.decode()


def test_filtered_tiles_are_django_s(client, territorio):
    answer = wsgi_get(MILANO_TILE, query="comune=015146")
    (feature,) = mapbox_vector_tile.decode(answer.content)["comuni"]["features"]
    assert feature["properties"]["name"] == "Milano"
    assert answer.get("Content-Language") == "it"  # LocaleMiddleware ran: Django answered


def test_a_host_django_refuses_is_refused(territorio):
    answer = wsgi_get(MILANO_TILE, HTTP_HOST="evil.example")
    assert answer.status_code == 400
    assert answer.content != wsgi_get(MILANO_TILE).content


def test_plain_http_goes_to_django_when_ssl_is_required(territorio, settings):
    # Django's middleware read the setting when the application was built: whether it then
    # redirects is its business; the shortcut must only not answer.
    assert wsgi_get(MILANO_TILE).get("Content-Language") is None
    settings.SECURE_SSL_REDIRECT = True
    assert wsgi_get(MILANO_TILE).get("Content-Language") == "it"


def test_a_post_goes_to_django(territorio):
    answer = wsgi_get(MILANO_TILE, method="POST")
    assert answer.status_code == 403  # CSRF, before the view's 405
    assert answer.get("Content-Language") == "it"


# Committed data: the process's version listener only hears committed changes.


@pytest.fixture
def parcels(transactional_db):
    load_parcels_generate(count=200)
    tile_cache_clear()
    yield LoadParcel.objects
    load_parcels_generate(count=0)
    tile_cache_clear()


def parcel_tile() -> str:
    # Tile z12 holding the first parcel (the sequence covers the whole CMM box).
    from bench.measure import tile_xy

    point = LoadParcel.objects.get(code="P0000001").geom.centroid
    x, y = tile_xy(point.x, point.y, 12)
    return f"/tiles/bench-load/12/{x}/{y}.pbf"


def names_in(answer: Answer) -> set[str]:
    layer = mapbox_vector_tile.decode(answer.content)["bench-load"]
    return {f["properties"]["name"] for f in layer["features"]}


def test_a_warm_tile_reads_no_database_and_a_change_reaches_it(parcels, django_assert_num_queries):
    path = parcel_tile()
    cold = wsgi_get(path)
    assert "Particella 1" in names_in(cold)
    with django_assert_num_queries(0):  # version from the listener, tile from memory
        warm = wsgi_get(path)
    assert (warm.content, warm["ETag"]) == (cold.content, cold["ETag"])

    LoadParcel.objects.filter(code="P0000001").update(name="Particella rinominata")
    # The commit's NOTIFY reaches this process's listener a moment later (asynchronously).
    deadline = time.monotonic() + 5
    while (changed := wsgi_get(path))["ETag"] == cold["ETag"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "Particella rinominata" in names_in(changed)
    assert changed["ETag"] != cold["ETag"]


def test_a_tile_the_process_forgot_comes_back_from_the_shared_cache(parcels):
    path = parcel_tile()
    first = wsgi_get(path)
    store.clear(shared=False)  # as another worker: nothing in memory, the disk cache shared
    with connection.execute_wrapper(refuse_tile_sql):
        again = wsgi_get(path)
    assert again.content == first.content


def refuse_tile_sql(execute, sql, params, many, context):
    assert "ST_AsMVT" not in sql, "the tile was built again"
    return execute(sql, params, many, context)


def prepared_tile_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%ST_AsMVT%"]
        )
        return cursor.fetchone()[0]


def test_tile_sql_is_one_prepared_statement_per_layer(parcels):
    path = parcel_tile()
    wsgi_get(path)
    wsgi_get(path.replace("/12/", "/13/").replace(".pbf", ".pbf"))
    assert prepared_tile_statements() == 1


def test_prepared_statements_can_be_turned_off(parcels, settings):
    settings.TILE_PREPARED_STATEMENTS = False
    connection.close()  # a fresh session, with no statement prepared
    assert "Particella 1" in names_in(wsgi_get(parcel_tile()))
    assert prepared_tile_statements() == 0


def test_a_session_that_lost_the_statement_prepares_it_again(parcels):
    path = parcel_tile()
    first = wsgi_get(path)
    tile_cache_clear()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would
    assert prepared_tile_statements() == 0
    again = wsgi_get(path)
    assert again.status_code == 200
    assert again.content == first.content
    assert prepared_tile_statements() == 1


def test_filtered_tiles_are_prepared_up_to_a_bound_then_run_unnamed(parcels, monkeypatch):
    from layers import pgprepared, queries
    from layers.registry import registry

    monkeypatch.setattr(pgprepared, "MAX_PREPARED", 1)
    layer = registry.get("bench-load")
    statement = queries.tile_sql(layer, layer.get_queryset())
    other = queries.tile_sql(layer, layer.get_queryset().filter(code__in=["P0000001", "P0000002"]))
    point = LoadParcel.objects.get(code="P0000001").geom.centroid
    from bench.measure import tile_xy

    x, y = tile_xy(point.x, point.y, 12)
    everything = queries.tile_bytes(layer, statement, 12, x, y)
    two = queries.tile_bytes(layer, other, 12, x, y)  # over the bound: not prepared, still run
    assert prepared_tile_statements() == 1
    decoded = mapbox_vector_tile.decode(two)["bench-load"]["features"]
    assert {f["properties"]["code"] for f in decoded} <= {"P0000001", "P0000002"}
    assert "P0000001" in {f["properties"]["code"] for f in decoded}
    assert len(everything) > len(two)


def test_a_connection_the_server_dropped_is_replaced(parcels):
    path = parcel_tile()
    first = wsgi_get(path)
    tile_cache_clear()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with psycopg.connect(**connection.get_connection_params() | {"cursor_factory": None}) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    again = wsgi_get(path)
    assert again.status_code == 200
    assert again.content == first.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_latin_1_digit_in_the_path_is_django_s_400(territorio):
    answer = wsgi_get("/tiles/comuni/\xb2/0/0.pbf")  # PATH_INFO is latin-1 text in WSGI
    assert answer.status_code == 400
