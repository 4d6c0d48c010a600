"""App config for contributions: roles, uploads, review and history."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender, **kwargs) -> None:
    from contributi.roles import roles_ensure

    roles_ensure()


class ContributiConfig(AppConfig):
    name = "contributi"
    verbose_name = _("Contributi dei Comuni")

    def ready(self) -> None:
        # After every migrate (permissions exist by then): the role groups are kept current.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="contributi-roles")
