"""Admin of the operators (which user writes for which Comuni), and the permission rules of
contributions applied to the admin of interventi and opportunità.

``rigenerazione`` registers its plain ModelAdmins; this app, which stands above it, replaces
them with the same classes preceded by :class:`~contributi.admin_mixins.ComuneScopedAdminMixin`
(an operator sees and changes only their Comuni's records).
"""

from django.contrib import admin

from contributi.admin_mixins import ComuneScopedAdminMixin
from contributi.models import OperatoreComunale
from rigenerazione.admin import InterventoAdmin, OpportunitaAdmin
from rigenerazione.models import Intervento, Opportunita

__all__ = ["OperatoreComunaleAdmin", "ScopedInterventoAdmin", "ScopedOpportunitaAdmin"]


class ScopedInterventoAdmin(ComuneScopedAdminMixin, InterventoAdmin):
    """The interventi admin under the contributions' permission rules."""


class ScopedOpportunitaAdmin(ComuneScopedAdminMixin, OpportunitaAdmin):
    """The opportunità admin under the contributions' permission rules."""


for model, model_admin in (
    (Intervento, ScopedInterventoAdmin),
    (Opportunita, ScopedOpportunitaAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)


@admin.register(OperatoreComunale)
class OperatoreComunaleAdmin(admin.ModelAdmin):
    list_display = ("user", "ente")
    search_fields = ("user__username", "user__email", "ente", "comuni__name")
    autocomplete_fields = ("user",)
    filter_horizontal = ("comuni",)
