"""Writes of the contribution workflow: commit an upload, submit, publish, send back,
withdraw, restore a version, save an edit. Each checks the user's right in
:mod:`contributi.permissions` and raises :class:`PermissionDenied` or
:class:`remix.errors.UserInputError`.

State machine of :class:`rigenerazione.models.PublicationState`::

    bozza ──submit──▶ in_revisione ──publish──▶ pubblicato
      ▲                    │                        │ (an operator's edit)
      └──── rinviato ◀─send_back                    ▼
                                                  bozza
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributi.importers import Progress, UploadReport
from contributi.importers import messages as m
from contributi.notifications import notify_published, notify_sent_back, notify_submitted
from contributi.permissions import can_change, can_create_in, can_review
from remix.errors import UserInputError
from rigenerazione.models import Opportunita
from rigenerazione.services import (
    FinanziamentoInput,
    intervento_comuni_refresh,
    intervento_create,
    intervento_update,
    opportunita_create,
    opportunita_update,
)
from rules.publication import PublicationState

__all__ = [
    "NOT_ALLOWED",
    "WRONG_STATE",
    "COMMENT_REQUIRED",
    "upload_commit",
    "record_submit",
    "record_publish",
    "record_send_back",
    "record_withdraw",
    "record_restore",
    "record_mark_edited",
    "record_update",
    "geometry_from_geojson",
]

NOT_ALLOWED = _("Non hai i permessi per modificare questo record.")
WRONG_STATE = _("Il record «{record}» è «{state}»: questa azione non è possibile ora.")
COMMENT_REQUIRED = _("Scrivi una nota per il Comune: spiega che cosa va corretto.")
FEATURE_REFUSED = _(
    "Elemento {feature}: non può essere salvato ({reason}). Nessun dato è stato salvato."
)
UNKNOWN_VERSION = _("La versione richiesta non esiste nello storico di questo record.")


def upload_commit(*, report: UploadReport, user, progress: Progress | None = None) -> list[Model]:
    """Store every feature of a clean report as a draft, all or none.

    ``progress`` is told ``("stored", n, total)`` after each record; if it raises, nothing is
    stored (the one transaction is rolled back)."""
    if not report.ok:
        raise UserInputError(
            m.REPORT_HAS_ERRORS.format(file=report.filename, count=report.error_count),
            field="file",
        )
    source = f"Caricamento del file {report.filename}"[:300]
    created = []
    with transaction.atomic():
        for feature in report.features:
            # The report was built for this user; permissions are checked again at write time.
            if not can_create_in(user, {c.pk for c in feature.comuni}):
                raise PermissionDenied(NOT_ALLOWED)
            try:
                created.append(_feature_create(report.target.key, feature, user, source))
            except ValidationError as exc:
                # A rule of the domain services the report did not foresee: name the feature.
                raise UserInputError(
                    FEATURE_REFUSED.format(feature=feature.number, reason=" ".join(exc.messages)),
                    field="file",
                ) from exc
            if progress:
                progress("stored", len(created), len(report.features))
    return created


def _feature_create(target_key: str, feature, user, source: str) -> Model:
    values = feature.values
    common = {
        "title": values["title"],
        "geom": feature.geom,
        "stato": values["stato"],
        "description": values.get("description", ""),
        "publication_state": PublicationState.BOZZA,
        "created_by": user,
        "writer": user,
        "source": source,
    }
    if target_key == "opportunita":
        extra = {k: values[k] for k in ("riferimento_pgt", "atto_numero") if k in values}
        return opportunita_create(**common, tipo=values["tipo"], comune=feature.comuni[0], **extra)
    fundings = []
    if values.get("fonte") and values.get("importo_finanziato") is not None:
        fundings.append(
            FinanziamentoInput(
                fonte=values["fonte"],
                importo=values["importo_finanziato"],
                misura=values.get("misura", ""),
            )
        )
    names = ("anno_inizio", "anno_fine", "costo_totale", "soggetto_attuatore", "cup", "tipologia")
    extra = {k: values[k] for k in names if k in values}
    return intervento_create(
        **common,
        localizzazione=values["localizzazione"],
        comuni=feature.comuni,
        finanziamenti=fundings,
        **extra,
    )


def _require_state(record, *states: str) -> None:
    if record.publication_state not in states:
        raise UserInputError(
            WRONG_STATE.format(record=record, state=record.get_publication_state_display()),
            field="publication_state",
        )


def _save(record, reason: str) -> None:
    record._change_reason = reason
    record.save()


def _with_note(reason: str, note: str) -> str:
    note = (note or "").strip()
    return f"{reason}: {note}"[:100] if note else reason


def record_submit(*, record, user, link: str = "") -> None:
    """Operator: send a draft (or a record sent back) to the CMM for review; the reviewers
    are told by e-mail."""
    if not can_change(user, record):
        raise PermissionDenied(NOT_ALLOWED)
    _require_state(record, PublicationState.BOZZA, PublicationState.RINVIATO)
    record.publication_state = PublicationState.IN_REVISIONE
    _save(record, "Inviato in revisione")
    notify_submitted(record=record, by=user, link=link)


def record_publish(*, record, user, note: str = "", link: str = "") -> None:
    """Reviewer: publish a record under review; it reaches every public endpoint. The note,
    if any, is kept in the history and sent to the operator."""
    if not can_review(user):
        raise PermissionDenied(NOT_ALLOWED)
    _require_state(record, PublicationState.IN_REVISIONE)
    record.publication_state = PublicationState.PUBBLICATO
    record.review_comment = ""
    _save(record, _with_note("Pubblicato", note))
    notify_published(record=record, link=link, note=(note or "").strip())


def record_send_back(*, record, user, comment: str, link: str = "") -> None:
    """Reviewer: return a record under review to its Comune with a comment (e-mailed)."""
    if not can_review(user):
        raise PermissionDenied(NOT_ALLOWED)
    _require_state(record, PublicationState.IN_REVISIONE)
    comment = (comment or "").strip()
    if not comment:
        raise UserInputError(str(COMMENT_REQUIRED), field="review_comment")
    record.publication_state = PublicationState.RINVIATO
    record.review_comment = comment
    _save(record, "Rinviato al Comune")
    notify_sent_back(record=record, link=link)


def record_withdraw(
    *, record, user, on: datetime.date | None = None, note: str = "", link: str = ""
) -> None:
    """Reviewer: withdraw a record; it leaves the public map and stays in the history."""
    if not can_review(user):
        raise PermissionDenied(NOT_ALLOWED)
    if record.withdrawn_on:
        raise UserInputError(
            WRONG_STATE.format(record=record, state=_("ritirato")), field="withdrawn_on"
        )
    record.withdrawn_on = on or timezone.localdate()
    _save(record, _with_note("Ritirato", note))


def record_restore(*, record, user, history_id: int):
    """Reviewer: bring back the fields of an earlier version (a new version is recorded)."""
    if not can_review(user):
        raise PermissionDenied(NOT_ALLOWED)
    try:
        version = record.history.get(history_id=history_id)
    except record.history.model.DoesNotExist as exc:
        raise UserInputError(str(UNKNOWN_VERSION), field="history_id") from exc
    restored = version.instance
    restored._change_reason = f"Ripristinata la versione del {version.history_date:%d/%m/%Y %H:%M}"
    with transaction.atomic():
        restored.save()
        if not isinstance(restored, Opportunita):
            # The Comuni are not versioned: they are derived again from the restored geometry.
            intervento_comuni_refresh(intervento=restored)
    return restored


def record_mark_edited(*, record, user) -> None:
    """Before saving an operator's edit: check the right; a published record becomes a draft
    again (it leaves the public map until a reviewer publishes the new version)."""
    if not can_change(user, record):
        raise PermissionDenied(NOT_ALLOWED)
    if not can_review(user) and record.publication_state == PublicationState.PUBBLICATO:
        record.publication_state = PublicationState.BOZZA


GEOMETRY_INVALID_JSON = _("La geometria disegnata non è un GeoJSON valido.")


def geometry_from_geojson(text: str, *, target_key: str, user):
    """The geometry drawn in the browser, checked like an uploaded feature.

    Returns ``(geom, comuni, localizzazione)``; raises :class:`UserInputError` naming the
    problem (wrong type, invalid, outside the CMM or outside the operator's Comuni).
    """
    import shapely

    from contributi.importers.mapping import target
    from contributi.importers.report import FeatureReport, check_geometry, check_place

    try:
        shape = shapely.from_geojson(text)
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        raise UserInputError(str(GEOMETRY_INVALID_JSON), field="geom") from exc
    minx, miny, maxx, maxy = shape.bounds if not shape.is_empty else (0, 0, 0, 0)
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise UserInputError(str(GEOMETRY_INVALID_JSON), field="geom")
    spec = target(target_key)
    feature = FeatureReport(number=1)
    check_geometry(feature, shape, spec, make_valid=False)
    if feature.geom is not None:
        check_place(feature, spec, user)
    if feature.errors:
        raise UserInputError(" ".join(feature.errors), field="geom")
    return feature.geom, feature.comuni, feature.values["localizzazione"]


@transaction.atomic
def record_update(
    *,
    record,
    user,
    values: dict,
    geojson: str | None = None,
    finanziamenti: list[FinanziamentoInput] | None = None,
):
    """Save an edit of attributes and, optionally, geometry and (for an intervento) its
    funding rows, which then replace the old ones; checks both the record's current Comuni
    and the new ones against the user's rights."""
    record_mark_edited(record=record, user=user)
    changes = dict(values, publication_state=record.publication_state)
    is_opportunita = isinstance(record, Opportunita)
    comuni = None
    if geojson:
        geom, comuni, localizzazione = geometry_from_geojson(
            geojson, target_key="opportunita" if is_opportunita else "interventi", user=user
        )
        changes["geom"] = geom
        if not is_opportunita and record.localizzazione != "comunale":
            changes["localizzazione"] = localizzazione
    record._change_reason = "Modificato"
    try:
        if is_opportunita:
            if comuni:
                changes["comune"] = comuni[0]
            record = opportunita_update(opportunita=record, writer=user, **changes)
        else:
            record = intervento_update(
                intervento=record,
                comuni=comuni,
                finanziamenti=finanziamenti,
                writer=user,
                **changes,
            )
    except ValidationError as exc:
        fields = list(getattr(exc, "message_dict", {}) or [])
        raise UserInputError(" ".join(exc.messages), field=fields[0] if fields else None) from exc
    return record
