"""The order of the project's apps: each may import the ones below it, never one above.

``tests/test_layering.py`` parses every module's imports and enforces it. Apps on the same
level do not import each other. ``remix`` is not in the order: its settings and root URLs wire
every app together, and :mod:`remix.errors` is the one module every app may import.
"""

from __future__ import annotations

__all__ = ["APP_LAYERS", "SHARED_MODULES", "level_of"]

# Lowest first.
APP_LAYERS: tuple[tuple[str, ...], ...] = (
    ("layers",),  # the publishing engine: registry, feeds, OGC API, tiles, exports, versions
    ("territorio",),  # the territorial base: Comuni, Zone omogenee, poli attrattori
    ("rules",),  # publication states, geometry rules, the Comune of a geometry
    ("rigenerazione",),  # interventi and opportunità
    ("lum",),  # LUM, servizi and the Atlases (read interventi and opportunità)
    ("contributi",),  # municipalities' uploads, review, roles
    ("frontend",),  # the portal
    ("bench",),  # the benchmark (installed only by remix.settings_bench)
)
# Modules outside the apps that any app may import.
SHARED_MODULES = ("remix.errors",)


def level_of(app: str) -> int | None:
    """The level of ``app`` in :data:`APP_LAYERS` (0 is the lowest), None when not listed."""
    for level, apps in enumerate(APP_LAYERS):
        if app in apps:
            return level
    return None
