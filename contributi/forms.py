"""Forms of the contribution pages: upload, mapping, review and record edit."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from contributi.importers import ALLOWED_SRIDS, ENCODINGS, TARGETS
from contributi.permissions import is_reviewer, operator_comuni_ids
from rigenerazione.models import Finanziamento, Intervento, Opportunita
from rigenerazione.services import FinanziamentoInput
from rules.publication import PublicationState
from territorio.models import Comune

__all__ = [
    "UploadForm",
    "DeskFilterForm",
    "SendBackForm",
    "InterventoEditForm",
    "OpportunitaEditForm",
    "edit_form_for",
    "funding_formset",
    "fundings_from",
]


class UploadForm(forms.Form):
    """The file and what the file cannot tell: its CRS or encoding when missing."""

    target = forms.ChoiceField(
        label=_("Che cosa contiene il file"),
        choices=[(key, spec.label) for key, spec in TARGETS.items()],
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("GeoJSON, shapefile compresso (.zip), GeoPackage (.gpkg), KML o KMZ."),
    )
    srid = forms.TypedChoiceField(
        label=_("Sistema di riferimento (solo se il file non lo dichiara)"),
        choices=[("", _("— dichiarato nel file —"))] + list(ALLOWED_SRIDS.items()),
        coerce=int,
        required=False,
        empty_value=None,
    )
    encoding = forms.ChoiceField(
        label=_("Codifica dei caratteri (solo shapefile senza .cpg)"),
        choices=[("", _("— dichiarata nel file —"))] + list(ENCODINGS.items()),
        required=False,
    )
    make_valid = forms.BooleanField(
        label=_("Correggi le geometrie non valide (make_valid), quando è sicuro"),
        required=False,
    )


class DeskFilterForm(forms.Form):
    """The desk's search and filters (GET); every field optional."""

    q = forms.CharField(label=_("Cerca (titolo o CUP)"), required=False, max_length=200)
    stato = forms.ChoiceField(
        label=_("Stato di pubblicazione"),
        choices=[("", _("— tutti —")), *PublicationState.choices],
        required=False,
    )
    comune = forms.ModelChoiceField(
        label=_("Comune"),
        queryset=Comune.objects.only("pk", "name").order_by("name"),
        required=False,
        empty_label=_("— tutti —"),
    )
    livello = forms.ChoiceField(
        label=_("Livello"),
        choices=[
            ("", _("— tutti —")),
            ("interventi", _("Interventi")),
            ("opportunita", _("Opportunità")),
        ],
        required=False,
    )
    dal = forms.DateField(
        label=_("Modificati dal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    autore = forms.ModelChoiceField(
        label=_("Autore"),
        queryset=User.objects.filter(is_active=True).order_by("username").only("pk", "username"),
        required=False,
        empty_label=_("— tutti —"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not is_reviewer(user):
            # An operator filters among their own Comuni and their colleagues only.
            ids = operator_comuni_ids(user)
            self.fields["comune"].queryset = self.fields["comune"].queryset.filter(pk__in=ids)
            self.fields["autore"].queryset = (
                self.fields["autore"].queryset.filter(operatore_comunale__comuni__in=ids).distinct()
            )


class SendBackForm(forms.Form):
    review_comment = forms.CharField(
        label=_("Nota per il Comune"), widget=forms.Textarea(attrs={"rows": 3})
    )


class _GeometryMixin(forms.Form):
    geojson = forms.CharField(
        label=_("Geometria (GeoJSON)"),
        widget=forms.HiddenInput(attrs={"id": "id_geojson"}),
        required=False,
    )


class InterventoEditForm(forms.ModelForm, _GeometryMixin):
    class Meta:
        model = Intervento
        fields = [
            "title",
            "description",
            "stato",
            "anno_inizio",
            "anno_fine",
            "costo_totale",
            "soggetto_attuatore",
            "cup",
            "tipologia",
        ]


class OpportunitaEditForm(forms.ModelForm, _GeometryMixin):
    class Meta:
        model = Opportunita
        fields = [
            "title",
            "description",
            "tipo",
            "stato",
            "riferimento_pgt",
            "atto_numero",
            "atto_data",
        ]


class FinanziamentoForm(forms.ModelForm):
    """One funding row of an intervento, edited beside its attributes."""

    class Meta:
        model = Finanziamento
        fields = ["fonte", "importo", "misura", "atto"]


FinanziamentoFormSet = forms.formset_factory(
    FinanziamentoForm, extra=1, can_delete=True, max_num=20, validate_max=True
)


def funding_formset(record, data=None) -> forms.BaseFormSet:
    """The funding rows of an intervento as a formset (prefix ``fin``), one empty row more."""
    initial = [
        {"fonte": f.fonte, "importo": f.importo, "misura": f.misura, "atto": f.atto}
        for f in record.finanziamenti.all()
    ]
    return FinanziamentoFormSet(data, initial=initial, prefix="fin")


def fundings_from(formset) -> list[FinanziamentoInput]:
    """The rows kept in a valid formset (blank and deleted rows left out)."""
    return [
        FinanziamentoInput(
            fonte=row["fonte"], importo=row["importo"], misura=row["misura"], atto=row["atto"]
        )
        for row in formset.cleaned_data
        if row and not row.get("DELETE") and row.get("fonte") and row.get("importo") is not None
    ]


def edit_form_for(record) -> type[forms.ModelForm]:
    return OpportunitaEditForm if isinstance(record, Opportunita) else InterventoEditForm
