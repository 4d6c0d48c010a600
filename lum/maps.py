"""Sheet maps of the Atlases, drawn server-side as inline SVG from PostGIS.

Geometries are clipped to the sheet's frame and written with ``ST_AsSVG`` in the metric CRS
(UTM 32N, metres; ``ST_AsSVG`` negates y, so the SVG viewBox starts at ``-maxy``). Points are
drawn as small discs (``ST_Buffer``) so that every shape is a path. No tiles and no JavaScript:
the map prints and becomes PDF as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from layers.srid import METRIC_SRID
from lum.models import Lum, Servizio
from lum.queries import CATCHMENT_QUAD_SEGS, COMUNALE, PUB, published_where
from rigenerazione.models import Intervento, Opportunita
from territorio.models import Comune

__all__ = ["SheetMap", "lum_sheet_map", "comune_sheet_map"]

# Drawing order and presentation attributes; widths are multiples of the frame's unit.
STYLES = {
    "comune": {"fill": "#f4f1ea", "stroke": "#6b6b6b", "width": 1.0, "opacity": 1},
    "comune-focus": {"fill": "#ffffff", "stroke": "#222222", "width": 2.5, "opacity": 1},
    "bacino": {"fill": "#6a3d9a", "stroke": "#6a3d9a", "width": 2.0, "opacity": 0.12},
    "opportunita": {"fill": "#2c7fb8", "stroke": "#1d5a85", "width": 0.8, "opacity": 0.55},
    "interventi": {"fill": "#d7301f", "stroke": "#9e1f12", "width": 0.8, "opacity": 0.6},
    "servizi": {"fill": "#e6550d", "stroke": "#7f2704", "width": 0.6, "opacity": 0.9},
    "lum": {"fill": "#6a3d9a", "stroke": "#ffffff", "width": 1.0, "opacity": 1},
}


@dataclass
class SheetMap:
    """What the template draws: a viewBox, styled shapes, labels and a scale bar."""

    minx: float
    miny: float
    maxx: float
    maxy: float
    shapes: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)

    @property
    def unit(self) -> float:
        """One 'pixel' of a 600-unit-wide drawing, in metres."""
        return (self.maxx - self.minx) / 600

    @property
    def view_box(self) -> str:
        width, height = self.maxx - self.minx, self.maxy - self.miny
        return f"{self.minx:.0f} {-self.maxy:.0f} {width:.0f} {height:.0f}"

    @property
    def scale_bar(self) -> dict:
        """A round length near a fifth of the frame, placed bottom-left."""
        width = self.maxx - self.minx
        length = next(x for x in (5000, 2000, 1000, 500, 200, 100) if x <= width / 4 or x == 100)
        x0, y0 = self.minx + 20 * self.unit, -self.miny - 20 * self.unit
        return {
            "x": x0,
            "y": y0,
            "x2": x0 + length,
            "length": length,
            "ty": y0 - 6 * self.unit,
            "size": round(11 * self.unit, 1),
            "stroke": round(2 * self.unit, 1),
        }

    def add(self, kind: str, rows: list[tuple]) -> None:
        style = STYLES[kind]
        for path, title in rows:
            if path:
                self.shapes.append(
                    {
                        "kind": kind,
                        "d": path,
                        "title": title,
                        "fill": style["fill"],
                        "stroke": style["stroke"],
                        "stroke_width": round(style["width"] * self.unit, 2),
                        "opacity": style["opacity"],
                    }
                )


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _frame_params(m: SheetMap) -> list:
    return [m.minx, m.miny, m.maxx, m.maxy, METRIC_SRID]


FRAME = "ST_MakeEnvelope(%s, %s, %s, %s, %s)"
# ST_AsSVG(geometry, absolute coordinates, 1 decimal): decimetres are enough on paper. A clip
# may return a GeometryCollection (which ST_AsSVG writes with ';'): keep lines for lines and
# areas for everything else (points are drawn as discs).
SVG_CLIPPED = (
    "ST_AsSVG(ST_CollectionExtract(ST_Intersection(CASE WHEN ST_Dimension(x.g) = 0 "
    "THEN ST_Buffer(x.g, %s, 4) ELSE x.g END, f.g), "
    "CASE WHEN ST_Dimension(x.g) = 1 THEN 2 ELSE 3 END), 0, 1)"
)
SVG_DISC = (
    "ST_AsSVG(ST_CollectionExtract(ST_Intersection(ST_Buffer(ST_Transform(t.geom, %s), "
    "COALESCE(t.radius_m, %s), %s), f.g), 3), 0, 1)"
)


def _clipped(table: str, label: str, where: str, m: SheetMap, params: list, dot: float) -> list:
    """Paths of a table's geometries clipped to the frame (points as discs of radius ``dot``)."""
    sql = f"""
        WITH f AS (SELECT {FRAME} AS g),
        x AS (SELECT t.{label} AS title, ST_Transform(t.geom, %s) AS g FROM {table} AS t, f
              WHERE {where} AND ST_Intersects(ST_Transform(t.geom, %s), f.g))
        SELECT {SVG_CLIPPED}, x.title
        FROM x, f ORDER BY x.title
    """  # noqa: S608
    return _fetch(sql, [*_frame_params(m), METRIC_SRID, *params, METRIC_SRID, dot])


def _draw_context(m: SheetMap, focus_comune_id: int | None, radius: int) -> None:
    comuni = _clipped(Comune._meta.db_table, "name", "TRUE", m, [], 1)
    m.add("comune", comuni)
    if focus_comune_id is not None:
        focus = _clipped(Comune._meta.db_table, "name", "t.id = %s", m, [focus_comune_id], 1)
        m.add("comune-focus", focus)
    lum_t = Lum._meta.db_table
    sql = f"""
        WITH f AS (SELECT {FRAME} AS g)
        SELECT {SVG_DISC}, t.name
        FROM {lum_t} AS t, f
        WHERE {published_where("t")}
          AND ST_DWithin(ST_Transform(t.geom, %s), f.g, COALESCE(t.radius_m, %s))
    """  # noqa: S608
    params = [*_frame_params(m), METRIC_SRID, radius, CATCHMENT_QUAD_SEGS, PUB, METRIC_SRID, radius]
    m.add("bacino", _fetch(sql, params))
    dot = 4 * m.unit
    published = published_where("t")
    m.add("opportunita", _clipped(Opportunita._meta.db_table, "title", published, m, [PUB], dot))
    drawn = f"{published} AND t.localizzazione <> %s"  # a Comune's boundary is no perimeter
    m.add(
        "interventi", _clipped(Intervento._meta.db_table, "title", drawn, m, [PUB, COMUNALE], dot)
    )
    m.add("servizi", _clipped(Servizio._meta.db_table, "name", published, m, [PUB], dot * 0.8))
    m.add("lum", _clipped(lum_t, "name", published, m, [PUB], dot * 1.6))
    _label_comuni(m)


def _label_comuni(m: SheetMap) -> None:
    table = Comune._meta.db_table
    sql = f"""
        WITH f AS (SELECT {FRAME} AS g)
        SELECT c.name, ST_X(p), -ST_Y(p) FROM {table} AS c, f,
             ST_PointOnSurface(ST_Intersection(ST_Transform(c.geom, %s), f.g)) AS p
        WHERE ST_Intersects(ST_Transform(c.geom, %s), f.g) AND NOT ST_IsEmpty(p)
    """  # noqa: S608
    rows = _fetch(sql, [*_frame_params(m), METRIC_SRID, METRIC_SRID])
    m.labels = [{"text": name, "x": x, "y": y, "size": 11 * m.unit} for name, x, y in rows]


def lum_sheet_map(lum: Lum) -> SheetMap:
    """The catchment of a LUM and what is around it, in a square frame 1.3 × its diameter."""
    radius = lum.catchment_radius_m
    sql = "SELECT ST_X(g), ST_Y(g) FROM ST_Transform(%s::geometry, %s) AS g"
    ((x, y),) = _fetch(sql, [lum.geom.ewkt, METRIC_SRID])
    half = radius * 1.3
    m = SheetMap(x - half, y - half, x + half, y + half)
    _draw_context(m, None, radius)
    return m


def comune_sheet_map(comune: Comune, radius: int) -> SheetMap:
    """A Comune, its neighbours, LUM catchments, opportunities, interventi and services."""
    table = Comune._meta.db_table
    sql = f"""SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
              FROM (SELECT ST_Transform(geom, %s) AS g FROM {table} WHERE id = %s) AS c,
                   ST_Envelope(c.g) AS b"""  # noqa: S608
    ((minx, miny, maxx, maxy),) = _fetch(sql, [METRIC_SRID, comune.pk])
    side = max(maxx - minx, maxy - miny) * 1.08
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    m = SheetMap(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)
    _draw_context(m, comune.pk, radius)
    return m
