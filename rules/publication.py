"""Publication states and the ``Publishable`` base of contributed records.

Interventi, opportunità, LUM and servizi are contributed by municipalities (or loaded) and
reviewed by the CMM; they share these fields and the rule of what the public may see:
:meth:`PublishableQuerySet.published`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["PublicationState", "PublishableQuerySet", "Publishable"]


class PublicationState(models.TextChoices):
    """Where a record stands in the review workflow (see the contributions issue)."""

    BOZZA = "bozza", _("Bozza")
    IN_REVISIONE = "in_revisione", _("In revisione")
    RINVIATO = "rinviato", _("Rinviato al Comune")
    PUBBLICATO = "pubblicato", _("Pubblicato")


class PublishableQuerySet(models.QuerySet):
    def published(self) -> PublishableQuerySet:
        """Only what the public may see: published and not withdrawn."""
        return self.filter(publication_state=PublicationState.PUBBLICATO, withdrawn_on__isnull=True)


class Publishable(models.Model):
    """Fields shared by records that municipalities contribute and CMM reviews."""

    publication_state = models.CharField(
        _("stato di pubblicazione"),
        max_length=16,
        choices=PublicationState.choices,
        default=PublicationState.BOZZA,
        db_index=True,
    )
    review_comment = models.TextField(_("nota di revisione"), blank=True)
    withdrawn_on = models.DateField(
        _("ritirato il"),
        null=True,
        blank=True,
        help_text=_("Un record ritirato esce dalla mappa pubblica ma resta nello storico."),
    )
    is_sample = models.BooleanField(
        _("dato di esempio"),
        default=False,
        help_text=_("Record dimostrativo generato, non un dato ufficiale."),
    )
    source = models.CharField(_("fonte"), max_length=300, blank=True)
    source_url = models.URLField(_("link alla fonte"), max_length=500, blank=True)
    licence = models.CharField(_("licenza"), max_length=60, blank=True)
    data_updated_on = models.DateField(_("dato aggiornato al"), null=True, blank=True)
    external_id = models.CharField(
        _("identificativo esterno"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Chiave naturale dei record caricati da un importatore (es. dati di esempio)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inserito da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificato il"), auto_now=True, db_index=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
