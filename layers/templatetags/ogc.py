"""Template filters of the OGC API HTML pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def property(properties: dict, name: str):  # noqa: A001
    """``feature.properties|property:"name"``: a property by name (safe with any name)."""
    return properties.get(name) if isinstance(properties, dict) else None


@register.filter
def html_format(href: str) -> str:
    """The same link asking for HTML instead of JSON."""
    return href.replace("f=json", "f=html")
