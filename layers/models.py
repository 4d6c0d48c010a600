"""Models of the publishing engine: the data version of every published table.

The territorial base (Comuni, Zone omogenee) lives in :mod:`territorio.models`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DataVersion"]


class DataVersion(models.Model):
    """A change counter per database table, bumped by a statement trigger on every write.

    The publishing engine derives ETags, Last-Modified and its tile-cache keys from these rows,
    so a cached answer dies with any insert, update, delete or truncate of the table it reads
    (triggers are installed for every registered layer by :mod:`layers.versions`).
    """

    table_name = models.CharField(_("tabella"), max_length=63, primary_key=True)
    version = models.BigIntegerField(_("versione"), default=0)
    changed_at = models.DateTimeField(_("modificata il"))

    class Meta:
        verbose_name = _("Versione dei dati")
        verbose_name_plural = _("Versioni dei dati")

    def __str__(self) -> str:
        return f"{self.table_name} v{self.version}"
