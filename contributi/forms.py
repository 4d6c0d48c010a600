"""Forms of the contribution pages: upload, mapping, review and record edit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contributi.importers import ALLOWED_SRIDS, ENCODINGS, TARGETS
from rigenerazione.models import Intervento, Opportunita

__all__ = [
    "UploadForm",
    "SendBackForm",
    "InterventoEditForm",
    "OpportunitaEditForm",
    "edit_form_for",
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


def edit_form_for(record) -> type[forms.ModelForm]:
    return OpportunitaEditForm if isinstance(record, Opportunita) else InterventoEditForm
