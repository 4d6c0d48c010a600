"""The four roles of Remix as Django groups (created idempotently after every migrate) and
the one rule of who writes in which Comune (:func:`may_write_in`).

- anonymous public: no group, reads published records only;
- ``Operatori comunali``: add/change interventions, fundings and opportunities — scoped to
  their Comuni by :mod:`contributi.permissions` (the group alone gives no Comune);
- ``Revisori CMM``: the same on every Comune, plus ``review_contributions`` (publish, send
  back, withdraw, restore a version);
- ``Amministratori``: every permission of the rigenerazione and contributi apps, plus users.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from layers.models import Comune

__all__ = [
    "OPERATORI",
    "REVISORI",
    "AMMINISTRATORI",
    "REVIEW_PERMISSION",
    "roles_ensure",
    "is_reviewer",
    "operator_comuni_ids",
    "may_write_in",
]

REVIEW_PERMISSION = "contributi.review_contributions"

OPERATORI = "Operatori comunali"
REVISORI = "Revisori CMM"
AMMINISTRATORI = "Amministratori"

_CONTRIBUTED = ("intervento", "finanziamento", "opportunita")
_OPERATOR_CODENAMES = [f"{a}_{m}" for m in _CONTRIBUTED for a in ("add", "change", "view")]
_REVIEWER_CODENAMES = [
    *_OPERATOR_CODENAMES,
    *(f"view_historical{m}" for m in _CONTRIBUTED),
    "review_contributions",
    "view_operatorecomunale",
]


def _permissions(codenames: list[str]) -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label__in=("rigenerazione", "contributi"), codename__in=codenames
        )
    )


def roles_ensure() -> dict[str, Group]:
    """Create or update the three groups with their permissions; return them by name."""
    groups = {}
    wanted = {
        OPERATORI: _permissions(_OPERATOR_CODENAMES),
        REVISORI: _permissions(_REVIEWER_CODENAMES),
        AMMINISTRATORI: list(
            Permission.objects.filter(
                Q(content_type__app_label__in=("rigenerazione", "contributi", "authtoken"))
                | Q(content_type__app_label="auth")
            )
        ),
    }
    for name, permissions in wanted.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        groups[name] = group
    return groups


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
    """THE rule of who writes where: a reviewer or administrator anywhere; a municipality
    operator only when every one of ``comuni_ids`` is theirs; anybody else nowhere.

    Low in the dependency graph (it knows users and Comuni only), so the models' validation
    (:mod:`rigenerazione.models`), the services, the admin, the API and the pages all ask it.
    """
    wanted = set(comuni_ids)
    if is_reviewer(user):
        return True
    return bool(wanted) and wanted <= operator_comuni_ids(user)
