"""The system check that fails start-up when a layer's table lacks its version machinery."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection

from layers.checks import ERROR_NO_TRIGGERS, ERROR_NO_VERSION_ROW, data_versions_check
from layers.models import DataVersion


def test_a_migrated_database_passes(territorio):
    assert data_versions_check() == []


def test_a_table_without_its_triggers_fails_the_check(territorio):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER layers_data_version_update ON layers_zonaomogenea")

    errors = data_versions_check()

    assert [(e.id, "'layers_zonaomogenea'" in e.msg) for e in errors] == [(ERROR_NO_TRIGGERS, True)]
    assert "layers_data_version_update" in errors[0].msg


def test_a_table_without_its_version_row_fails_the_check(territorio):
    DataVersion.objects.filter(table_name="rigenerazione_intervento_comuni").delete()

    errors = data_versions_check()

    assert [e.id for e in errors] == [ERROR_NO_VERSION_ROW]
    assert "'rigenerazione_intervento_comuni'" in errors[0].msg


def test_migrate_does_not_run_the_check_it_would_fix(territorio):
    DataVersion.objects.filter(table_name="layers_comune").delete()
    # migrate runs the checks with ``databases``: then this one stays silent.
    assert data_versions_check(databases=["default"]) == []
    call_command("migrate", verbosity=0)  # installs the row again
    assert data_versions_check() == []
