"""Announce every data-version change with NOTIFY, so that processes keep versions in memory.

A row trigger on ``layers_dataversion`` itself covers every bump function (0002, 0003): each
inserted, changed or deleted row (and a TRUNCATE) sends ``NOTIFY remix_data_version`` at commit (PostgreSQL folds repeats
of one payload within a transaction). :class:`layers.versions.VersionWatcher` listens.
"""

from django.db import migrations

NOTIFY = """
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
        ("layers", "0003_dataversion_transition_tables"),
    ]

    operations = [
        migrations.RunSQL(NOTIFY, DROP_NOTIFY),
    ]
