"""App config for lum."""

from django.apps import AppConfig


class LumConfig(AppConfig):
    name = "lum"
