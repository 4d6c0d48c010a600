"""``manage.py load_pnrr_rigenerazione``: the 117 PNRR M5C2 I2.1 applications of the CMM."""

from __future__ import annotations

from pathlib import Path

from layers.management.loader import DataDirCommand, LoadReport
from rigenerazione.importers import pnrr_load


class Command(DataDirCommand):
    help = (
        "Carica le candidature PNRR M5C2 I2.1 (rigenerazione urbana) dei Comuni della CMM "
        "dai dati aperti (REMIX_DATA_DIR); idempotente sul CUP."
    )

    def load(self, *, data_dir: Path, **options) -> LoadReport:
        return pnrr_load(data_dir=data_dir)
