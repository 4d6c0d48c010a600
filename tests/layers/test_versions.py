"""Data versions move when the data does, and only then.

The triggers of ``layers.versions`` bump a table's version for a statement that inserted,
deleted or really changed a row, or truncated the table; a statement that touched no row, or
rewrote rows with the values they had, leaves it alone. So re-running the loaders on the same
data keeps every ETag and cached tile.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.db.models import F

from layers.models import DataVersion
from layers.versions import version_triggers_install
from lum.models import Lum, Servizio
from rigenerazione.models import Intervento
from rigenerazione.sample import N_INTERVENTI, N_OPPORTUNITA
from territorio.models import Comune, ZonaOmogenea
from territorio.services import territorio_load

COMUNE_TABLE = Comune._meta.db_table
ZONA_TABLE = ZonaOmogenea._meta.db_table
# A versioned table no foreign key points to, so it can be truncated on its own.
THROUGH_TABLE = Intervento.comuni.through._meta.db_table
FIXTURE_COMMANDS = [
    line.strip()
    for name in ("fixture-commands.txt", "sample-commands.txt")
    for line in (Path(__file__).resolve().parents[2] / "scripts" / name).read_text().splitlines()
    if line.strip() and not line.startswith("#")
]


def version(table: str) -> int:
    return DataVersion.objects.get(table_name=table).version


def all_versions() -> list[tuple]:
    return list(DataVersion.objects.order_by("table_name").values_list())


def execute(sql: str, params: list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def test_update_rewriting_the_same_values_does_not_bump(territorio):
    before = version(COMUNE_TABLE)
    # UPDATE layers_comune SET name = name, geom = geom: 133 rows matched, none changed.
    assert Comune.objects.update(name=F("name"), geom=F("geom")) == 133
    assert version(COMUNE_TABLE) == before


def test_update_matching_no_row_does_not_bump(territorio):
    before = version(COMUNE_TABLE)
    assert Comune.objects.filter(istat_code="999999").update(name="Nessuno") == 0
    assert version(COMUNE_TABLE) == before


def test_update_changing_one_row_bumps_once(territorio):
    before = version(COMUNE_TABLE)
    changed_at = DataVersion.objects.get(table_name=COMUNE_TABLE).changed_at
    # One real change among 133 rows rewritten: the statement changed the table.
    execute(
        f"UPDATE {COMUNE_TABLE} SET name = CASE WHEN istat_code = %s THEN 'X' ELSE name END",  # noqa: S608
        ["015146"],
    )
    assert version(COMUNE_TABLE) == before + 1
    assert DataVersion.objects.get(table_name=COMUNE_TABLE).changed_at > changed_at


def test_update_of_a_geometry_below_a_nanodegree_bumps(territorio):
    before = version(COMUNE_TABLE)
    # A shift of 1e-10° (about 0.01 mm): the stored bytes change, so the data changed.
    execute(
        f"UPDATE {COMUNE_TABLE} SET geom = ST_Translate(geom, 1e-10, 0) WHERE istat_code = %s",  # noqa: S608
        ["015146"],
    )
    assert version(COMUNE_TABLE) == before + 1


def test_insert_bumps_and_empty_insert_does_not(territorio):
    before = version(ZONA_TABLE)
    execute(f"INSERT INTO {ZONA_TABLE} SELECT * FROM {ZONA_TABLE} WHERE false")  # noqa: S608
    assert version(ZONA_TABLE) == before
    ZonaOmogenea.objects.create(name="Prova", slug="prova")
    assert version(ZONA_TABLE) == before + 1


def test_delete_bumps_and_empty_delete_does_not(territorio):
    zona = ZonaOmogenea.objects.create(name="Prova", slug="prova")
    before = version(ZONA_TABLE)
    assert ZonaOmogenea.objects.filter(slug="nessuna").delete()[0] == 0
    assert version(ZONA_TABLE) == before
    zona.delete()
    assert version(ZONA_TABLE) == before + 1


def test_truncate_bumps_even_an_empty_table(territorio):
    before = version(THROUGH_TABLE)
    execute(f"TRUNCATE {THROUGH_TABLE}")
    assert version(THROUGH_TABLE) == before + 1


def test_installing_twice_keeps_one_trigger_per_event_and_drops_the_combined_one(territorio):
    # The trigger of the first design, as a database migrated before 0003 still has it.
    execute(
        f"CREATE OR REPLACE TRIGGER layers_data_version AFTER INSERT OR UPDATE OR DELETE "
        f"OR TRUNCATE ON {COMUNE_TABLE} FOR EACH STATEMENT "
        "EXECUTE FUNCTION layers_bump_data_version()"
    )
    version_triggers_install([COMUNE_TABLE])
    version_triggers_install([COMUNE_TABLE])
    sql = """
        SELECT tgname FROM pg_trigger
        WHERE tgrelid = %s::regclass AND tgname LIKE 'layers_data_version%%' ORDER BY tgname
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [COMUNE_TABLE])
        names = [row[0] for row in cursor.fetchall()]
    assert names == [
        "layers_data_version_delete",
        "layers_data_version_insert",
        "layers_data_version_truncate",
        "layers_data_version_update",
    ]


def run_loaders() -> dict[str, str]:
    out = {}
    for command in FIXTURE_COMMANDS:
        stdout = StringIO()
        call_command(command, stdout=stdout)
        out[command] = stdout.getvalue()
    return out


def test_running_every_loader_again_keeps_every_version(territorio):
    run_loaders()
    before = all_versions()
    reports = run_loaders()
    assert all_versions() == before
    assert "Comuni: 0 creati, 0 aggiornati, 133 invariati." in reports["load_territorio"]
    assert "0 creati, 0 aggiornati, 117 invariati" in reports["load_pnrr_rigenerazione"]
    sample = N_INTERVENTI + N_OPPORTUNITA
    assert f"0 creati, 0 aggiornati, {sample} invariati." in reports["load_rigenerazione_sample"]
    lum = f"LUM: 0 creati, 0 aggiornati, {Lum.objects.count()} invariati, 0 eliminati."
    assert lum in reports["load_lum"]
    samples = Servizio.objects.filter(is_sample=True).count()
    servizi = f"Servizi di esempio: 0 creati, 0 aggiornati, {samples} invariati, 0 eliminati."
    assert servizi in reports["load_servizi_esempio"]
    for command, kept in (("load_scuole_secondo_ciclo", 322), ("load_strutture_ricovero", 62)):
        assert f"0 creati, 0 aggiornati, {kept} invariati" in reports[command]


def test_reloading_the_territorio_rewrites_only_the_edited_comune(territorio, data_dir):
    Comune.objects.filter(istat_code="015146").update(name="Milano (modificato)")
    before = {t: v for t, v, _c in all_versions()}
    report = territorio_load(data_dir=data_dir)
    assert (report.comuni_created, report.comuni_updated, report.comuni_unchanged) == (0, 1, 132)
    after = {t: v for t, v, _c in all_versions()}
    # One upsert statement on the Comuni; same boundaries, so no area or Zona is rewritten.
    assert after == {**before, COMUNE_TABLE: before[COMUNE_TABLE] + 1}
    assert Comune.objects.get(istat_code="015146").name == "Milano"


def test_no_trigger_announces_version_changes(db):
    # No process listens any more (migration layers/0005 dropped 0004's NOTIFY triggers).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [DataVersion._meta.db_table],
        )
        assert cursor.fetchone() == (0,)
