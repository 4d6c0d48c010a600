"""``manage.py load_lum``: seed the LUM from the real station files (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lum.services import lum_load
from remix.errors import UserInputError


class Command(BaseCommand):
    help = "Crea o aggiorna i LUM dalle stazioni ferroviarie e metropolitane fuori Milano."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(settings.REMIX_DATA_DIR))

    def handle(self, *args, **options):
        try:
            report = lum_load(data_dir=Path(options["data_dir"]))
        except UserInputError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines():
            self.stdout.write(line)
