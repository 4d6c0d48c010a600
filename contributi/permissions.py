"""The one answer to "may this user create or change this record, in this Comune?".

Used by the pages (:mod:`contributi.views`), the API (the DRF classes below) and the admin
(:class:`contributi.admin_mixins.ComuneScopedAdminMixin`), so the three cannot disagree.

Rules:
- anonymous users and users without a role write nothing;
- an administrator (superuser) and a CMM reviewer (``contributi.review_contributions``) write
  every record and may review;
- a municipality operator writes only records all of whose Comuni are theirs, and not while a
  record is under review (it is locked until the reviewer decides).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model, QuerySet
from rest_framework.permissions import SAFE_METHODS, BasePermission

from rigenerazione.models import Intervento, Opportunita
from rules.publication import PublicationState
from rules.writers import REVIEW_PERMISSION, is_reviewer, may_write_in, operator_comuni_ids
from territorio.models import Comune

__all__ = [
    "REVIEW_PERMISSION",
    "is_reviewer",
    "is_operator",
    "operator_comuni_ids",
    "record_comuni_ids",
    "can_contribute",
    "can_create_in",
    "can_change",
    "can_review",
    "editable_records",
    "IsContributor",
    "IsReviewer",
    "CanChangeRecord",
]


def is_operator(user) -> bool:
    return bool(operator_comuni_ids(user))


def can_contribute(user) -> bool:
    """May this user open the contribution pages at all?"""
    return is_reviewer(user) or is_operator(user)


def record_comuni_ids(record: Model) -> set[int]:
    """The Comuni of a record: an intervento's ``comuni``, an opportunità's ``comune``."""
    if isinstance(record, Opportunita):
        return {record.comune_id} if record.comune_id else set()
    if isinstance(record, Intervento):
        return set(record.comuni.values_list("pk", flat=True)) if record.pk else set()
    raise TypeError(f"not a contributed record: {type(record).__name__}")


def can_create_in(user, comuni_ids: Iterable[int]) -> bool:
    """May this user create a record located in all these Comuni? (:func:`may_write_in`)"""
    return may_write_in(user, comuni_ids)


def can_change(user, record: Model) -> bool:
    """May this user change this record (attributes, geometry, submit for review)?"""
    if is_reviewer(user):
        return True
    if record.publication_state == PublicationState.IN_REVISIONE:
        return False
    return can_create_in(user, record_comuni_ids(record))


def can_review(user) -> bool:
    """May this user publish, send back, withdraw and restore records?"""
    return is_reviewer(user)


def editable_records(user, queryset: QuerySet) -> QuerySet:
    """The part of ``queryset`` (interventi or opportunità) this user may see to edit."""
    if is_reviewer(user):
        return queryset
    comuni = operator_comuni_ids(user)
    if not comuni:
        return queryset.none()
    if queryset.model is Opportunita:
        return queryset.filter(comune__in=comuni)
    # An intervento belongs to the operator when none of its Comuni is someone else's.
    return queryset.filter(comuni__in=comuni).exclude(comuni__in=_others(comuni)).distinct()


def _others(comuni: set[int]) -> QuerySet:
    return Comune.objects.exclude(pk__in=comuni).values("pk")


class IsContributor(BasePermission):
    """DRF: authenticated operators and reviewers; everyone else is refused, reads included."""

    message = "Serve un account di operatore comunale o di revisore CMM."

    def has_permission(self, request, view) -> bool:
        return can_contribute(request.user)


class IsReviewer(BasePermission):
    message = "Solo un revisore della Città metropolitana può farlo."

    def has_permission(self, request, view) -> bool:
        return is_reviewer(request.user)


class CanChangeRecord(BasePermission):
    """DRF object permission: read for contributors, write only within the user's Comuni."""

    message = "Puoi modificare solo i record dei tuoi Comuni (e non mentre sono in revisione)."

    def has_permission(self, request, view) -> bool:
        return can_contribute(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return can_change(request.user, obj)
