"""OGC API – Features Part 3 filters: CQL2 text and JSON, translated to the Django ORM.

pygeofilter parses the expression and its Django backend turns the syntax tree into ``Q``
objects, so every value reaches SQL as a bound parameter. On top of the library:

* only the layer's queryables may be named (a 400 names any other property);
* ``S_DWITHIN(geometry, <geometry>, <metres>)`` (text) and ``{"op": "s_dwithin"}`` (JSON),
  which CQL2 text's grammar lacks; the distance is measured on the spheroid, in metres;
* ``LIKE`` follows CQL2 (``%`` any text, ``_`` one character) through a regular expression;
* geometries in ``filter-crs`` (one of the CRSs the API offers) are transformed to storage;
* ``between`` in CQL2 JSON takes ``[property, low, high]`` as the standard says.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lark
import pygeofilter.parsers.cql2_text.parser as cql2_text
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.contrib.gis.measure import D
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from pygeofilter import ast, values
from pygeofilter.backends.django.evaluate import DjangoFilterEvaluator
from pygeofilter.backends.evaluator import handle
from pygeofilter.parsers.cql2_json.parser import walk_cql_json

from layers.srid import STORAGE_SRID
from remix.errors import UserInputError

__all__ = [
    "FILTER_LANGS",
    "BAD_FILTER",
    "BAD_FILTER_LANG",
    "UNKNOWN_PROPERTY",
    "parse_filter",
    "filter_queryset",
]

# "cql-text" is the draft's name that GDAL ≤ 3.6 sends; it is parsed as CQL2 text.
FILTER_LANGS = ("cql2-text", "cql2-json", "cql-text")
BAD_FILTER = "filter: espressione CQL2 non valida ({reason})."
BAD_FILTER_LANG = "filter-lang deve essere uno di: {langs}."
UNKNOWN_PROPERTY = "filter: proprietà sconosciuta {name!r}; quelle interrogabili sono: {names}."
UNSUPPORTED = "filter: operatore non supportato ({node})."

_DWITHIN_RULE = (
    '?spatial_predicate: "S_DWITHIN"i "(" expression "," expression "," full_number ")"'
    " -> dwithin_spatial_predicate\n                  | "
)


@lark.v_args(inline=True)
class _Transformer(cql2_text.CQLTransformer):
    def dwithin_spatial_predicate(self, lhs, rhs, distance):
        return ast.DistanceWithin(lhs, rhs, float(distance), "meters")


def _text_parser() -> lark.Lark:
    """pygeofilter's CQL2 text grammar plus ``S_DWITHIN``."""
    folder = Path(cql2_text.__file__).parent
    grammar = (folder / "grammar.lark").read_text()
    grammar = grammar.replace("?spatial_predicate: ", _DWITHIN_RULE, 1)
    return lark.Lark(
        grammar,
        parser="lalr",
        maybe_placeholders=False,
        transformer=_Transformer(),
        import_paths=[str(folder.parent)],
    )


TEXT_PARSER = _text_parser()


def _walk_json(node):
    """CQL2 JSON to pygeofilter's tree; the operators pygeofilter lacks are handled here."""
    if isinstance(node, dict) and isinstance(node.get("op"), str):
        op, args = node["op"].lower(), node.get("args", [])
        if op in ("and", "or"):
            return (ast.And if op == "and" else ast.Or).from_items(*map(_walk_json, args))
        if op == "not":
            return ast.Not(_walk_json(args[0] if isinstance(args, list) else args))
        if op == "between" and len(args) == 3:
            return ast.Between(*(walk_cql_json(a) for a in args), not_=False)
        if op == "s_dwithin" and len(args) == 3:
            lhs, rhs = walk_cql_json(args[0]), walk_cql_json(args[1])
            return ast.DistanceWithin(lhs, rhs, float(args[2]), "meters")
    return walk_cql_json(node)


def parse_filter(text: str, lang: str | None) -> ast.Node:
    """The syntax tree of a ``filter`` in ``filter-lang`` (CQL2 text by default)."""
    lang = lang or "cql2-text"
    if lang not in FILTER_LANGS:
        message = BAD_FILTER_LANG.format(langs=", ".join(FILTER_LANGS))
        raise UserInputError(message, field="filter-lang")
    try:
        if lang == "cql2-json":
            return _walk_json(json.loads(text))
        return TEXT_PARSER.parse(text)
    except (lark.exceptions.LarkError, ValueError, KeyError, IndexError, TypeError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise UserInputError(BAD_FILTER.format(reason=reason), field="filter") from None


def _like_regex(pattern: str) -> str:
    """CQL2 LIKE (``%`` any text, ``_`` one character, ``\\`` escapes) as a regex."""
    out, escaped = ["^"], False
    for char in pattern:
        if escaped:
            out.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        else:
            out.append(re.escape(char))
    return "".join(out) + "$"


class _Evaluator(DjangoFilterEvaluator):
    """pygeofilter's Django evaluator, restricted to declared queryables."""

    def __init__(self, mapping: dict[str, str], srid: int) -> None:
        super().__init__(mapping, None)
        self.srid = srid

    @handle(ast.Attribute)
    def attribute(self, node):
        if node.name not in self.field_mapping:
            names = ", ".join(sorted(self.field_mapping))
            message = UNKNOWN_PROPERTY.format(name=node.name, names=names)
            raise UserInputError(message, field="filter")
        return F(self.field_mapping[node.name])

    @handle(*values.LITERALS)
    def literal(self, node):
        # The raw value, so that Django converts it to the column's type (a 400 if it can't).
        return node

    @handle(ast.Like)
    def like(self, node, lhs):
        lookup = "iregex" if node.nocase else "regex"
        q = Q(**{f"{lhs.name}__{lookup}": _like_regex(node.pattern)})
        return ~q if node.not_ else q

    @handle(ast.SpatialDistancePredicate, subclasses=True)
    def spatial_distance(self, node, lhs, rhs):
        if not isinstance(lhs, F):
            lhs, rhs = rhs, lhs
        if not isinstance(lhs, F) or node.op != ast.SpatialDistanceOp.DWITHIN:
            raise UserInputError(UNSUPPORTED.format(node=node.op.value), field="filter")
        return Q(**{f"{lhs.name}__distance_lte": (rhs, D(m=node.distance), "spheroid")})

    @handle(values.Geometry)
    def geometry(self, node):
        try:
            # GeoJSON input comes out as 4326: the coordinates are in filter-crs.
            geom = GEOSGeometry(json.dumps(node.__geo_interface__))
        except (GEOSException, ValueError, TypeError):
            raise UserInputError(BAD_FILTER.format(reason="geometria"), field="filter") from None
        geom.srid = self.srid
        if self.srid != STORAGE_SRID:
            geom.transform(STORAGE_SRID)
        return geom


def filter_queryset(
    queryset: QuerySet, tree: ast.Node, mapping: dict[str, str], *, srid: int
) -> QuerySet:
    """``queryset`` narrowed by the filter ``tree``; ``mapping``: queryable → ORM lookup."""
    try:
        q = _Evaluator(mapping, srid).evaluate(tree)
        if not isinstance(q, Q):
            reason = "non è una condizione"
            raise UserInputError(BAD_FILTER.format(reason=reason), field="filter")
        return queryset.filter(q)
    except UserInputError:
        raise
    except NotImplementedError as exc:
        raise UserInputError(UNSUPPORTED.format(node=exc), field="filter") from None
    except ValidationError as exc:
        reason = " ".join(exc.messages)
        raise UserInputError(BAD_FILTER.format(reason=reason), field="filter") from None
    except (ValueError, TypeError, AssertionError, KeyError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise UserInputError(BAD_FILTER.format(reason=reason), field="filter") from None
