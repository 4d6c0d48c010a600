"""Keep derived territorial values in step when a Comune is edited (e.g. in the admin)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from territorio.models import Comune
from territorio.services import comune_derived_refresh
from territorio.sql import zona_boundaries_refresh


@receiver(pre_save, sender=Comune)
def remember_previous_zona(sender, instance: Comune, **kwargs) -> None:
    instance._previous_zona_id = (
        Comune.objects.filter(pk=instance.pk).values_list("zona_omogenea_id", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Comune)
def refresh_after_save(sender, instance: Comune, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: derived values are refreshed by the loader
        return
    comune_derived_refresh(instance, previous_zona_id=getattr(instance, "_previous_zona_id", None))
    instance.refresh_from_db(fields=["area_m2"])


@receiver(post_delete, sender=Comune)
def refresh_after_delete(sender, instance: Comune, **kwargs) -> None:
    if instance.zona_omogenea_id:
        zona_boundaries_refresh([instance.zona_omogenea_id])
