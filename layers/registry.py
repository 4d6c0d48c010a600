"""The layer registry: one small declarative class per published layer.

A domain app declares its layers in its own ``layers.py`` (autodiscovered when Django starts,
like ``admin.py``)::

    from layers.registry import Field, GeometryPart, Layer, register

    @register
    class InterventiLayer(Layer):
        id = "interventi"
        model = Intervento
        title = {"it": "Interventi", "en": "Interventions"}
        fields = (Field("title", it="Titolo", en="Title"), ...)

        def get_queryset(self):
            return Intervento.objects.published()

Every generic endpoint (catalogue, OGC API Features, GeoJSON, vector tiles, exports) reads the
declaration; nothing else is needed to publish a layer. A layer of mixed geometry
(``geometry_type = "Geometry"``) declares its ``geometry_parts``: the registry then publishes
one layer per geometry type (e.g. ``interventi-aree``), which is what the OGC API and the
GIS exports serve, while the mixed layer stays the portal's feed. A declaration that does not
fit its model fails at start-up with :class:`~django.core.exceptions.ImproperlyConfigured`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import CharField, Func, Model, QuerySet

from layers.dependencies import layer_tables

__all__ = [
    "THEMES",
    "GEOMETRY_TYPES",
    "Field",
    "GeometryPart",
    "GeometryType",
    "Layer",
    "LayerRegistry",
    "registry",
    "register",
    "resolve_lookup",
]

THEMES: dict[str, dict[str, str]] = {
    "territorio": {"it": "Territorio", "en": "Territory"},
    "rigenerazione": {"it": "Rigenerazione urbana", "en": "Urban regeneration"},
    "pianificazione": {"it": "Pianificazione", "en": "Planning"},
    "mobilita": {"it": "Mobilità", "en": "Mobility"},
    "servizi": {"it": "Servizi", "en": "Services"},
}
GEOMETRY_TYPES = (
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "Geometry",
)
RENDER_MODES = ("tiles", "geojson")
JSON_TYPES = ("integer", "number", "string", "boolean", "array", "object")
LAYER_ID_RE = re.compile(r"^[a-z][a-z0-9_-]{1,62}$")
FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Field:
    """One exposed attribute: its public ``name``, the ORM ``source`` path and its labels.

    Type, meaning, unit and allowed values come from the model field (see
    :mod:`layers.fieldschema`). A computed attribute gives an ORM ``expression`` (a subquery, a
    function) instead of a source, and then says its JSON Schema ``type`` itself.
    """

    name: str
    source: str = ""
    it: str = ""
    en: str = ""
    expression: object = None
    type: str = ""
    format: str = ""
    items: str = ""
    unit: str = ""
    description: str = ""

    @property
    def lookup(self) -> str:
        return self.source or self.name

    @property
    def label(self) -> dict[str, str]:
        return {"it": self.it or self.name, "en": self.en or self.it or self.name}


class GeometryType(Func):
    """PostGIS ``GeometryType(geom)``: ``'MULTIPOLYGON'``, ``'POINT'``…"""

    function = "GeometryType"
    output_field = CharField()


@dataclass(frozen=True)
class GeometryPart:
    """One geometry type of a mixed layer, published as its own layer ``{id}-{suffix}``."""

    geometry_type: str
    suffix: str
    it: str
    en: str


class Layer:
    """A published layer. Subclass it and set the class attributes; see docs/publishing.md."""

    id: str = ""
    model: type[Model] | None = None
    title: dict[str, str] = {}
    description: dict[str, str] = {}
    theme: str = "territorio"
    fields: tuple[Field, ...] = ()
    popup_fields: tuple[str, ...] = ()
    # Attributes vector tiles carry besides the popup's (analysts' joins: codes, dates).
    tile_extra_fields: tuple[str, ...] = ()
    geometry_field: str = "geom"
    geometry_type: str = "MultiPolygon"
    id_field: str = "pk"
    style: dict = {}
    legend: tuple[dict, ...] = ()
    licence: str = ""
    attribution: str = ""
    is_sample: bool = False
    render: str = "geojson"
    cluster: bool = False
    min_zoom: int = 0
    max_zoom: int = 22
    filterset_class: type | None = None
    detail_page: str | None = None
    # ORM lookups the portal's search box matches (icontains); empty: not searchable.
    search_fields: tuple[str, ...] = ()
    # False: served by id (``/ogc/collections/{id}/items``, tiles, downloads) but never listed
    # (catalogue, OGC collections, the portal's map, /dati/, search): e.g. the benchmark's layer.
    listed: bool = True
    # For geometry_type "Geometry": one published layer per geometry type (OGC, GIS exports).
    geometry_parts: tuple[GeometryPart, ...] = ()
    # Start and end fields (years or dates) that OGC ``datetime`` filters on; () = no dates.
    temporal: tuple[str, ...] = ()
    # Set on a derived part: the id of the mixed layer it comes from.
    part_of: str | None = None

    def get_queryset(self) -> QuerySet:
        """The records the public may see. Override to filter (e.g. ``.published()``)."""
        return self.model._default_manager.all()

    def is_available(self) -> bool:
        """Whether the layer is listed at all (e.g. a benchmark layer only when it has data)."""
        return True

    # -- derived ---------------------------------------------------------------------------

    @property
    def is_single_geometry(self) -> bool:
        """Whether every feature has the declared geometry type (one OGC collection/export)."""
        return self.geometry_type != "Geometry"

    @property
    def queryables(self) -> list[str]:
        """Filter parameter names accepted by every endpoint of this layer."""
        names = list(self.filterset_class.base_filters) if self.filterset_class else []
        return ["bbox", *[n for n in names if n != "bbox"]]

    def field_named(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def popup(self) -> list[Field]:
        return [self.field_named(name) for name in self.popup_fields]

    @property
    def tile_fields(self) -> list[Field]:
        """The attributes of the layer's vector tiles: the popup's, then the extra ones."""
        extra = [n for n in self.tile_extra_fields if n not in self.popup_fields]
        return [*self.popup, *(self.field_named(name) for name in extra)]

    @functools.cached_property
    def version_tables(self) -> list[str]:
        """The database tables whose changes make a new data version of the layer: derived
        from the declaration (queryset, fields, filters) by :mod:`layers.dependencies`."""
        return layer_tables(self)

    def detail_url(self, feature_id) -> str | None:
        return self.detail_page.format(id=feature_id) if self.detail_page else None

    def __str__(self) -> str:
        return self.id


def resolve_lookup(model: type[Model], lookup: str):
    """The model field a ``__``-separated lookup ends on (raises FieldDoesNotExist)."""
    parts = lookup.split("__")
    current = model
    for part in parts[:-1]:
        current = current._meta.get_field(part).related_model
        if current is None:
            raise FieldDoesNotExist(lookup)
    last = parts[-1]
    if last == "pk":
        return current._meta.pk
    return current._meta.get_field(last)


def _fail(layer: Layer, message: str) -> None:
    raise ImproperlyConfigured(f"Layer {layer.id or type(layer).__name__!r}: {message}")


def _check_fields(layer: Layer) -> None:
    names = [f.name for f in layer.fields]
    if len(set(names)) != len(names):
        _fail(layer, "field names must be unique.")
    for f in layer.fields:
        if not FIELD_NAME_RE.match(f.name) or f.name in ("id", "geometry"):
            _fail(layer, f"field name {f.name!r} is not a valid attribute name.")
        if f.expression is not None:
            if f.type not in JSON_TYPES:
                _fail(layer, f"computed field {f.name!r} needs a type among {JSON_TYPES}.")
            continue
        try:
            resolve_lookup(layer.model, f.lookup)
        except FieldDoesNotExist:
            _fail(layer, f"field {f.name!r}: {layer.model.__name__} has no {f.lookup!r}.")
    for lookup in layer.search_fields:
        try:
            resolve_lookup(layer.model, lookup)
        except FieldDoesNotExist:
            _fail(layer, f"search_fields: {layer.model.__name__} has no {lookup!r}.")
    for attr in ("popup_fields", "tile_extra_fields", "temporal"):
        unknown = set(getattr(layer, attr)) - set(names)
        if unknown:
            _fail(layer, f"{attr} not among fields: {sorted(unknown)}.")


def _check_geometry(layer: Layer) -> None:
    try:
        geom = layer.model._meta.get_field(layer.geometry_field)
    except FieldDoesNotExist:
        _fail(layer, f"{layer.model.__name__} has no field {layer.geometry_field!r}.")
    if not isinstance(geom, GeometryField):
        _fail(layer, f"{layer.geometry_field!r} is not a geometry field.")
    if layer.geometry_type not in GEOMETRY_TYPES:
        _fail(layer, f"geometry_type must be one of {GEOMETRY_TYPES}.")
    if layer.geometry_parts and layer.geometry_type != "Geometry":
        _fail(layer, "geometry_parts are for a layer of geometry_type 'Geometry'.")
    for part in layer.geometry_parts:
        if part.geometry_type not in GEOMETRY_TYPES[:-1]:
            _fail(layer, f"geometry part {part.suffix!r}: not a single geometry type.")
    try:
        resolve_lookup(layer.model, layer.id_field)
    except FieldDoesNotExist:
        _fail(layer, f"id_field {layer.id_field!r} does not exist.")


def validate(layer: Layer) -> None:
    """Raise ImproperlyConfigured unless the declaration fits its model and the contracts."""
    if not LAYER_ID_RE.match(layer.id or ""):
        _fail(layer, "id must be a lowercase slug (letters, digits, '-', '_').")
    if layer.model is None:
        _fail(layer, "model is required.")
    for attr in ("title", "description"):
        value = getattr(layer, attr)
        if attr == "title" and not value.get("it"):
            _fail(layer, "title needs at least the Italian text ('it').")
        if set(value) - {"it", "en"}:
            _fail(layer, f"{attr} keys must be 'it' and 'en'.")
    if layer.theme not in THEMES:
        _fail(layer, f"theme must be one of {sorted(THEMES)}.")
    if layer.render not in RENDER_MODES:
        _fail(layer, f"render must be one of {RENDER_MODES}.")
    if not 0 <= layer.min_zoom <= layer.max_zoom <= 24:
        _fail(layer, "zoom range must satisfy 0 <= min_zoom <= max_zoom <= 24.")
    fs_model = getattr(getattr(layer.filterset_class, "_meta", None), "model", None)
    if fs_model is not None and not issubclass(layer.model, fs_model):
        _fail(layer, f"filterset_class filters {fs_model.__name__}, not the layer's model.")
    if layer.detail_page is not None and "{id}" not in layer.detail_page:
        _fail(layer, "detail_page must contain '{id}'.")
    _check_geometry(layer)
    _check_fields(layer)


def geometry_part(layer_class: type[Layer], part: GeometryPart) -> type[Layer]:
    """The layer class publishing only the ``part.geometry_type`` features of a mixed layer."""
    base = layer_class()

    def get_queryset(self) -> QuerySet:
        records = layer_class.get_queryset(self)
        kind = GeometryType(self.geometry_field)
        return records.alias(rx_geometry_type=kind).filter(
            rx_geometry_type=part.geometry_type.upper()
        )

    attrs = {
        "id": f"{base.id}-{part.suffix}",
        "title": {lang: f"{text} ({getattr(part, lang)})" for lang, text in base.title.items()},
        "geometry_type": part.geometry_type,
        "geometry_parts": (),
        "part_of": base.id,
        "get_queryset": get_queryset,
        "__module__": layer_class.__module__,
        "__doc__": f"{base.id}: only the {part.geometry_type} features.",
    }
    name = f"{layer_class.__name__}_{part.suffix.replace('-', '_')}"
    return type(name, (layer_class,), attrs)


class LayerRegistry:
    """Published layers by id, in registration order; geometry parts kept beside them."""

    def __init__(self) -> None:
        self._layers: dict[str, Layer] = {}
        self._parts: dict[str, list[Layer]] = {}

    def register(self, layer_class: type[Layer]) -> type[Layer]:
        """Validate and register a Layer subclass; usable as a class decorator."""
        if not (isinstance(layer_class, type) and issubclass(layer_class, Layer)):
            raise ImproperlyConfigured(f"{layer_class!r} is not a Layer subclass.")
        layer = layer_class()
        validate(layer)
        if layer.id in self._layers and type(self._layers[layer.id]) is not layer_class:
            raise ImproperlyConfigured(f"Layer id {layer.id!r} is registered twice.")
        self._layers[layer.id] = layer
        parts = [geometry_part(layer_class, part)() for part in layer.geometry_parts]
        for part in parts:
            validate(part)
            if part.id in self._layers:
                raise ImproperlyConfigured(f"Layer id {part.id!r} is registered twice.")
        self._parts[layer.id] = parts
        return layer_class

    def unregister(self, layer_id: str) -> None:
        self._layers.pop(layer_id, None)
        self._parts.pop(layer_id, None)

    def _find(self, layer_id: str) -> Layer | None:
        layer = self._layers.get(layer_id)
        if layer is None:
            parts = (p for group in self._parts.values() for p in group)
            layer = next((p for p in parts if p.id == layer_id), None)
        return layer

    def get(self, layer_id: str) -> Layer | None:
        """The available layer (or geometry part) with this id, or None."""
        layer = self._find(layer_id)
        return layer if layer is not None and layer.is_available() else None

    def get_declared(self, layer_id: str) -> Layer | None:
        """The registered layer with this id, available or not (never reads the database)."""
        return self._find(layer_id)

    def parts(self, layer: Layer) -> list[Layer]:
        """The single-geometry layers derived from ``layer`` (empty unless it is mixed)."""
        return list(self._parts.get(layer.id, ()))

    def collections(self) -> list[Layer]:
        """The layers with one geometry type each (OGC collections, GIS exports), in order:
        a mixed layer is replaced by its geometry parts."""
        found: list[Layer] = []
        for layer in self.all():
            if layer.is_single_geometry:
                found.append(layer)
            else:
                found.extend(self.parts(layer))
        return found

    def all(self) -> list[Layer]:
        """Every listed and available layer, in registration order (what the public sees)."""
        return [layer for layer in self._layers.values() if layer.listed and layer.is_available()]

    def declared(self) -> list[Layer]:
        """Every registered layer, available or not."""
        return list(self._layers.values())


registry = LayerRegistry()
register = registry.register
