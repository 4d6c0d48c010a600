"""Admin of the LUM and the services (GIS widgets from django.contrib.gis)."""

from django.contrib.gis import admin

from lum.models import Lum, Servizio


@admin.register(Lum)
class LumAdmin(admin.GISModelAdmin):
    list_display = ("name", "comune", "rank", "stato", "radius_m", "publication_state")
    list_filter = ("rank", "stato", "publication_state")
    search_fields = ("name", "code")
    readonly_fields = ("code", "comune", "stations")


@admin.register(Servizio)
class ServizioAdmin(admin.GISModelAdmin):
    list_display = ("name", "categoria", "tipologia", "studenti", "comune", "is_sample")
    list_filter = ("categoria", "is_sample", "publication_state")
    search_fields = ("name", "code")
    readonly_fields = ("comune", "istat_code_fonte")
