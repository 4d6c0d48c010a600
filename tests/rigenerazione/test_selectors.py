"""Aggregates of the statistics endpoints, against hand-computed values on the tiny world."""

from __future__ import annotations

import pytest

from rigenerazione.models import Intervento, Opportunita
from rigenerazione.selectors import (
    funding_by_group,
    funding_by_source,
    interventi_by_state,
    opportunita_hectares_by_group,
)

pytestmark = pytest.mark.django_db


def published():
    return Intervento.objects.published()


def test_funding_by_zona_splits_multi_comune_interventi_equally(tiny_world):
    # parco (Milano): pnrr 600, comunale 400. piazza (Bollate): pnrr 300.
    # pista (Bollate + Arese, both Nord Ovest): regionale 900 → 450 + 450, both in Nord Ovest.
    # The draft (pnrr 100) never counts.
    rows = funding_by_group(published(), group_by="zona")

    assert [(r["group"]["id"], r["fonte"], r["importo"]) for r in rows] == [
        ("comune-di-milano", "comunale", 400.0),
        ("comune-di-milano", "pnrr", 600.0),
        ("nord-ovest", "pnrr", 300.0),
        ("nord-ovest", "regionale", 900.0),
    ]
    assert rows[0]["group"]["name"] == "Comune di Milano"
    assert rows[0]["fonte_label"] == "Comunale"


def test_funding_by_comune_adds_up_to_the_overall_total(tiny_world):
    rows = funding_by_group(published(), group_by="comune")

    assert [(r["group"]["name"], r["fonte"], r["importo"]) for r in rows] == [
        ("Arese", "regionale", 450.0),
        ("Bollate", "pnrr", 300.0),
        ("Bollate", "regionale", 450.0),
        ("Milano", "comunale", 400.0),
        ("Milano", "pnrr", 600.0),
    ]
    total = sum(r["importo"] for r in funding_by_source(published()))
    assert sum(r["importo"] for r in rows) == total == 2200.0


def test_interventi_by_state(tiny_world):
    # programmato: pista 900; in_corso: piazza 500 + scuola 200; concluso: parco 1000.
    assert interventi_by_state(published()) == [
        {"stato": "programmato", "stato_label": "Programmato", "count": 1, "costo_totale": 900.0},
        {"stato": "in_corso", "stato_label": "In corso", "count": 2, "costo_totale": 700.0},
        {"stato": "concluso", "stato_label": "Concluso", "count": 1, "costo_totale": 1000.0},
    ]


def test_funding_by_source_counts_each_intervento_once(tiny_world):
    assert funding_by_source(published()) == [
        {"fonte": "pnrr", "fonte_label": "PNRR", "importo": 900.0, "interventi": 2},
        {"fonte": "regionale", "fonte_label": "Regionale", "importo": 900.0, "interventi": 1},
        {"fonte": "comunale", "fonte_label": "Comunale", "importo": 400.0, "interventi": 1},
    ]


def test_hectares_by_zona_and_type(tiny_world):
    # Scalo: 200 m square = 4 ha in Milano; AT Bollate 1: 100 m square = 1 ha; draft excluded.
    rows = opportunita_hectares_by_group(Opportunita.objects.published(), group_by="zona")

    assert [(r["group"]["id"], r["tipo"], r["ettari"], r["count"]) for r in rows] == [
        ("comune-di-milano", "area_dismessa", pytest.approx(4.0, rel=1e-6), 1),
        ("nord-ovest", "ambito_trasformazione", pytest.approx(1.0, rel=1e-6), 1),
    ]
