"""``manage.py load_servizi_esempio``: the deterministic sample of services (idempotent)."""

from __future__ import annotations

from layers.management.loader import LoadReport, ReportCommand
from lum.samples import servizi_sample_load


class Command(ReportCommand):
    help = "Crea o aggiorna i servizi sovracomunali DI ESEMPIO (is_sample=True)."

    def load(self, **options) -> LoadReport:
        return servizi_sample_load()
