"""Reads of the contribution pages."""

from __future__ import annotations

from django.db.models import QuerySet

from contributi.permissions import editable_records
from rigenerazione.models import Intervento, Opportunita
from rules.publication import PublicationState

__all__ = ["records_for", "review_queue"]


def records_for(user) -> dict[str, QuerySet]:
    """The interventi and opportunità the user may edit, newest first, without geometry."""
    return {
        "interventi": editable_records(user, Intervento.objects.all())
        .defer("geom")
        .order_by("-updated_at"),
        "opportunita": editable_records(user, Opportunita.objects.all())
        .select_related("comune")
        .defer("geom")
        .order_by("-updated_at"),
    }


def review_queue() -> dict[str, QuerySet]:
    """Records waiting for a reviewer."""
    waiting = {"publication_state": PublicationState.IN_REVISIONE}
    return {
        "interventi": Intervento.objects.filter(**waiting)
        .defer("geom")
        .prefetch_related("comuni")
        .order_by("updated_at"),
        "opportunita": Opportunita.objects.filter(**waiting)
        .select_related("comune")
        .defer("geom")
        .order_by("updated_at"),
    }
