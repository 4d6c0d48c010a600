"""Admin for the territorial base, with a Leaflet map widget."""

from django.contrib import admin
from django.db.models import Count
from leaflet.admin import LeafletGeoAdmin

from territorio.models import Comune, ZonaOmogenea


@admin.register(ZonaOmogenea)
class ZonaOmogeneaAdmin(LeafletGeoAdmin):
    list_display = ("name", "verification", "area_km2", "n_comuni")
    list_filter = ("verification",)
    search_fields = ("name",)
    readonly_fields = ("geom", "area_m2", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comuni_count=Count("comuni"))

    @admin.display(description="Comuni", ordering="comuni_count")
    def n_comuni(self, obj: ZonaOmogenea) -> int:
        return obj.comuni_count

    @admin.display(description="km²")
    def area_km2(self, obj: ZonaOmogenea) -> float | None:
        return round(obj.area_m2 / 1e6, 2) if obj.area_m2 else None


@admin.register(Comune)
class ComuneAdmin(LeafletGeoAdmin):
    list_display = ("name", "istat_code", "zona_omogenea", "ruolo_ptm", "area_km2")
    list_filter = ("zona_omogenea", "ruolo_ptm")
    search_fields = ("name", "istat_code", "cadastral_code")
    readonly_fields = ("area_m2", "updated_at")
    list_select_related = ("zona_omogenea",)
