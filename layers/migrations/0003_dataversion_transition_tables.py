"""Bump a table's data version only when a statement really changed its rows.

The triggers (installed by ``layers.versions.version_triggers_install``) read the statement's
transition tables: INSERT and DELETE bump when they touched a row, UPDATE when some row differs
from what it was, TRUNCATE always. ``layers_bump_data_version()`` (0002) stays the TRUNCATE one.
"""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION layers_data_version_bump(changed_table text) RETURNS void AS $$
    INSERT INTO layers_dataversion (table_name, version, changed_at)
    VALUES (changed_table, 1, clock_timestamp())
    ON CONFLICT (table_name) DO UPDATE
    SET version = layers_dataversion.version + 1, changed_at = clock_timestamp();
$$ LANGUAGE sql;

-- INSERT (REFERENCING NEW TABLE AS changed_rows) and DELETE (OLD TABLE AS changed_rows).
CREATE OR REPLACE FUNCTION layers_bump_data_version_if_rows() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        PERFORM layers_data_version_bump(TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- UPDATE (OLD TABLE AS old_rows NEW TABLE AS new_rows): whole rows compared as their text
-- form (exact for every type: geometries as hex EWKB, floats round-trip), as multisets, so
-- a no-op UPDATE does not bump and no key column needs naming.
CREATE OR REPLACE FUNCTION layers_bump_data_version_if_changed() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT n::text FROM new_rows AS n EXCEPT ALL SELECT o::text FROM old_rows AS o)
    THEN
        PERFORM layers_data_version_bump(TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

# CASCADE drops the per-event triggers too; the previous code's post_migrate reinstalls its own.
DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS layers_bump_data_version_if_changed() CASCADE;
DROP FUNCTION IF EXISTS layers_bump_data_version_if_rows() CASCADE;
DROP FUNCTION IF EXISTS layers_data_version_bump(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0002_dataversion"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
    ]
