"""``manage.py load_lum``: seed the LUM from the real station files (idempotent)."""

from __future__ import annotations

from pathlib import Path

from layers.management.loader import DataDirCommand, LoadReport
from lum.services import lum_load


class Command(DataDirCommand):
    help = "Crea o aggiorna i LUM dalle stazioni ferroviarie e metropolitane fuori Milano."

    def load(self, *, data_dir: Path, **options) -> LoadReport:
        return lum_load(data_dir=data_dir)
