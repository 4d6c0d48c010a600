"""Funding rules of the interventi, with their messages.

Messages are module constants (translatable, reused by the tests); each names the record at
fault (``Intervento «Titolo»: …``). The rules shared with other apps (geometry kinds, multi
geometries, inside the CMM, the Comune of a geometry) are in :mod:`rules`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["ERROR_FUNDING_OVER_COST", "ERROR_FUNDING_WITHOUT_COST", "funding_errors"]

ERROR_FUNDING_OVER_COST = _(
    "{record}: i finanziamenti ({total} €) superano il costo totale ({cost} €)."
)
ERROR_FUNDING_WITHOUT_COST = _(
    "{record}: indicare il costo totale prima dei finanziamenti (servono per le quote)."
)


def funding_errors(record: str, amounts: list[Decimal], cost: Decimal | None) -> None:
    """Raise ValidationError when the funding amounts exceed the total cost (or have none)."""
    total = sum(amounts, Decimal("0"))
    if not amounts or total == 0:
        return
    if cost is None:
        raise ValidationError({"costo_totale": ERROR_FUNDING_WITHOUT_COST.format(record=record)})
    if total > cost:
        raise ValidationError(
            {"costo_totale": ERROR_FUNDING_OVER_COST.format(record=record, total=total, cost=cost)}
        )
