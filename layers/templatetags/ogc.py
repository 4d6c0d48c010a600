"""Template filters of the OGC API HTML pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def property(properties: dict, name: str):  # noqa: A001
    """``feature.properties|property:"name"``: a property by name (safe with any name)."""
    return properties.get(name) if isinstance(properties, dict) else None


@register.filter
def html_format(href: str) -> str:
    """The same link asking for HTML instead of JSON."""
    return href.replace("f=json", "f=html")


@register.filter
def ogc_value(value) -> str:
    """A property as people read it: lists joined by commas, yes/no, nothing for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    if isinstance(value, list):
        return ", ".join(ogc_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {ogc_value(v)}" for k, v in value.items())
    return str(value)
