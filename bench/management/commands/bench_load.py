"""``manage.py bench_load --count 100000``: (re)generate the synthetic benchmark layer."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bench.services import load_parcels_generate

MAX_COUNT = 10_000_000


class Command(BaseCommand):
    help = "Genera il layer sintetico di carico per i benchmark (N poligoni sulla CMM)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=100_000, help="Numero di poligoni.")

    def handle(self, *args, count: int, **options) -> None:
        if not 0 <= count <= MAX_COUNT:
            raise CommandError(f"--count deve essere tra 0 e {MAX_COUNT}.")
        loaded = load_parcels_generate(count=count)
        self.stdout.write(f"Particelle di carico: {loaded}.")
