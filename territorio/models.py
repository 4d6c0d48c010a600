"""The territorial base of the Città metropolitana di Milano: Zone omogenee and Comuni.

Boundaries come from ISTAT (via openpolis) and are loaded by ``manage.py load_territorio``.
A Zona omogenea's boundary and a Comune's area are derived values: they are computed in
PostGIS by :mod:`territorio.sql` (called from :mod:`territorio.services`), never typed in.

The tables keep the names they had when these models lived in the ``layers`` app
(``layers_comune``, ``layers_zonaomogenea``): the move to this app changed no data
(migration ``territorio/0001``).
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.srid import STORAGE_SRID

__all__ = ["MILANO_ISTAT_CODE", "ZonaOmogenea", "Comune", "MembershipVerification", "RuoloPTM"]

# The Comune di Milano: the PTM's Città centrale (and no LUM may lie in it).
MILANO_ISTAT_CODE = "015146"


class MembershipVerification(models.TextChoices):
    """How the membership of a Zona omogenea was checked against public sources."""

    PUBLISHED_LIST = "published_list", _("Elenco pubblicato")
    COUNT_AND_AREA_CHECK = "count_and_area_check", _("Verificata su numero e superficie")
    OFFICIAL = "official", _("Atto ufficiale")
    BY_DEFINITION = "by_definition", _("Per definizione")


class RuoloPTM(models.TextChoices):
    """The role of a Comune in the PTM's polycentric structure."""

    CITTA_CENTRALE = "citta_centrale", _("Città centrale")
    POLO_ATTRATTORE = "polo_attrattore", _("Polo urbano attrattore")
    ALTRO = "altro", _("Altro Comune")


class ZonaOmogenea(models.Model):
    """One of the 7 Zone omogenee of the CMM, or the Comune di Milano on its own."""

    name = models.CharField(_("nome"), max_length=80, unique=True)
    slug = models.SlugField(_("codice"), max_length=80, unique=True)
    verification = models.CharField(
        _("verifica della composizione"),
        max_length=32,
        choices=MembershipVerification.choices,
        help_text=_("Come è stata verificata l'appartenenza dei Comuni alla Zona."),
    )
    source = models.TextField(_("fonte"), blank=True)
    geom = models.MultiPolygonField(
        _("confine"),
        srid=STORAGE_SRID,
        null=True,
        blank=True,
        help_text=_("Unione dei confini dei suoi Comuni, calcolata."),
    )
    area_m2 = models.FloatField(_("superficie (m²)"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        db_table = "layers_zonaomogenea"
        verbose_name = _("Zona omogenea")
        verbose_name_plural = _("Zone omogenee")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified_officially(self) -> bool:
        return self.verification in (
            MembershipVerification.OFFICIAL,
            MembershipVerification.PUBLISHED_LIST,
            MembershipVerification.BY_DEFINITION,
        )


class Comune(models.Model):
    """A Comune of the CMM, identified by its ISTAT code."""

    istat_code = models.CharField(_("codice ISTAT"), max_length=6, unique=True)
    name = models.CharField(_("nome"), max_length=120, db_index=True)
    cadastral_code = models.CharField(_("codice catastale"), max_length=4, blank=True)
    zona_omogenea = models.ForeignKey(
        ZonaOmogenea,
        verbose_name=_("Zona omogenea"),
        related_name="comuni",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    ruolo_ptm = models.CharField(
        _("ruolo nel PTM"), max_length=20, choices=RuoloPTM.choices, default=RuoloPTM.ALTRO
    )
    ruolo_ptm_source = models.TextField(_("fonte del ruolo nel PTM"), blank=True)
    geom = models.MultiPolygonField(_("confine"), srid=STORAGE_SRID)
    area_m2 = models.FloatField(_("superficie (m²)"), editable=False, default=0)
    source = models.TextField(_("fonte"), blank=True)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        db_table = "layers_comune"
        verbose_name = _("Comune")
        verbose_name_plural = _("Comuni")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def area_km2(self) -> float:
        return round(self.area_m2 / 1_000_000, 2)
