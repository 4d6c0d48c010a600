"""What the map says must be true (issue 15 §1–6), checked as a person would in Chromium: clicks
land on the pixel where a feature is drawn, colours are read from the drawn canvas."""

from __future__ import annotations

import re

import pytest
from django.contrib.gis.geos import Point

from layers.srid import STORAGE_SRID
from lum.models import ModoTrasporto, RangoLum
from rigenerazione.models import (
    StatoIntervento,
)
from tests.browser import app_errors, screenshot
from tests.frontend.conftest import (
    ELSEWHERE_IN_RHO,
    IN_OPPORTUNITA,
    LINE,
    POINT,
    make_intervento,
)
from tests.lum.conftest import make_lum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "#map[data-ready=true]"


def open_rho(page, live_server, layers="comuni,interventi,opportunita", zoom=14):
    page.goto(f"{live_server.url}/#map={zoom}/45.53000/9.04500&layers={layers}")
    page.wait_for_selector(READY)


def page_xy(page, lon: float, lat: float) -> tuple[float, float]:
    """Where (lon, lat) is drawn on the screen, computed from the map itself."""
    x, y = page.evaluate(
        "([lat, lng]) => { const p = document.getElementById('map').leafletMap"
        ".latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator("#map").bounding_box()
    return box["x"] + x, box["y"] + y


def click_at(page, lon: float, lat: float) -> None:
    previous = page.get_attribute("#map", "data-highlight")
    page.mouse.click(*page_xy(page, lon, lat))
    page.wait_for_selector("#feature-panel:not([hidden])")
    page.wait_for_function(
        "prev => document.getElementById('map').dataset.highlight !== prev", arg=previous
    )


def others(page) -> list[str]:
    return page.eval_on_selector_all(".pick-other", "els => els.map(e => e.dataset.layer)")


def test_a_click_opens_the_most_precise_feature_under_the_cursor(live_server, page, rho_world):
    open_rho(page, live_server)

    # 1. A point inside an area inside a Comune-wide record inside the Comune: the point.
    click_at(page, *POINT)
    assert page.text_content("#feature-title") == "Fermata riqualificata"
    # The person can choose among the others, most precise first.
    assert others(page) == ["opportunita", "interventi", "comuni"]

    # 2. A line.
    middle = ((LINE[0][0] + LINE[1][0]) / 2, (LINE[0][1] + LINE[1][1]) / 2)
    click_at(page, *middle)
    assert page.text_content("#feature-title") == "Pista ciclabile del Lura"

    # 3. Inside the opportunità, away from the point: the small area, not the Comune.
    click_at(page, *IN_OPPORTUNITA)
    assert page.text_content("#feature-title") == "Area ex Cerini"
    assert others(page) == ["interventi", "comuni"]

    # 4. Elsewhere: the Comune-level record comes before the Comune itself.
    click_at(page, *ELSEWHERE_IN_RHO)
    assert page.text_content("#feature-title").startswith("Candidatura PNRR di Rho")
    assert others(page) == ["comuni"]
    assert app_errors(page) == []


def test_the_person_chooses_among_overlapping_features(live_server, page, rho_world):
    open_rho(page, live_server)
    click_at(page, *POINT)

    page.click('.pick-other[data-layer="opportunita"]')

    page.wait_for_function(
        "document.querySelector('#feature-title').textContent === 'Area ex Cerini'"
    )
    assert page.get_attribute("#feature-panel", "data-layer") == "opportunita"
    # The one left behind is offered back.
    assert "Fermata riqualificata" in page.inner_text(".pick-others")
    assert app_errors(page) == []


def canvas_rgba(page, kind: str, lon: float, lat: float) -> list[int]:
    """The pixel drawn at (lon, lat) on the canvas of the ``kind`` pane (RGBA)."""
    return page.evaluate(
        """([kind, lat, lng]) => {
          const map = document.getElementById('map').leafletMap;
          const canvas = map.getPane(`rx-${kind}`).querySelector('canvas');
          const p = map.latLngToContainerPoint([lat, lng]);
          const mapBox = map.getContainer().getBoundingClientRect();
          const box = canvas.getBoundingClientRect();
          const scale = canvas.width / box.width;
          const x = Math.round((mapBox.left + p.x - box.left) * scale);
          const y = Math.round((mapBox.top + p.y - box.top) * scale);
          return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
        }""",
        [kind, lat, lon],
    )


def legend_rgb(page, layer: str, value: str) -> list[int]:
    colour = page.get_attribute(
        f'[data-layer-item="{layer}"] li[data-value="{value}"] .swatch', "data-color"
    )
    shown = page.evaluate(
        "sel => getComputedStyle(document.querySelector(sel)).backgroundColor",
        f'[data-layer-item="{layer}"] li[data-value="{value}"] .swatch',
    )
    rgb = [int(v) for v in re.findall(r"\d+", shown)[:3]]
    assert rgb == [int(colour[i : i + 2], 16) for i in (1, 3, 5)]  # the swatch shows it
    return rgb


def test_each_class_is_drawn_in_the_colour_of_its_legend_entry(live_server, page, rho):
    places = {
        StatoIntervento.PROGRAMMATO: (9.03, 45.545),
        StatoIntervento.IN_CORSO: (9.045, 45.545),
        StatoIntervento.CONCLUSO: (9.06, 45.545),
    }
    for stato, (lon, lat) in places.items():
        make_intervento(rho, title=f"Intervento {stato}", lon=lon, lat=lat, stato=stato)
    ranks = {RangoLum.METROPOLITANO: (9.03, 45.515), RangoLum.SOVRACOMUNALE: (9.06, 45.515)}
    for rank, (lon, lat) in ranks.items():
        at = Point(lon, lat, srid=STORAGE_SRID)
        make_lum(
            rho, 0, 0, name=f"Stazione {rank}", geom=at, rank=rank, modes=[ModoTrasporto.TRENO]
        )
    open_rho(page, live_server, layers="interventi,lum")
    page.wait_for_selector('[data-layer-item="lum"] .layer-count[data-count="2"]', state="attached")

    for layer, classes in (("interventi", places), ("lum", ranks)):
        for value, (lon, lat) in classes.items():
            drawn = canvas_rgba(page, "points", lon, lat)
            expected = legend_rgb(page, layer, value)
            assert drawn[3] > 0, f"{layer} {value}: nothing drawn at its place"
            # Canvas alpha is stored premultiplied: allow rounding of a few units.
            assert drawn[:3] == pytest.approx(expected, abs=3), f"{layer} {value}"
    screenshot(page, "portal-legend-colours")
    assert app_errors(page) == []


def test_comune_level_records_are_outlines_below_precise_features(live_server, page, rho_world):
    open_rho(page, live_server, layers="interventi")
    page.wait_for_selector(
        '[data-layer-item="interventi"] .layer-count[data-count="3"]', state="attached"
    )

    # Inside Rho, the Comune-level record paints nothing (no fill): the map stays readable.
    assert canvas_rgba(page, "comuneLevel", *ELSEWHERE_IN_RHO)[3] == 0
    # Its pane lies below the panes of precise features.
    z = page.evaluate(
        "() => ['comuneLevel', 'areas', 'lines', 'points'].map(k => Number("
        "document.getElementById('map').leafletMap.getPane(`rx-${k}`).style.zIndex))"
    )
    assert z == sorted(z) and len(set(z)) == 4
    # Its legend entry says what the dashed outline means.
    legend = page.inner_text('[data-layer-item="interventi"] li[data-comune-level="true"]')
    assert "livello di Comune" in legend
    assert app_errors(page) == []
