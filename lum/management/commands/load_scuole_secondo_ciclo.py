"""``manage.py load_scuole_secondo_ciclo``: upper-secondary schools and CFP of Regione Lombardia."""

from __future__ import annotations

from pathlib import Path

from layers.management.loader import DataDirCommand, LoadReport
from lum.servizi_regione import scuole_load


class Command(DataDirCommand):
    help = (
        "Crea o aggiorna le scuole secondarie di secondo grado e i CFP dall'Anagrafe Scuole "
        "Lombarde (cmm_scuole_secondo_ciclo.csv); idempotente sul codice meccanografico."
    )

    def load(self, *, data_dir: Path, **options) -> LoadReport:
        return scuole_load(data_dir=data_dir)
