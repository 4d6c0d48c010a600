"""Comune moved from ``layers`` to ``territorio`` with its table: the references follow, in the state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lum", "0003_alter_lum_comune_alter_servizio_comune"),
        ("territorio", "0001_initial"),
    ]

    operations = [
        # The database already has these tables and constraints: only Django's state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="lum",
                    name="comune",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Calcolato: il Comune che contiene il punto.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lum",
                        to="territorio.comune",
                        verbose_name="Comune",
                    ),
                ),
                migrations.AlterField(
                    model_name="servizio",
                    name="comune",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Calcolato: il Comune che contiene il punto rappresentativo.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="servizi",
                        to="territorio.comune",
                        verbose_name="Comune",
                    ),
                ),
            ],
        ),
    ]
