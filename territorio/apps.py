"""App config of the territorial base: Comuni, Zone omogenee, poli attrattori, Città centrale."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritorioConfig(AppConfig):
    name = "territorio"
    verbose_name = _("Territorio")

    def ready(self) -> None:
        from territorio import signals  # noqa: F401  (connects the receivers)
