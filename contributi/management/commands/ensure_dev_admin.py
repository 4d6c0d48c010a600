"""``manage.py ensure_dev_admin``: in development only, make sure an administrator exists.

The password is generated once, kept in ``var/dev-admin-password`` (outside the repository)
and printed on every run so a developer always knows how to log in. Refuses when DEBUG is off.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = "Solo in sviluppo: crea un amministratore se non ne esiste nessuno."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("ensure_dev_admin runs only with DEBUG on.")
        User = get_user_model()
        secret_file = Path(settings.BASE_DIR) / "var" / "dev-admin-password"
        if not User.objects.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(USERNAME, "admin@example.invalid", password)
            secret_file.parent.mkdir(parents=True, exist_ok=True)
            secret_file.write_text(password)
            secret_file.chmod(0o600)
            self.stdout.write(f"Amministratore creato: utente '{USERNAME}'.")
        if secret_file.exists():
            self.stdout.write(
                f"Accesso: http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/ — "
                f"utente '{USERNAME}', "
                f"password in {secret_file} ({secret_file.read_text().strip()})"
            )
