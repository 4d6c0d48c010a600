"""A test admin site with the rigenerazione models behind :class:`ComuneScopedAdminMixin`,
so the admin's role boundaries are tested whatever rigenerazione/admin.py holds."""

from django.contrib import admin
from django.urls import path

from contributi.admin_mixins import ComuneScopedAdminMixin
from rigenerazione.models import Intervento, Opportunita

site = admin.AdminSite(name="contributi_test_admin")


class InterventoAdmin(ComuneScopedAdminMixin, admin.ModelAdmin):
    fields = ("title", "stato", "localizzazione", "geom", "comuni", "publication_state")


class OpportunitaAdmin(ComuneScopedAdminMixin, admin.ModelAdmin):
    fields = ("title", "tipo", "stato", "comune", "geom", "publication_state")


site.register(Intervento, InterventoAdmin)
site.register(Opportunita, OpportunitaAdmin)

urlpatterns = [path("admin/", site.urls)]
