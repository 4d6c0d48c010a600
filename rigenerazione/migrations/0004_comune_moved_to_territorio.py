"""Comune moved from ``layers`` to ``territorio`` with its table: the references follow, in the state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rigenerazione", "0003_external_id"),
        ("territorio", "0001_initial"),
    ]

    operations = [
        # The database already has these tables and constraints: only Django's state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalopportunita",
                    name="comune",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Lasciare vuoto per ricavarlo dalla geometria.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="territorio.comune",
                        verbose_name="Comune",
                    ),
                ),
                migrations.AlterField(
                    model_name="intervento",
                    name="comuni",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Lasciare vuoto per ricavarli dalla geometria.",
                        related_name="interventi",
                        to="territorio.comune",
                        verbose_name="Comuni",
                    ),
                ),
                migrations.AlterField(
                    model_name="opportunita",
                    name="comune",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Lasciare vuoto per ricavarlo dalla geometria.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opportunita",
                        to="territorio.comune",
                        verbose_name="Comune",
                    ),
                ),
            ],
        ),
    ]
