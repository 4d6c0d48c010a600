"""The two dynamic mappings of PTM art. 13: interventions (realizzazioni) and opportunities.

Geometry model: every record has exactly one ``geom`` column in the storage SRID. For
interventions it is a *multi* geometry of any kind (MultiPolygon, MultiLineString or
MultiPoint), constrained in the database; a single column keeps bbox queries, the OGC API and
vector tiles one simple query each. ``localizzazione`` says what the geometry means: a drawn
area, line or point, or — for records known only at Comune level, such as the PNRR
applications — the boundary of their Comune(i), flagged ``comunale`` and never presented as
a project perimeter.

Derived values (surfaces, funding shares, the Comune of a geometry) are computed in PostGIS
(:mod:`rules.spatial`, :mod:`rigenerazione.sql`) and kept by :mod:`rigenerazione.services`,
never typed in. The rules shared with other apps (publication states, geometry kinds, inside
the CMM) are in :mod:`rules`; the funding rules in :mod:`rigenerazione.rules`.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layers.srid import STORAGE_SRID
from rigenerazione.rules import funding_errors
from rules.geometry import (
    ANY_MULTI,
    ERROR_NO_COMUNE,
    POLYGONAL,
    as_multi,
    geometry_errors,
    record_label,
)
from rules.publication import Publishable
from rules.spatial import area_m2, comuni_ids_of_geometry, main_comune_id_of_geometry
from rules.writers import ERROR_COMUNE_NOT_OF_GEOMETRY, comuni_names, writer_errors
from territorio.models import Comune

__all__ = [
    "StatoIntervento",
    "AmbitoRicaduta",
    "Localizzazione",
    "Intervento",
    "FonteFinanziamento",
    "Finanziamento",
    "TipoOpportunita",
    "StatoOpportunita",
    "Opportunita",
    "CUP_REGEX",
]

# Codice Unico di Progetto: 15 characters, e.g. C47H21001030001.
CUP_REGEX = r"^[A-Z][0-9]{2}[A-Z][0-9]{11}$"
cup_validator = RegexValidator(
    CUP_REGEX,
    _("Il CUP deve avere 15 caratteri: lettera, 2 cifre, lettera, 11 cifre (es. C47H21001030001)."),
    code="invalid_cup",
)


class StatoIntervento(models.TextChoices):
    PROGRAMMATO = "programmato", _("Programmato")
    IN_CORSO = "in_corso", _("In corso")
    CONCLUSO = "concluso", _("Concluso")


class AmbitoRicaduta(models.TextChoices):
    SOCIALE = "sociale", _("Sociale")
    AMBIENTALE = "ambientale", _("Ambientale")
    RICREATIVO = "ricreativo", _("Ricreativo")
    CULTURALE = "culturale", _("Culturale")
    ABITATIVO = "abitativo", _("Abitativo")
    MOBILITA = "mobilita", _("Mobilità")
    ECONOMICO = "economico", _("Economico")


class STTM(models.IntegerChoices):
    """Strategie tematico-territoriali metropolitane of the PTM."""

    STTM1 = 1, _("STTM 1")
    STTM2 = 2, _("STTM 2")
    STTM3 = 3, _("STTM 3")


class Localizzazione(models.TextChoices):
    AREA = "area", _("Area")
    LINEA = "linea", _("Tracciato")
    PUNTO = "punto", _("Punto")
    COMUNALE = "comunale", _("Localizzazione comunale")


class Intervento(Publishable):
    """A regeneration project carried out or under way (realizzazione)."""

    title = models.CharField(_("titolo"), max_length=300)
    description = models.TextField(_("descrizione"), blank=True)
    comuni = models.ManyToManyField(
        Comune,
        verbose_name=_("Comuni"),
        related_name="interventi",
        blank=True,
        help_text=_("Lasciare vuoto per ricavarli dalla geometria."),
    )
    geom = models.GeometryField(
        _("geometria"),
        srid=STORAGE_SRID,
        help_text=_("MultiPolygon, MultiLineString o MultiPoint."),
    )
    localizzazione = models.CharField(
        _("localizzazione"),
        max_length=10,
        choices=Localizzazione.choices,
        blank=True,
        help_text=_("Lasciare vuoto per ricavarla dal tipo di geometria."),
    )
    stato = models.CharField(
        _("stato"), max_length=12, choices=StatoIntervento.choices, db_index=True
    )
    anno_inizio = models.PositiveSmallIntegerField(_("anno di inizio"), null=True, blank=True)
    anno_fine = models.PositiveSmallIntegerField(_("anno di fine"), null=True, blank=True)
    costo_totale = models.DecimalField(
        _("costo totale (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    soggetto_attuatore = models.CharField(_("soggetto attuatore"), max_length=200, blank=True)
    cup = models.CharField(
        _("CUP"),
        max_length=15,
        unique=True,
        null=True,
        blank=True,
        validators=[cup_validator],
        help_text=_("Codice Unico di Progetto, 15 caratteri."),
    )
    tipologia = models.CharField(
        _("tipologia"),
        max_length=120,
        blank=True,
        help_text=_("Per il PNRR M5C2 I2.1: A, B o C (art. 3 c.1 DPCM 21/01/2021)."),
    )
    ambiti_ricaduta = ArrayField(
        models.CharField(max_length=12, choices=AmbitoRicaduta.choices),
        verbose_name=_("ambiti di ricaduta"),
        default=list,
        blank=True,
    )
    sttm = ArrayField(
        models.PositiveSmallIntegerField(choices=STTM.choices),
        verbose_name=_("rilevanza per le STTM"),
        default=list,
        blank=True,
    )
    links = models.JSONField(
        _("link e documenti"),
        default=list,
        blank=True,
        help_text=_('Elenco di {"titolo": ..., "url": ...}.'),
    )

    history = HistoricalRecords()

    # The user saving a change (not stored): set by the services and the admin, checked by
    # clean() against the Comuni of the geometry (rules.writers.may_write_in).
    writer = None

    class Meta:
        verbose_name = _("Intervento")
        verbose_name_plural = _("Interventi")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anno_fine__isnull=True)
                | models.Q(anno_inizio__isnull=True)
                | models.Q(anno_fine__gte=models.F("anno_inizio")),
                name="intervento_anni_ordinati",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Geometry multi, valid and inside the CMM; localizzazione from its kind; the writer
        (:func:`rules.writers.acting_writer`) allowed in the geometry's Comuni."""
        super().clean()
        record = record_label(str(_("Intervento")), self.title)
        if self.geom is not None:
            self.geom = as_multi(self.geom)
            if self.geom.srid is None:
                self.geom.srid = STORAGE_SRID
        errors = geometry_errors(self.geom, record=record, allowed=INTERVENTO_GEOMETRIES)
        if errors:
            raise ValidationError({"geom": errors})
        if self.geom is None:
            return
        if not self.localizzazione:
            self.localizzazione = LOCALIZZAZIONE_OF_GEOMETRY[self.geom.geom_type]
        errors = writer_errors(record, self, comuni_ids_of_geometry(self.geom))
        if errors:
            raise ValidationError({"geom": errors})

    def validate_funding(self, amounts: list[Decimal] | None = None) -> None:
        """Raise ValidationError when funding exceeds the total cost.

        ``amounts`` are the rows about to be saved (an admin formset, a service); by default
        the stored rows. Not part of :meth:`clean`, because the rows and the cost are edited
        together (admin inline, services) and must be checked together.
        """
        if amounts is None:
            amounts = list(self.finanziamenti.values_list("importo", flat=True)) if self.pk else []
        funding_errors(record_label(str(_("Intervento")), self.title), amounts, self.costo_totale)

    def funding_total(self) -> Decimal:
        """Sum of the funding rows (from the prefetch cache when there is one)."""
        return sum((f.importo for f in self.finanziamenti.all()), Decimal("0"))


INTERVENTO_GEOMETRIES = ANY_MULTI
LOCALIZZAZIONE_OF_GEOMETRY = {
    "MultiPolygon": Localizzazione.AREA,
    "MultiLineString": Localizzazione.LINEA,
    "MultiPoint": Localizzazione.PUNTO,
}


class FonteFinanziamento(models.TextChoices):
    PNRR = "pnrr", _("PNRR")
    BANDO_PERIFERIE = "bando_periferie", _("Bando Periferie")
    PINQUA = "pinqua", _("PINQuA")
    FORESTAMI = "forestami", _("Forestami")
    FONDI_UE = "fondi_ue", _("Fondi strutturali UE")
    REGIONALE = "regionale", _("Regionale")
    COMUNALE = "comunale", _("Comunale")
    PRIVATO = "privato", _("Privato")
    ALTRO = "altro", _("Altro")


class Finanziamento(models.Model):
    """One funding source of an intervento, with its amount."""

    intervento = models.ForeignKey(
        Intervento,
        verbose_name=_("intervento"),
        related_name="finanziamenti",
        on_delete=models.CASCADE,
    )
    fonte = models.CharField(
        _("fonte"), max_length=20, choices=FonteFinanziamento.choices, db_index=True
    )
    misura = models.CharField(
        _("misura / linea"),
        max_length=120,
        blank=True,
        help_text=_("Es. per il PNRR: missione, componente, investimento (M5C2 I2.1)."),
    )
    importo = models.DecimalField(
        _("importo (€)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    atto = models.CharField(_("atto di assegnazione"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Finanziamento")
        verbose_name_plural = _("Finanziamenti")
        ordering = ["intervento_id", "-importo"]

    def __str__(self) -> str:
        return f"{self.get_fonte_display()}: {self.importo} €"

    @property
    def quota(self) -> float | None:
        """Share of the intervento's total cost (0–1), derived; None without a cost."""
        cost = self.intervento.costo_totale
        if not cost:
            return None
        return round(float(self.importo / cost), 4)


class TipoOpportunita(models.TextChoices):
    INCUBATORE_REMIX = "incubatore_remix", _("Area dell'incubatore metropolitano Re.mix")
    AMBITO_TRASFORMAZIONE = "ambito_trasformazione", _("Ambito di trasformazione (PGT)")
    AMBITO_RIGENERAZIONE = (
        "ambito_rigenerazione",
        _("Ambito della rigenerazione (LR 12/2005 art. 8bis)"),
    )
    AREA_DISMESSA = "area_dismessa", _("Area dismessa o sottoutilizzata")


class StatoOpportunita(models.TextChoices):
    DISPONIBILE = "disponibile", _("Disponibile")
    IN_ATTUAZIONE = "in_attuazione", _("In attuazione")
    ATTUATA = "attuata", _("Attuata")


class Opportunita(Publishable):
    """An area where regeneration can be started (opportunità)."""

    title = models.CharField(_("denominazione"), max_length=300)
    description = models.TextField(_("descrizione"), blank=True)
    tipo = models.CharField(
        _("tipo"), max_length=24, choices=TipoOpportunita.choices, db_index=True
    )
    comune = models.ForeignKey(
        Comune,
        verbose_name=_("Comune"),
        related_name="opportunita",
        on_delete=models.PROTECT,
        blank=True,
        help_text=_("Lasciare vuoto per ricavarlo dalla geometria."),
    )
    geom = models.MultiPolygonField(_("perimetro"), srid=STORAGE_SRID)
    superficie_m2 = models.FloatField(_("superficie (m²)"), editable=False, default=0)
    destinazioni_uso = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("destinazioni d'uso previste"),
        default=list,
        blank=True,
    )
    stato = models.CharField(
        _("stato"), max_length=14, choices=StatoOpportunita.choices, db_index=True
    )
    atto_numero = models.CharField(_("numero dell'atto"), max_length=60, blank=True)
    atto_data = models.DateField(_("data dell'atto"), null=True, blank=True)
    riferimento_pgt = models.CharField(_("riferimento PGT"), max_length=200, blank=True)

    history = HistoricalRecords()

    writer = None  # as Intervento.writer

    class Meta:
        verbose_name = _("Opportunità")
        verbose_name_plural = _("Opportunità")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """Store the perimeter as multi with its surface, computed in PostGIS (metric CRS)
        before the row is written, so the history row of this save holds the right surface."""
        if self.geom is not None:
            self.geom = as_multi(self.geom)
            self.superficie_m2 = area_m2(self.geom)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Perimeter multi, valid and inside the CMM; its Comune is the one holding most of
        it (found spatially when not given, refused when another is given); the writer's."""
        super().clean()
        record = record_label(str(_("Opportunità")), self.title)
        if self.geom is not None:
            self.geom = as_multi(self.geom)
            if self.geom.srid is None:
                self.geom.srid = STORAGE_SRID
        errors = geometry_errors(self.geom, record=record, allowed=POLYGONAL)
        if errors:
            raise ValidationError({"geom": errors})
        if self.geom is None:
            return
        main = main_comune_id_of_geometry(self.geom)
        if main is None:
            raise ValidationError({"comune": ERROR_NO_COMUNE.format(record=record)})
        if self.comune_id is None:
            self.comune_id = main
        elif self.comune_id != main:
            chosen, actual = comuni_names([self.comune_id]), comuni_names([main])
            message = ERROR_COMUNE_NOT_OF_GEOMETRY.format(
                record=record, chosen=chosen, actual=actual
            )
            raise ValidationError({"comune": message})
        errors = writer_errors(record, self, [main])
        if errors:
            raise ValidationError({"geom": errors})

    @property
    def superficie_ha(self) -> float:
        return round(self.superficie_m2 / 10_000, 2)
