"""CSV output of the analyses: the same document as the JSON, in long (tidy) format.

Columns ``sezione, riga, campo, valore``: one line per value, so every analysis fits one shape
that spreadsheets and pandas can pivot. A view may define ``csv_rows(data)`` to return a flat
table of its own instead (the proximity query lists one feature per line): it is used for the
view's own document only, i.e. a successful GET; any other answer (an error, the OPTIONS
metadata) is written in the long format.
"""

from __future__ import annotations

import csv
import io

from rest_framework.renderers import BaseRenderer

__all__ = ["LONG_COLUMNS", "long_rows", "AnalysisCSVRenderer"]

LONG_COLUMNS = ["sezione", "riga", "campo", "valore"]


def _cell(value) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def long_rows(data: dict) -> list[list[str]]:
    """``[[sezione, riga, campo, valore], ...]`` for a document of dicts and lists of dicts."""
    rows = []
    for section, value in data.items():
        if isinstance(value, dict):
            rows += [[section, "", key, _cell(v)] for key, v in value.items()]
        elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value, start=1):
                rows += [[section, str(i), key, _cell(v)] for key, v in item.items()]
        else:
            rows.append([section, "", "", _cell(value)])
    return rows


class AnalysisCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        view = context.get("view")
        response = context.get("response")
        request = context.get("request")
        if (
            hasattr(view, "csv_rows")
            and response is not None
            and response.status_code < 400
            and request is not None
            and request.method in ("GET", "HEAD")
        ):
            header, rows = view.csv_rows(data)
        else:
            header, rows = LONG_COLUMNS, long_rows(data or {})
        if response is not None and view is not None:
            name = getattr(view, "csv_filename", "analisi")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8")
