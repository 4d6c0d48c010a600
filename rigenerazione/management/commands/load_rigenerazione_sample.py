"""``manage.py load_rigenerazione_sample``: the seeded sample of interventions and opportunities."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from remix.errors import UserInputError
from rigenerazione.sample import sample_load


class Command(BaseCommand):
    help = (
        "Carica il campione dimostrativo (is_sample=True) di interventi e opportunità, "
        "generato in modo deterministico dentro i Comuni reali; idempotente."
    )

    def handle(self, *args, **options) -> None:
        try:
            report = sample_load()
        except UserInputError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines():
            self.stdout.write(line)
