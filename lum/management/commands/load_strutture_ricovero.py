"""``manage.py load_strutture_ricovero``: hospitals and inpatient facilities."""

from __future__ import annotations

from pathlib import Path

from layers.management.loader import DataDirCommand, LoadReport
from lum.servizi_regione import ospedali_load


class Command(DataDirCommand):
    help = (
        "Crea o aggiorna le strutture di ricovero (ospedali) da cmm_strutture_ricovero.csv; "
        "idempotente sul codice della struttura."
    )

    def load(self, *, data_dir: Path, **options) -> LoadReport:
        return ospedali_load(data_dir=data_dir)
