"""Comune moved from ``layers`` to ``territorio`` with its table: the references follow, in the state only."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contributi", "0001_initial"),
        ("territorio", "0001_initial"),
    ]

    operations = [
        # The database already has these tables and constraints: only Django's state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="operatorecomunale",
                    name="comuni",
                    field=models.ManyToManyField(
                        related_name="operatori", to="territorio.comune", verbose_name="Comuni"
                    ),
                ),
            ],
        ),
    ]
