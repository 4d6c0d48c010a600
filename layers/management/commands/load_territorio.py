"""``manage.py load_territorio``: load the 133 Comuni and the Zone omogenee of the CMM."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from layers.services import territorio_load
from remix.errors import UserInputError


class Command(BaseCommand):
    help = "Carica i Comuni e le Zone omogenee della CMM dai dati aperti (REMIX_DATA_DIR)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Cartella dei dati (predefinita: REMIX_DATA_DIR).",
        )

    def handle(self, *args, data_dir: Path | None, **options) -> None:
        data_dir = data_dir or Path(settings.REMIX_DATA_DIR)
        try:
            report = territorio_load(data_dir=data_dir)
        except UserInputError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines():
            self.stdout.write(line)
