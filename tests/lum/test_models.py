"""Domain rules of LUM and Servizio: derived Comune, geometry types, size attributes."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.core.exceptions import ValidationError

from lum import models
from lum.models import CategoriaServizio, Lum, Servizio
from tests.lum.conftest import PX, PY, point, stored

# A point in the Comune di Milano (Piazza del Duomo) and one in Rome (outside the CMM).
DUOMO = (9.1919, 45.4642)
ROME = (12.4964, 41.9028)


def servizio(**fields) -> Servizio:
    base = {"code": "T-new", "name": "Nuovo", "categoria": CategoriaServizio.SANITA}
    return Servizio(**{**base, **fields})


def test_a_service_area_gets_its_comune_from_the_geometry_and_becomes_multi(tiny_world):
    square = stored(Polygon.from_bbox((PX + 100, PY, PX + 200, PY + 100)))
    s = servizio(geom=square, attributi={"posti_letto": 120})
    s.full_clean()
    assert s.comune == tiny_world.est
    assert s.geom.geom_type == "MultiPolygon"


def test_a_line_is_not_a_service_and_nothing_is_saved(tiny_world):
    line = stored(LineString((PX, PY), (PX + 100, PY)))
    before = Servizio.objects.count()
    with pytest.raises(ValidationError) as error:
        servizio(geom=line).full_clean()
    assert error.value.message_dict["geom"] == [str(models.ERROR_SERVIZIO_GEOMETRY)]
    assert Servizio.objects.count() == before


def test_a_service_outside_the_cmm_is_refused(tiny_world):
    with pytest.raises(ValidationError) as error:
        servizio(geom=Point(*ROME, srid=4326)).full_clean()
    assert error.value.message_dict["geom"] == [str(models.ERROR_OUTSIDE_CMM)]


def test_a_size_attribute_of_another_category_is_refused(tiny_world):
    s = servizio(geom=point(PX + 100, PY), attributi={"iscritti": 10})
    with pytest.raises(ValidationError) as error:
        s.full_clean()
    expected = models.ERROR_UNKNOWN_ATTRIBUTE.format(key="iscritti", categoria="sanita")
    assert error.value.message_dict["attributi"] == [expected]


@pytest.mark.parametrize("value", [-1, 2.5, "10", True])
def test_a_size_must_be_a_non_negative_integer(tiny_world, value):
    s = servizio(geom=point(PX + 100, PY), attributi={"posti_letto": value})
    with pytest.raises(ValidationError) as error:
        s.full_clean()
    assert error.value.message_dict["attributi"] == [
        models.ERROR_BAD_SIZE.format(key="posti_letto")
    ]


def test_a_lum_gets_its_comune_from_its_point(tiny_world):
    lum = Lum(
        code="T-new", name="Nuovo", geom=point(PX - 500, PY), modes=["treno"], rank="metropolitano"
    )
    lum.full_clean()
    assert lum.comune == tiny_world.ovest


def test_a_lum_in_milano_is_refused_and_nothing_is_saved(territorio):
    lum = Lum(code="T-duomo", name="Duomo", geom=Point(*DUOMO, srid=4326), rank="metropolitano")
    with pytest.raises(ValidationError) as error:
        lum.full_clean()
    assert error.value.message_dict["geom"] == [str(models.ERROR_LUM_IN_MILANO)]
    assert not Lum.objects.filter(code="T-duomo").exists()


def test_the_radius_of_a_lum_is_bounded(tiny_world):
    tiny_world.lum.radius_m = 50
    with pytest.raises(ValidationError) as error:
        tiny_world.lum.full_clean()
    assert "radius_m" in error.value.message_dict
