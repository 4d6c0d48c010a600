"""``manage.py load_rigenerazione_sample``: the seeded sample of interventions and opportunities."""

from __future__ import annotations

from layers.management.loader import LoadReport, ReportCommand
from rigenerazione.sample import sample_load


class Command(ReportCommand):
    help = (
        "Carica il campione dimostrativo (is_sample=True) di interventi e opportunità, "
        "generato in modo deterministico dentro i Comuni reali; idempotente."
    )

    def load(self, **options) -> LoadReport:
        return sample_load()
