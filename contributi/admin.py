"""Admin of the operators: which user writes for which Comuni."""

from django.contrib import admin

from contributi.models import OperatoreComunale


@admin.register(OperatoreComunale)
class OperatoreComunaleAdmin(admin.ModelAdmin):
    list_display = ("user", "ente")
    search_fields = ("user__username", "user__email", "ente", "comuni__name")
    autocomplete_fields = ("user",)
    filter_horizontal = ("comuni",)
