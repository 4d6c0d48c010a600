"""``manage.py ensure_roles``: create or update the role groups (also run after migrate)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from contributi.roles import roles_ensure


class Command(BaseCommand):
    help = "Crea o aggiorna i gruppi: Operatori comunali, Revisori CMM, Amministratori."

    def handle(self, *args, **options) -> None:
        groups = roles_ensure()
        for name, group in groups.items():
            self.stdout.write(f"{name}: {group.permissions.count()} permessi")
