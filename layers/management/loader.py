"""The shape every loading command shares: parse arguments, call one service, print its report.

A command subclasses :class:`ReportCommand` (or :class:`DataDirCommand` when it reads the open
data) and implements ``load(**options)``, which calls exactly one service and returns its report.
A :class:`remix.errors.UserInputError` from the service becomes a ``CommandError`` with the same
message, so bad input ends the command with a clear line instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from remix.errors import UserInputError

__all__ = ["DataDirCommand", "LoadReport", "ReportCommand"]


class LoadReport(Protocol):
    """What a loading service returns: the lines that tell an operator what it did."""

    def lines(self) -> Iterable[str]: ...


class ReportCommand(BaseCommand):
    """Calls :meth:`load` once and writes each line of the report it returns."""

    def load(self, **options: Any) -> LoadReport:
        """Call the command's one service with the parsed ``options``; return its report."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = self.load(**options)
        except UserInputError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines():
            self.stdout.write(line)


class DataDirCommand(ReportCommand):
    """A :class:`ReportCommand` with ``--data-dir`` (default ``REMIX_DATA_DIR``) as a ``Path``."""

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Cartella dei dati (predefinita: REMIX_DATA_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        options["data_dir"] = Path(options.get("data_dir") or settings.REMIX_DATA_DIR)
        super().handle(*args, **options)
