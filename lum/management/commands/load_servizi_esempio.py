"""``manage.py load_servizi_esempio``: the deterministic sample of services (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lum.samples import servizi_sample_load


class Command(BaseCommand):
    help = "Crea o aggiorna i servizi sovracomunali DI ESEMPIO (is_sample=True)."

    def handle(self, *args, **options):
        for line in servizi_sample_load().lines():
            self.stdout.write(line)
