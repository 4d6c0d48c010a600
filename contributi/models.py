"""Who may contribute: municipality operators bound to their Comuni.

The roles themselves are Django groups (see :mod:`contributi.roles`); this model only adds what
a group cannot say — which Comuni an operator writes for. The reviewer's right to publish is the
custom permission ``contributi.review_contributions`` carried by the reviewers' group.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from territorio.models import Comune

__all__ = ["OperatoreComunale"]


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
