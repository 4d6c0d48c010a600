"""``manage.py load_pnrr_rigenerazione``: the 117 PNRR M5C2 I2.1 applications of the CMM."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from remix.errors import UserInputError
from rigenerazione.importers import pnrr_load


class Command(BaseCommand):
    help = (
        "Carica le candidature PNRR M5C2 I2.1 (rigenerazione urbana) dei Comuni della CMM "
        "dai dati aperti (REMIX_DATA_DIR); idempotente sul CUP."
    )

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
            report = pnrr_load(data_dir=data_dir)
        except UserInputError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines():
            self.stdout.write(line)
