"""Who may write where: "an operator writes only inside its own Comuni", in one place.

:func:`may_write_in` is THE rule. It sits in this low app so that the models' validation
(``Intervento.clean()``, ``Opportunita.clean()`` through :func:`writer_errors`), the services,
the admin, the API and the pages all ask the same function. It reads the roles by name: the
permission ``contributi.review_contributions`` and the operators' Comuni (the ``operatori``
relation of :class:`territorio.models.Comune`, declared by ``contributi.OperatoreComunale``);
this module imports neither app.

The Comuni of a record are those of its geometry (:mod:`rules.spatial`): a tag that disagrees
with the geometry is refused with :data:`ERROR_COMUNE_NOT_OF_GEOMETRY` or
:data:`ERROR_COMUNI_NOT_OF_GEOMETRY`, so a check on the tag can never be fooled.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from territorio.models import Comune

__all__ = [
    "REVIEW_PERMISSION",
    "ERROR_WRITER_OUTSIDE",
    "ERROR_COMUNE_NOT_OF_GEOMETRY",
    "ERROR_COMUNI_NOT_OF_GEOMETRY",
    "is_reviewer",
    "operator_comuni_ids",
    "may_write_in",
    "comuni_names",
    "acting_writer",
    "writer_errors",
]

REVIEW_PERMISSION = "contributi.review_contributions"

ERROR_WRITER_OUTSIDE = _(
    "{record}: l'utente {user} inserisce e modifica dati solo nei propri Comuni, ma la "
    "geometria ricade in: {comuni}."
)
ERROR_COMUNE_NOT_OF_GEOMETRY = _(
    "{record}: il Comune indicato ({chosen}) non è quello in cui ricade la geometria ({actual})."
)
ERROR_COMUNI_NOT_OF_GEOMETRY = _(
    "{record}: i Comuni indicati ({chosen}) non sono tutti fra quelli in cui ricade la "
    "geometria ({actual})."
)


def is_reviewer(user) -> bool:
    """CMM reviewers and administrators."""
    return bool(user and user.is_authenticated and user.is_active) and (
        user.is_superuser or user.has_perm(REVIEW_PERMISSION)
    )


def operator_comuni_ids(user) -> set[int]:
    """Primary keys of the Comuni a municipality operator writes for (empty for others)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cached = getattr(user, "_remix_comuni_ids", None)
    if cached is None:
        cached = set(Comune.objects.filter(operatori__user=user).values_list("pk", flat=True))
        user._remix_comuni_ids = cached
    return cached


def may_write_in(user, comuni_ids: Iterable[int]) -> bool:
    """THE rule: a reviewer or administrator writes anywhere; a municipality operator only
    when every one of ``comuni_ids`` is theirs; anybody else nowhere."""
    wanted = set(comuni_ids)
    if is_reviewer(user):
        return True
    return bool(wanted) and wanted <= operator_comuni_ids(user)


def comuni_names(ids: Iterable[int]) -> str:
    """The names of these Comuni, in ISTAT order, for messages."""
    names = Comune.objects.filter(pk__in=list(ids)).order_by("istat_code")
    return ", ".join(names.values_list("name", flat=True)) or "—"


def acting_writer(instance):
    """Who is writing ``instance``: its ``writer`` when a service or the admin set it, else
    the author of a record not yet stored (so a shell or a loader creating a record in an
    operator's name is held to that operator's Comuni); None for a system write."""
    if getattr(instance, "writer", None) is not None:
        return instance.writer
    if instance._state.adding and getattr(instance, "created_by_id", None):
        return instance.created_by
    return None


def writer_errors(record: str, instance, comuni_ids: Iterable[int]) -> list[str]:
    """The model-level role wall: the writer of ``instance`` (see :func:`acting_writer`)
    must be allowed to write in every Comune of its geometry."""
    writer = acting_writer(instance)
    ids = list(comuni_ids)
    if writer is None or may_write_in(writer, ids):
        return []
    return [ERROR_WRITER_OUTSIDE.format(record=record, user=writer, comuni=comuni_names(ids))]
