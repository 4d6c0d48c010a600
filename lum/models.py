"""Luoghi Urbani per la Mobilità (LUM) and services of supra-municipal rank (PTM, STTM 2).

A LUM is a metropolitan or supra-municipal public-transport stop outside the Comune di Milano,
where the PTM wants services of supra-municipal rank to go. Its catchment is a circle of
``radius_m`` metres (``settings.REMIX_LUM_RADIUS_M`` when the LUM has no radius of its own),
computed in the metric CRS by :mod:`lum.queries`, never stored: changing the setting changes
every analysis at once.

The Comune of a LUM or of a Servizio is derived from its geometry in :meth:`clean` (by
:func:`rules.spatial.main_comune_id_of_geometry`, the one rule for every record), never typed
in; the loaders of :mod:`lum.services` find it for many points at once with
:func:`rules.spatial.comune_ids_of_points`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from layers.srid import STORAGE_SRID
from rules.geometry import POLYGONAL, as_multi
from rules.publication import Publishable
from rules.spatial import main_comune_id_of_geometry
from territorio.models import MILANO_ISTAT_CODE, Comune

__all__ = [
    "ERROR_OUTSIDE_CMM",
    "ERROR_LUM_IN_MILANO",
    "ERROR_SERVIZIO_GEOMETRY",
    "ERROR_UNKNOWN_ATTRIBUTE",
    "ERROR_BAD_SIZE",
    "ModoTrasporto",
    "RangoLum",
    "StatoLum",
    "Lum",
    "CategoriaServizio",
    "SOURCED_CATEGORIES",
    "SIZE_ATTRIBUTES",
    "Servizio",
]


ERROR_OUTSIDE_CMM = _("La geometria non cade in alcun Comune della Città metropolitana.")
ERROR_LUM_IN_MILANO = _(
    "Un LUM è fuori dal Comune di Milano: questo punto cade nel Comune di Milano."
)
ERROR_SERVIZIO_GEOMETRY = _("Un servizio è un punto o un'area (Point, Polygon o MultiPolygon).")
ERROR_UNKNOWN_ATTRIBUTE = _("Attributo {key} non previsto per la categoria {categoria}.")
ERROR_BAD_SIZE = _("Attributo {key}: serve un numero intero non negativo.")
# A servizio is a point, or an area (its single polygons made multi).
SERVIZIO_GEOMETRIES = ("Point", *POLYGONAL)


def _comune_of(geom) -> Comune:
    """The Comune of a geometry (derived, never typed in: :mod:`rules.spatial`)."""
    comune_id = main_comune_id_of_geometry(geom)
    if comune_id is None:
        raise ValidationError({"geom": ERROR_OUTSIDE_CMM})
    return Comune.objects.get(pk=comune_id)


class ModoTrasporto(models.TextChoices):
    TRENO = "treno", _("Treno (servizio ferroviario regionale)")
    METRO = "metro", _("Metropolitana")
    TRAM = "tram", _("Metrotranvia")
    BUS = "bus", _("Linea di forza su gomma")


class RangoLum(models.TextChoices):
    """Rank of a LUM (rule in :func:`lum.services.lum_rank`)."""

    METROPOLITANO = "metropolitano", _("Metropolitano")
    SOVRACOMUNALE = "sovracomunale", _("Sovracomunale")


class StatoLum(models.TextChoices):
    ESISTENTE = "esistente", _("Esistente")
    PREVISTO = "previsto", _("Previsto")


class Lum(Publishable):
    """A Luogo Urbano per la Mobilità: one stop (or interchange) outside Milano."""

    code = models.CharField(
        _("codice"),
        max_length=120,
        unique=True,
        help_text=_("Chiave naturale: i codici delle stazioni di origine, es. RL-89+AMAT-12."),
    )
    name = models.CharField(_("nome"), max_length=200)
    comune = models.ForeignKey(
        Comune,
        verbose_name=_("Comune"),
        related_name="lum",
        on_delete=models.PROTECT,
        blank=True,
        help_text=_("Calcolato: il Comune che contiene il punto."),
    )
    geom = models.PointField(_("posizione"), srid=STORAGE_SRID)
    modes = ArrayField(
        models.CharField(max_length=8, choices=ModoTrasporto.choices),
        verbose_name=_("modi di trasporto"),
        default=list,
    )
    lines = ArrayField(
        models.CharField(max_length=60), verbose_name=_("linee"), default=list, blank=True
    )
    rank = models.CharField(_("rango"), max_length=16, choices=RangoLum.choices, db_index=True)
    stato = models.CharField(
        _("stato"), max_length=10, choices=StatoLum.choices, default=StatoLum.ESISTENTE
    )
    radius_m = models.PositiveIntegerField(
        _("raggio del bacino (m)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(5000)],
        help_text=_("Vuoto: il raggio predefinito (REMIX_LUM_RADIUS_M, 800 m)."),
    )
    stations = models.JSONField(
        _("stazioni di origine"),
        default=list,
        blank=True,
        help_text=_("Le fermate unite in questo LUM, con codice, nome, modo e fonte."),
    )
    boardings_24h = models.PositiveIntegerField(
        _("saliti/giorno feriale (treno)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("LUM – Luogo urbano per la mobilità")
        verbose_name_plural = _("LUM – Luoghi urbani per la mobilità")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Find the Comune from the point; a LUM is never in the Comune di Milano."""
        if self.geom is None:
            return
        self.comune = _comune_of(self.geom)
        if self.comune.istat_code == MILANO_ISTAT_CODE:
            raise ValidationError({"geom": ERROR_LUM_IN_MILANO})

    @property
    def mode_labels(self) -> list[str]:
        """The transport modes in words, e.g. ["Metropolitana"]."""
        return [str(ModoTrasporto(mode).label) for mode in self.modes]

    @property
    def catchment_radius_m(self) -> int:
        """The radius in force: the LUM's own, else the configured default."""
        return self.radius_m or settings.REMIX_LUM_RADIUS_M


class CategoriaServizio(models.TextChoices):
    UNIVERSITA = "universita", _("Università")
    SCUOLA_SECONDARIA = "scuola_secondaria", _("Istruzione secondaria superiore")
    SANITA = "sanita", _("Sanità ospedaliera")
    CULTURA = "cultura", _("Cultura")
    SPORT = "sport", _("Sport")
    FORMAZIONE = "formazione", _("Formazione professionale")
    PERSONA = "persona", _("Servizi alla persona")
    PA = "pa", _("Pubblica amministrazione")


# Categories loaded from real open data (lum.servizi_regione): never generated as samples.
SOURCED_CATEGORIES: tuple[str, ...] = (
    CategoriaServizio.SCUOLA_SECONDARIA,
    CategoriaServizio.FORMAZIONE,
    CategoriaServizio.SANITA,
)

# The size attributes each category records in ``Servizio.attributi`` (key → label). Students
# of a school are a field of their own (``Servizio.studenti``), published with the layer.
SIZE_ATTRIBUTES: dict[str, dict[str, str]] = {
    CategoriaServizio.UNIVERSITA: {"iscritti": _("Iscritti"), "corsi": _("Corsi di laurea")},
    CategoriaServizio.SCUOLA_SECONDARIA: {"classi": _("Classi")},
    CategoriaServizio.SANITA: {"posti_letto": _("Posti letto")},
    CategoriaServizio.CULTURA: {"superficie_m2": _("Superficie (m²)"), "posti": _("Posti")},
    CategoriaServizio.SPORT: {"capienza": _("Capienza (spettatori)")},
    CategoriaServizio.FORMAZIONE: {"allievi": _("Allievi per anno")},
    CategoriaServizio.PERSONA: {"utenti": _("Utenti per anno")},
    CategoriaServizio.PA: {"sportelli": _("Sportelli")},
}


class Servizio(Publishable):
    """A service of supra-municipal rank: a point or an area."""

    code = models.CharField(
        _("codice"), max_length=40, unique=True, help_text=_("Chiave naturale del record.")
    )
    name = models.CharField(_("nome"), max_length=200)
    categoria = models.CharField(
        _("categoria"), max_length=20, choices=CategoriaServizio.choices, db_index=True
    )
    comune = models.ForeignKey(
        Comune,
        verbose_name=_("Comune"),
        related_name="servizi",
        on_delete=models.PROTECT,
        blank=True,
        help_text=_("Calcolato: il Comune che contiene il punto rappresentativo."),
    )
    geom = models.GeometryField(
        _("geometria"), srid=STORAGE_SRID, help_text=_("Point o MultiPolygon.")
    )
    attributi = models.JSONField(
        _("attributi dimensionali"),
        default=dict,
        blank=True,
        help_text=_("Per categoria, es. università: iscritti; ospedale: posti_letto."),
    )
    tipologia = models.CharField(
        _("tipologia"),
        max_length=80,
        blank=True,
        help_text=_("Come la chiama la fonte, es. Liceo, Istituto Tecnico, Istituzione Formativa."),
    )
    studenti = models.PositiveIntegerField(
        _("studenti"), null=True, blank=True, help_text=_("Allievi della sede (scuole).")
    )
    indirizzo = models.CharField(_("indirizzo"), max_length=200, blank=True)
    istat_code_fonte = models.CharField(
        _("Comune indicato dalla fonte (codice ISTAT)"),
        max_length=6,
        blank=True,
        help_text=_(
            "Il Comune che la fonte dichiara; se il punto cade in un altro Comune, il servizio "
            "resta nel punto della fonte e il caricamento lo segnala."
        ),
    )

    class Meta:
        verbose_name = _("Servizio sovracomunale")
        verbose_name_plural = _("Servizi sovracomunali")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A point or an area (single polygons become multi), its Comune found from the
        geometry, and only the size attributes of its category, as non-negative integers."""
        if self.geom is not None:
            if self.geom.geom_type == "Polygon":
                self.geom = as_multi(self.geom)
            if self.geom.geom_type not in SERVIZIO_GEOMETRIES:
                raise ValidationError({"geom": ERROR_SERVIZIO_GEOMETRY})
            self.comune = _comune_of(self.geom)
        allowed = SIZE_ATTRIBUTES.get(self.categoria, {})
        for key, value in (self.attributi or {}).items():
            if key not in allowed:
                message = ERROR_UNKNOWN_ATTRIBUTE.format(key=key, categoria=self.categoria)
                raise ValidationError({"attributi": message})
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValidationError({"attributi": ERROR_BAD_SIZE.format(key=key)})

    @property
    def size_attributes(self) -> list[tuple[str, object]]:
        """The category's size attributes as (label, value) pairs, in declaration order."""
        labels = SIZE_ATTRIBUTES.get(self.categoria, {})
        return [(label, self.attributi.get(key)) for key, label in labels.items()]
