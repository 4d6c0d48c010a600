"""The typed schema of a layer, derived from its model fields (never typed twice).

Every published attribute gets one :class:`FieldSchema`: its JSON Schema type (``integer``,
``number``, ``string`` with ``format: date``/``date-time`` or an ``enum``, ``boolean``,
``array``, ``object``), its label, meaning (``help_text``), unit and allowed values (the
field's ``choices``). The OGC API (Part 5 schema, Part 3 queryables), the exports' column
types and the data dictionary on ``/dati/`` all read it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.db import models

from layers.queries import id_is_integer
from layers.registry import Field, Layer, resolve_lookup

__all__ = [
    "FieldSchema",
    "field_schema",
    "layer_schema",
    "json_schema",
    "geometry_format",
    "feature_schema",
    "logical_schema",
    "queryables_schema",
    "data_dictionary",
]

INTEGER_FIELDS = (models.IntegerField, models.AutoField, models.BigAutoField)
NUMBER_FIELDS = (models.FloatField, models.DecimalField)
# A unit at the end of a label: "costo totale (€)", "superficie (m²)", "raggio del bacino (m)".
UNIT_RE = re.compile(r"\(([^()]{1,6})\)\s*$")


@dataclass(frozen=True)
class FieldSchema:
    """One published attribute's type and documentation."""

    name: str
    type: str
    label: dict[str, str]
    format: str = ""
    items: str = ""
    description: str = ""
    unit: str = ""
    enum: tuple[tuple[str, str], ...] = field(default=())

    @property
    def is_scalar(self) -> bool:
        return self.type not in ("array", "object")

    def json(self) -> dict:
        """The JSON Schema of the attribute (one type, so that GDAL reads it)."""
        schema: dict = {"title": self.label["it"], "type": self.type}
        if self.format:
            schema["format"] = self.format
        if self.items:
            schema["items"] = {"type": self.items}
        if self.enum:
            schema["enum"] = [value for value, _ in self.enum]
        if self.description:
            schema["description"] = self.description
        if self.unit:
            schema["x-unit"] = self.unit
        return schema


def _json_type(model_field) -> tuple[str, str]:
    """(type, format) of a model field in JSON Schema terms."""
    if isinstance(model_field, models.BooleanField):
        return "boolean", ""
    if isinstance(model_field, INTEGER_FIELDS):
        return "integer", ""
    if isinstance(model_field, NUMBER_FIELDS):
        return "number", ""
    if isinstance(model_field, models.DateTimeField):
        return "string", "date-time"
    if isinstance(model_field, models.DateField):
        return "string", "date"
    if isinstance(model_field, models.JSONField):
        return "object", ""
    return "string", ""


def field_schema(layer: Layer, published: Field) -> FieldSchema:
    """The schema of one declared field: from its model field, or its own ``type``."""
    if published.expression is not None:
        return FieldSchema(
            name=published.name,
            type=published.type or "string",
            label=published.label,
            format=published.format,
            items=published.items,
            description=published.description,
            unit=published.unit,
        )
    model_field = resolve_lookup(layer.model, published.lookup)
    items = ""
    base = model_field
    if isinstance(model_field, ArrayField):
        base = model_field.base_field
        items = _json_type(base)[0]
        kind, fmt = "array", ""
    else:
        kind, fmt = _json_type(model_field)
    choices = tuple((str(v), str(label)) for v, label in (base.choices or ()))
    help_text = str(model_field.help_text or "")
    unit = published.unit or _unit(str(model_field.verbose_name))
    return FieldSchema(
        name=published.name,
        type=kind,
        label=published.label,
        format=fmt,
        items=items,
        description=published.description or help_text,
        unit=unit,
        enum=choices if not items else (),
    )


def _unit(verbose_name: str) -> str:
    match = UNIT_RE.search(verbose_name)
    return match.group(1) if match else ""


def layer_schema(layer: Layer) -> list[FieldSchema]:
    """The schema of every field the layer publishes, in declaration order."""
    return [field_schema(layer, f) for f in layer.fields]


def json_schema(layer: Layer) -> dict[str, dict]:
    """Attribute name → JSON Schema, for every published field."""
    return {s.name: s.json() for s in layer_schema(layer)}


def geometry_format(layer: Layer) -> str:
    """Part 5's geometry format of the layer, e.g. ``geometry-multipolygon``."""
    kind = layer.geometry_type.lower()
    return "geometry-any" if kind == "geometry" else f"geometry-{kind}"


def _id_schema(layer: Layer) -> dict:
    return {"type": "integer" if id_is_integer(layer) else "string", "x-ogc-role": "id"}


def logical_schema(layer: Layer, schema_id: str) -> dict:
    """OGC API – Features Part 5: the logical schema of a collection's features."""
    properties = {
        "id": _id_schema(layer),
        "geometry": {"format": geometry_format(layer), "x-ogc-role": "primary-geometry"},
        **json_schema(layer),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "type": "object",
        "title": layer.title.get("it"),
        "properties": properties,
    }


def feature_schema(layer: Layer, schema_id: str) -> dict:
    """The JSON Schema of one GeoJSON Feature of the collection (GDAL's ``describedBy``)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": layer.title.get("it"),
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": _id_schema(layer)["type"]},
            "geometry": {
                "type": "object",
                "properties": {"type": {"type": "string", "enum": [layer.geometry_type]}},
            },
            "properties": {"type": "object", "properties": json_schema(layer)},
        },
    }


def queryables_schema(layer: Layer, schema_id: str) -> dict:
    """OGC API – Features Part 3: the properties a ``filter`` may name, typed."""
    properties = {"geometry": {"format": geometry_format(layer), "x-ogc-role": "primary-geometry"}}
    properties.update({s.name: s.json() for s in layer_schema(layer) if s.is_scalar})
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": schema_id,
        "type": "object",
        "title": layer.title.get("it"),
        "properties": properties,
        "additionalProperties": False,
    }


def data_dictionary(layer: Layer) -> list[dict]:
    """One row per field: name, type, unit, label, meaning, allowed values."""
    rows = []
    for s in layer_schema(layer):
        kind = s.format or (f"array<{s.items}>" if s.items else s.type)
        rows.append(
            {
                "name": s.name,
                "type": kind,
                "unit": s.unit,
                "label": s.label,
                "description": s.description,
                "values": [{"value": v, "label": label} for v, label in s.enum],
            }
        )
    return rows
