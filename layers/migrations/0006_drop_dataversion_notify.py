"""Stop announcing data-version changes with NOTIFY: no process listens any more.

Versions are read from ``layers_dataversion`` on each request's own connection (one indexed
lookup); the per-process LISTEN connection that 0004 served is gone, so its triggers go too.
Reversible: going back re-creates them as 0004 did.
"""

from django.db import migrations

RESTORE_NOTIFY = """
CREATE OR REPLACE FUNCTION layers_dataversion_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('remix_data_version', CASE TG_OP
        WHEN 'DELETE' THEN OLD.table_name WHEN 'TRUNCATE' THEN '' ELSE NEW.table_name END);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER layers_dataversion_notify
AFTER INSERT OR UPDATE OR DELETE ON layers_dataversion
FOR EACH ROW EXECUTE FUNCTION layers_dataversion_notify();

CREATE OR REPLACE TRIGGER layers_dataversion_notify_truncate
AFTER TRUNCATE ON layers_dataversion
FOR EACH STATEMENT EXECUTE FUNCTION layers_dataversion_notify();
"""

DROP_NOTIFY = """
DROP TRIGGER IF EXISTS layers_dataversion_notify_truncate ON layers_dataversion;
DROP TRIGGER IF EXISTS layers_dataversion_notify ON layers_dataversion;
DROP FUNCTION IF EXISTS layers_dataversion_notify();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0005_territorio_moved_out"),
    ]

    operations = [
        migrations.RunSQL(DROP_NOTIFY, RESTORE_NOTIFY),
    ]
