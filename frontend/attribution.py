"""Attribution and licence of every open dataset the portal shows (see SOURCES in README)."""

from __future__ import annotations

__all__ = ["DATA_ATTRIBUTIONS"]

DATA_ATTRIBUTIONS = [
    {
        "key": "comuni",
        "text": "Confini amministrativi © ISTAT (CC BY), elaborazione Openpolis (CC BY 4.0)",
        "licence": "CC BY 4.0",
        "url": "https://github.com/openpolis/geojson-italy",
    },
    {
        "key": "zone_omogenee",
        "text": (
            "Zone omogenee: Città metropolitana di Milano (composizione in parte da verificare)"
        ),
        "licence": "CC BY 4.0",
        "url": "https://www.cittametropolitana.mi.it/",
    },
    {
        "key": "pnrr",
        "text": (
            "Fonte: Ministero dell'Interno, decreto 30 dicembre 2021; estrazione onData "
            "(datiBeneComuneMonitoraggio), CC BY-SA 4.0"
        ),
        "licence": "CC BY-SA 4.0",
        "url": "https://github.com/ondata/datiBeneComuneMonitoraggio",
    },
    {
        "key": "stazioni_ferroviarie",
        "text": "Fonte: Regione Lombardia – dati.lombardia.it, Flussi Stazioni Ferroviarie",
        "licence": "Open data Regione Lombardia",
        "url": "https://www.dati.lombardia.it/",
    },
    {
        "key": "stazioni_metro",
        "text": "Fonte: Comune di Milano – dati.comune.milano.it",
        "licence": "CC BY 4.0",
        "url": "https://dati.comune.milano.it/",
    },
]
