"""App config for rigenerazione."""

from django.apps import AppConfig


class RigenerazioneConfig(AppConfig):
    name = "rigenerazione"
