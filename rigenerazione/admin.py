"""Admin of interventions and opportunities for CMM operators: map widgets, filters, history.

The classes are small and composable: ``InterventoAdmin`` and ``OpportunitaAdmin`` can be
subclassed (or preceded by a mixin) and re-registered. The ``contributi`` app, which stands
above this one, does so with its per-Comune permission mixin (``contributi/admin.py``): this
module never imports it. Derived values (surface,
funding shares, Comuni found from the geometry) are shown read-only, never typed in.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from rigenerazione.models import (
    STTM,
    AmbitoRicaduta,
    Finanziamento,
    FonteFinanziamento,
    Intervento,
    Opportunita,
)
from rigenerazione.services import intervento_comuni_refresh
from territorio.models import ZonaOmogenea

__all__ = [
    "InterventoAdminForm",
    "FinanziamentoInlineFormSet",
    "FinanziamentoInline",
    "ZonaFilter",
    "FonteFilter",
    "InterventoAdmin",
    "OpportunitaAdmin",
]


class InterventoAdminForm(forms.ModelForm):
    """Impact domains and STTM as check boxes rather than comma-separated codes."""

    ambiti_ricaduta = forms.TypedMultipleChoiceField(
        label=_("ambiti di ricaduta"),
        choices=AmbitoRicaduta.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sttm = forms.TypedMultipleChoiceField(
        label=_("rilevanza per le STTM"),
        choices=STTM.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Intervento
        fields = ("ambiti_ricaduta", "sttm")  # the admin adds the fieldsets' fields


class FinanziamentoInlineFormSet(forms.BaseInlineFormSet):
    """Checks the funding rows, as edited, against the total cost, as edited."""

    def clean(self) -> None:
        super().clean()
        amounts = [
            form.cleaned_data["importo"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("importo") is not None
        ]
        try:
            self.instance.validate_funding(amounts)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class FinanziamentoInline(admin.TabularInline):
    model = Finanziamento
    formset = FinanziamentoInlineFormSet
    extra = 1
    fields = ("fonte", "misura", "importo", "quota_percent", "atto")
    readonly_fields = ("quota_percent",)

    @admin.display(description=_("quota del costo"))
    def quota_percent(self, obj: Finanziamento) -> str:
        quota = obj.quota if obj.pk else None
        return "—" if quota is None else f"{quota * 100:.1f} %"


class ZonaFilter(admin.SimpleListFilter):
    """Records by Zona omogenea (of any of their Comuni)."""

    title = _("Zona omogenea")
    parameter_name = "zona"
    comune_path = "comuni__zona_omogenea__slug"

    def lookups(self, request, model_admin):
        return list(ZonaOmogenea.objects.values_list("slug", "name"))

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        if queryset.model is Intervento:
            through = Intervento.comuni.through.objects.filter(
                intervento_id=OuterRef("pk"), comune__zona_omogenea__slug=self.value()
            )
            return queryset.filter(Exists(through))
        return queryset.filter(comune__zona_omogenea__slug=self.value())


class FonteFilter(admin.SimpleListFilter):
    """Interventi funded by a source."""

    title = _("fonte di finanziamento")
    parameter_name = "fonte"

    def lookups(self, request, model_admin):
        return FonteFinanziamento.choices

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        rows = Finanziamento.objects.filter(intervento_id=OuterRef("pk"), fonte=self.value())
        return queryset.filter(Exists(rows))


PUBLICATION_FIELDSET = (
    _("Pubblicazione e fonte"),
    {
        "fields": (
            "publication_state",
            "review_comment",
            "withdrawn_on",
            "is_sample",
            "source",
            "source_url",
            "licence",
            "data_updated_on",
            "external_id",
            "created_by",
            "created_at",
            "updated_at",
        )
    },
)
READONLY_PUBLICATION = ("external_id", "created_by", "created_at", "updated_at")


@admin.register(Intervento)
class InterventoAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    form = InterventoAdminForm
    list_display = (
        "title",
        "stato",
        "localizzazione",
        "comuni_names",
        "anno_inizio",
        "anno_fine",
        "costo_totale",
        "funding_total_display",
        "publication_state",
        "is_sample",
    )
    list_filter = (
        "publication_state",
        "stato",
        ZonaFilter,
        FonteFilter,
        "localizzazione",
        "is_sample",
        "anno_inizio",
    )
    search_fields = ("title", "description", "cup", "soggetto_attuatore", "comuni__name")
    # The Comuni are derived from the geometry, never chosen (a tag that disagreed with the
    # geometry would hide the record from the Comune it lies in).
    readonly_fields = ("comuni_names", "funding_total_display", *READONLY_PUBLICATION)
    inlines = (FinanziamentoInline,)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("title", "description", "stato", "tipologia", "cup")}),
        (_("Localizzazione"), {"fields": ("geom", "localizzazione", "comuni_names")}),
        (
            _("Tempi e costi"),
            {
                "fields": (
                    "anno_inizio",
                    "anno_fine",
                    "costo_totale",
                    "funding_total_display",
                    "soggetto_attuatore",
                )
            },
        ),
        (_("Ricadute"), {"fields": ("ambiti_ricaduta", "sttm", "links")}),
        PUBLICATION_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("comuni", "finanziamenti")

    @admin.display(description=_("Comuni"))
    def comuni_names(self, obj: Intervento) -> str:
        return ", ".join(c.name for c in obj.comuni.all())

    @admin.display(description=_("finanziato (€)"))
    def funding_total_display(self, obj: Intervento) -> Decimal | str:
        return obj.funding_total() if obj.pk else "—"

    def save_model(self, request, obj: Intervento, form, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        """Save the funding and derive the Comuni from the geometry."""
        super().save_related(request, form, formsets, change)
        intervento_comuni_refresh(intervento=form.instance)


@admin.register(Opportunita)
class OpportunitaAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "tipo",
        "comune",
        "superficie_ha",
        "stato",
        "publication_state",
        "is_sample",
    )
    list_filter = ("publication_state", "tipo", "stato", ZonaFilter, "is_sample")
    search_fields = ("title", "description", "riferimento_pgt", "comune__name")
    list_select_related = ("comune",)
    # The Comune is the one holding most of the perimeter (Opportunita.clean), never chosen.
    readonly_fields = ("comune", "superficie_m2", "superficie_ha", *READONLY_PUBLICATION)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("title", "description", "tipo", "stato", "destinazioni_uso")}),
        (_("Perimetro"), {"fields": ("geom", "comune", "superficie_m2", "superficie_ha")}),
        (_("Atto"), {"fields": ("atto_numero", "atto_data", "riferimento_pgt")}),
        PUBLICATION_FIELDSET,
    )

    @admin.display(description=_("superficie (ha)"), ordering="superficie_m2")
    def superficie_ha(self, obj: Opportunita) -> float:
        return obj.superficie_ha

    def save_model(self, request, obj: Opportunita, form, change: bool) -> None:
        """Record the author (the Comune of a moved perimeter is derived by its clean())."""
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
