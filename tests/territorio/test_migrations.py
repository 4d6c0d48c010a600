"""The move of Comune and ZonaOmogenea from ``layers`` to ``territorio`` keeps every row.

A database built on the old migrations (the models in ``layers``) is migrated forward: the
rows, the references of other apps and the content types (hence permissions) are still there,
with no table copied or renamed.
"""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The leaf migrations of main before the move.
BEFORE_MOVE = [
    ("layers", "0004_dataversion_notify"),
    ("contributi", "0001_initial"),
    ("lum", "0003_alter_lum_comune_alter_servizio_comune"),
    ("rigenerazione", "0003_external_id"),
    ("territorio", None),
]
AFTER_MOVE = [
    ("layers", "0005_territorio_moved_out"),
    ("contributi", "0002_comune_moved_to_territorio"),
    ("lum", "0004_comune_moved_to_territorio"),
    ("rigenerazione", "0004_comune_moved_to_territorio"),
    ("territorio", "0001_initial"),
]
CONTENT_TYPES = ("contenttypes", "0002_remove_content_type_name")
SQUARE = MultiPolygon(Polygon.from_bbox((9.10, 45.40, 9.11, 45.41)), srid=4326)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db
def test_database_built_on_old_migrations_keeps_its_rows_after_the_move(territorio):
    old_nodes = [*BEFORE_MOVE[:-1], CONTENT_TYPES]
    old_apps = migrate(BEFORE_MOVE).loader.project_state(old_nodes).apps
    zona = old_apps.get_model("layers", "ZonaOmogenea").objects.create(
        name="Zona di prova", slug="zona-di-prova", verification="official"
    )
    comune = old_apps.get_model("layers", "Comune").objects.create(
        istat_code="999999", name="Comune di prova", zona_omogenea=zona, geom=SQUARE
    )
    content_type = old_apps.get_model("contenttypes", "ContentType")
    old_type, _ = content_type.objects.get_or_create(app_label="layers", model="comune")

    new_apps = migrate(AFTER_MOVE).loader.project_state([*AFTER_MOVE, CONTENT_TYPES]).apps

    moved = new_apps.get_model("territorio", "Comune").objects.get(istat_code="999999")
    assert (moved.pk, moved.name, moved.zona_omogenea.slug) == (
        comune.pk,
        "Comune di prova",
        "zona-di-prova",
    )
    assert new_apps.get_model("territorio", "Comune")._meta.db_table == "layers_comune"
    relabelled = new_apps.get_model("contenttypes", "ContentType").objects.get(pk=old_type.pk)
    assert (relabelled.app_label, relabelled.model) == ("territorio", "comune")
    # Other apps' references now point at territorio.Comune, on the same table.
    operatore = new_apps.get_model("contributi", "OperatoreComunale")
    assert operatore._meta.get_field("comuni").related_model._meta.label == "territorio.Comune"


@pytest.mark.django_db
def test_no_table_of_the_territorial_base_is_created_or_dropped_by_the_move(territorio):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        state = executor.loader.project_state(BEFORE_MOVE[:-1])
        for app, name in AFTER_MOVE:
            migration = executor.loader.get_migration(app, name)
            state = migration.apply(state, editor, collect_sql=True)
    statements = " ".join(editor.collected_sql).upper()
    assert "CREATE TABLE" not in statements
    assert "DROP TABLE" not in statements
    assert "ALTER TABLE" not in statements
