"""App config of the publishing engine (the territorial base is the ``territorio`` app)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def _install_version_triggers(sender, using: str = "default", **kwargs) -> None:
    from layers.versions import version_triggers_install

    version_triggers_install()


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = _("Pubblicazione")

    def ready(self) -> None:
        from layers import checks  # noqa: F401  (registers the data-version system check)

        # Every installed app's ``layers.py`` declares its published layers, like admin.py.
        autodiscover_modules("layers")
        post_migrate.connect(_install_version_triggers, sender=self)
