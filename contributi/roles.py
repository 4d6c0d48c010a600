"""The four roles of Remix as Django groups, created idempotently after every migrate.

Who writes in which Comune is :func:`rules.writers.may_write_in`.

- anonymous public: no group, reads published records only;
- ``Operatori comunali``: add/change interventions, fundings and opportunities — scoped to
  their Comuni by :mod:`contributi.permissions` (the group alone gives no Comune);
- ``Revisori CMM``: the same on every Comune, plus ``review_contributions`` (publish, send
  back, withdraw, restore a version);
- ``Amministratori``: every permission of the rigenerazione and contributi apps, plus users.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

__all__ = ["OPERATORI", "REVISORI", "AMMINISTRATORI", "roles_ensure"]

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
