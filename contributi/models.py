"""Who may contribute: municipality operators bound to their Comuni.

The roles themselves are Django groups (see :mod:`contributi.roles`); this model only adds what
a group cannot say — which Comuni an operator writes for. The reviewer's right to publish is the
custom permission ``contributi.review_contributions`` carried by the reviewers' group.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from territorio.models import Comune

__all__ = ["OperatoreComunale", "UploadJob"]


class OperatoreComunale(models.Model):
    """A user who creates and changes records on behalf of one or more Comuni."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        related_name="operatore_comunale",
        on_delete=models.CASCADE,
    )
    comuni = models.ManyToManyField(
        Comune, verbose_name=_("Comuni"), related_name="operatori", blank=False
    )
    ente = models.CharField(
        _("ente"), max_length=200, blank=True, help_text=_("Es. Comune di Rho, Ufficio tecnico.")
    )

    class Meta:
        verbose_name = _("Operatore comunale")
        verbose_name_plural = _("Operatori comunali")
        permissions = [
            ("review_contributions", _("Può revisionare, pubblicare e ritirare i contributi")),
        ]

    def __str__(self) -> str:
        return str(self.user)


class UploadJob(models.Model):
    """One uploaded file on its way to the database: checked (a dry run) and then committed,
    each step a background job of the queue (:mod:`contributi.tasks`) with its progress.

    The file itself is kept here, not on a disk the worker may not share, until it is
    committed or cancelled.
    """

    class Phase(models.TextChoices):
        CHECK = "check", _("controllo")
        COMMIT = "commit", _("salvataggio")

    class Status(models.TextChoices):
        QUEUED = "queued", _("in coda")
        RUNNING = "running", _("in corso")
        DONE = "done", _("completato")
        FAILED = "failed", _("non riuscito")
        CANCELLED = "cancelled", _("annullato")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        related_name="upload_jobs",
        on_delete=models.CASCADE,
    )
    target_key = models.CharField(_("destinazione"), max_length=40)
    filename = models.CharField(_("file"), max_length=255)
    options = models.JSONField(_("opzioni di lettura"), default=dict, blank=True)
    data = models.BinaryField(_("contenuto del file"), null=True, editable=False)
    phase = models.CharField(_("fase"), max_length=10, choices=Phase.choices, default=Phase.CHECK)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("elementi nel file"), default=0)
    read = models.PositiveIntegerField(_("elementi letti"), default=0)
    checked = models.PositiveIntegerField(_("elementi controllati"), default=0)
    stored = models.PositiveIntegerField(_("elementi salvati"), default=0)
    cancel_requested = models.BooleanField(_("annullamento richiesto"), default=False)
    report = models.JSONField(_("rapporto"), null=True, blank=True)
    error = models.TextField(_("errore"), blank=True)
    created_ids = models.JSONField(_("record creati"), default=list, blank=True)
    queue_job_id = models.BigIntegerField(_("job della coda"), null=True, blank=True)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        verbose_name = _("Caricamento")
        verbose_name_plural = _("Caricamenti")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_phase_display()}, {self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED)
