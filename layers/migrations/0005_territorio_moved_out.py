"""Comune and ZonaOmogenea now belong to ``territorio`` (its 0001 took them over with their tables).

Only Django's state forgets them here: no table is dropped. This runs after every app's
references were pointed at ``territorio.Comune``.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contributi", "0002_comune_moved_to_territorio"),
        ("layers", "0004_dataversion_notify"),
        ("lum", "0004_comune_moved_to_territorio"),
        ("rigenerazione", "0004_comune_moved_to_territorio"),
    ]

    operations = [
        # The database already has these tables and constraints: only Django's state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Comune",
                ),
                migrations.DeleteModel(
                    name="ZonaOmogenea",
                ),
            ],
        ),
    ]
