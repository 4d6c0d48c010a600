"""Bad input to the publishing endpoints: 404 for unknown layers, 400 naming the parameter.

Each bad input is its own test; each asserts the answer and that nothing changed (the layer's
data version, i.e. no write happened, and no tile was cached).
"""

from __future__ import annotations

import django_filters
import pytest
from django.core.cache import caches

from layers.exports import BAD_GEOMETRY_OPTION
from layers.models import DataVersion
from layers.ogc.negotiation import BAD_CRS, BAD_FORMAT
from layers.params import BAD_BBOX, BAD_INT, UNKNOWN_LAYER
from layers.registry import Field, Layer, registry
from layers.srid import CRS84_URI
from layers.tiles import BAD_TILE, MAX_ZOOM
from territorio.models import Comune

DOWNLOAD = "/api/layers/comuni/download.geojson"
ITEMS = "/ogc/collections/comuni/items"
TILE = "/tiles/comuni/10/538/366.pbf"


@pytest.fixture
def unchanged(territorio):
    """Assert, after the test, that no table version moved and no tile was cached."""
    before = list(DataVersion.objects.order_by("table_name").values_list("table_name", "version"))
    count = Comune.objects.count()
    yield
    after = list(DataVersion.objects.order_by("table_name").values_list("table_name", "version"))
    assert after == before
    assert Comune.objects.count() == count
    assert not caches["tiles"]._cache  # the per-test LocMemCache (conftest) holds no tile


def assert_400(response, field: str, message: str | None = None) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == field
    if message is not None:
        assert body["detail"] == message


# -- unknown layer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/layers/nessuno/download.geojson",
        "/api/layers/nessuno/download.gpkg",
        "/tiles/nessuno/10/538/366.pbf",
        "/tiles/nessuno.json",
        "/ogc/collections/nessuno",
        "/ogc/collections/nessuno/items",
        "/ogc/collections/nessuno/items/1",
        "/ogc/collections/nessuno/queryables",
    ],
)
def test_unknown_layer_is_404_naming_it(client, unchanged, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["detail"] == UNKNOWN_LAYER.format(id="nessuno")


# -- bbox -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bbox",
    [
        "9.1,45.4,9.2",  # three numbers
        "9.1,45.4,9.2,45.5,1",  # five
        "a,45.4,9.2,45.5",  # not a number
        "9.2,45.4,9.1,45.5",  # minlon > maxlon
        "9.1,45.5,9.2,45.4",  # minlat > maxlat
        "179,45,181,46",  # longitude out of range
        "9,-91,10,45",  # latitude out of range
        "nan,45,9,46",  # not finite
    ],
)
@pytest.mark.parametrize("url", [DOWNLOAD, ITEMS, TILE, "/api/layers/comuni/download.csv"])
def test_malformed_bbox_is_400_naming_bbox(client, unchanged, url, bbox):
    assert_400(client.get(url, {"bbox": bbox}), "bbox", BAD_BBOX)


# -- limit, offset, precision ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "0", "-1", "10001", "1.5"])
def test_bad_limit_is_400_naming_limit(client, unchanged, value):
    assert_400(
        client.get(ITEMS, {"limit": value}),
        "limit",
        BAD_INT.format(name="limit", low=1, high=10000),
    )


@pytest.mark.parametrize("value", ["x", "-1", "99999999999"])
def test_bad_offset_is_400_naming_offset(client, unchanged, value):
    assert_400(client.get(ITEMS, {"offset": value}), "offset")


@pytest.mark.parametrize("value", ["x", "16", "-2"])
def test_bad_precision_is_400_naming_precision(client, unchanged, value):
    assert_400(client.get(DOWNLOAD, {"precision": value}), "precision")


def test_bad_crs_is_400_naming_crs(client, unchanged):
    response = client.get(ITEMS, {"crs": "EPSG:4326"})
    assert_400(response, "crs")
    assert response.json()["detail"].startswith(BAD_CRS.split("{")[0])


def test_bad_bbox_crs_is_400(client, unchanged):
    assert_400(client.get(ITEMS, {"bbox-crs": "http://example.org/crs"}), "bbox-crs")
    assert client.get(ITEMS, {"bbox-crs": CRS84_URI}).status_code == 200


def test_bad_format_is_400_naming_f(client, unchanged):
    assert_400(client.get(ITEMS, {"f": "xml"}), "f", BAD_FORMAT)


def test_bad_csv_geometry_option_is_400(client, unchanged):
    response = client.get("/api/layers/comuni/download.csv", {"geometry": "xyz"})
    assert_400(response, "geometry", BAD_GEOMETRY_OPTION)


# -- tile coordinates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/tiles/comuni/25/0/0.pbf", "z"),
        ("/tiles/comuni/a/0/0.pbf", "z"),
        ("/tiles/comuni/-1/0/0.pbf", "z"),
        ("/tiles/comuni/10/1024/366.pbf", "x"),  # 2^10 = 1024 columns: 0..1023
        ("/tiles/comuni/10/x/366.pbf", "x"),
        ("/tiles/comuni/10/538/1024.pbf", "y"),
        ("/tiles/comuni/10/538/1e3.pbf", "y"),
        ("/tiles/comuni/0/1/0.pbf", "x"),
    ],
)
def test_tile_out_of_range_is_400_naming_the_coordinate(client, unchanged, url, field):
    assert_400(client.get(url), field, BAD_TILE.format(name=field, max_z=MAX_ZOOM))


# -- filters of the layer's FilterSet -------------------------------------------------------


class YearFilter(django_filters.FilterSet):
    """A FilterSet with a typed filter, as the domain layers have (``anno``)."""

    anno = django_filters.NumberFilter(field_name="area_m2", lookup_expr="gte")

    class Meta:
        model = Comune
        fields = ["anno"]


class TypedFilterLayer(Layer):
    id = "test-typed-filter"
    model = Comune
    title = {"it": "Prova"}
    fields = (Field("name"),)
    popup_fields = ("name",)
    id_field = "istat_code"
    filterset_class = YearFilter


@pytest.fixture
def typed_filter_layer():
    registry.register(TypedFilterLayer)
    yield TypedFilterLayer
    registry.unregister(TypedFilterLayer.id)


@pytest.mark.parametrize(
    "url",
    [
        "/api/layers/test-typed-filter/download.geojson",
        "/api/layers/test-typed-filter/download.gpkg",
        "/ogc/collections/test-typed-filter/items",
        "/tiles/test-typed-filter/10/538/366.pbf",
        "/tiles/test-typed-filter.json",
    ],
)
def test_malformed_filter_value_is_400_naming_the_filter(
    client, unchanged, typed_filter_layer, url
):
    response = client.get(url, {"anno": "duemila"})
    assert_400(response, "anno")
    assert response.json()["detail"].startswith("anno: ")


def test_well_formed_filter_value_is_applied(client, territorio, typed_filter_layer):
    # Comuni of at least 100 km²: Milano (181.7) only. Reference:
    # SELECT name FROM layers_comune WHERE area_m2 >= 1e8
    url = "/ogc/collections/test-typed-filter/items"
    document = client.get(url, {"anno": "100000000"}).json()
    assert [f["properties"]["name"] for f in document["features"]] == list(
        Comune.objects.filter(area_m2__gte=1e8).values_list("name", flat=True)
    )
