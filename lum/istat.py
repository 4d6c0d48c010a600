"""ISTAT codes of Comuni as the open data of other bodies write them, made today's six digits.

Regional registers store the code as a number (``15146`` for Milano: the leading zero of the
province is lost) and some still carry the code of a Comune that has since merged into another.
:func:`istat_code_normalise` is the one place that turns either into the code of
``layers.Comune.istat_code``; :data:`MERGED_COMUNI` is the one table of mergers it knows.
"""

from __future__ import annotations

import re

__all__ = ["MERGED_COMUNI", "ERROR_BAD_ISTAT", "istat_code_normalise"]

# Pre-merger code → today's code, for Comuni of the CMM merged since the codes were issued.
# 2019: Vermezzo and Zelo Surrigone merged into Vermezzo con Zelo (see SOURCES.md).
MERGED_COMUNI: dict[str, str] = {
    "015235": "015251",  # Vermezzo
    "015246": "015251",  # Zelo Surrigone
}

ERROR_BAD_ISTAT = "Codice ISTAT non valido: {value!r} (servono da 4 a 6 cifre)."
ISTAT_RE = re.compile(r"^\d{4,6}$")


def istat_code_normalise(value: str | int) -> str:
    """Today's six-digit ISTAT code for ``value`` (a code with or without leading zeros).

    ``"15146"`` → ``"015146"``; ``"15235"`` (Vermezzo, merged) → ``"015251"``. Raises
    ``ValueError`` with :data:`ERROR_BAD_ISTAT` for anything that is not 4–6 digits.
    """
    text = str(value).strip()
    if not ISTAT_RE.match(text):
        raise ValueError(ERROR_BAD_ISTAT.format(value=value))
    code = text.zfill(6)
    return MERGED_COMUNI.get(code, code)
