"""App config of the benchmark load layer."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = _("Benchmark del motore di pubblicazione")
    default_auto_field = "django.db.models.BigAutoField"
