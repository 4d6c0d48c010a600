"""App config of the shared rules (no models of its own: abstract bases and functions)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("Regole comuni")
