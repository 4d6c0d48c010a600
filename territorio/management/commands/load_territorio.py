"""``manage.py load_territorio``: load the 133 Comuni and the Zone omogenee of the CMM."""

from __future__ import annotations

from pathlib import Path

from layers.management.loader import DataDirCommand, LoadReport
from territorio.services import territorio_load


class Command(DataDirCommand):
    help = "Carica i Comuni e le Zone omogenee della CMM dai dati aperti (REMIX_DATA_DIR)."

    def load(self, *, data_dir: Path, **options) -> LoadReport:
        return territorio_load(data_dir=data_dir)
