"""App config for the territorial base and the publishing engine."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = _("Territorio e pubblicazione")

    def ready(self) -> None:
        from layers import signals  # noqa: F401  (connects the receivers)
