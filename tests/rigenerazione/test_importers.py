"""The loader of the real PNRR M5C2 I2.1 applications (read in place from REMIX_DATA_DIR)."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from remix.errors import UserInputError
from rigenerazione.importers import (
    ERROR_COLUMNS,
    ERROR_FILE_MISSING,
    ERROR_ROW,
    PNRR_FILE,
    PNRR_LICENCE,
    PNRR_SOURCE,
    pnrr_load,
)
from rigenerazione.models import Finanziamento, Intervento

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(territorio, data_dir):
    return pnrr_load(data_dir=data_dir)


def test_loads_the_117_applications_and_the_32_funded_ones(loaded):
    assert loaded.created == 117
    assert Intervento.objects.published().count() == 117
    assert Intervento.objects.filter(finanziamenti__isnull=False).distinct().count() == 32
    assert set(Finanziamento.objects.values_list("fonte", flat=True)) == {"pnrr"}


def test_each_record_is_located_at_comune_level_with_its_boundary(loaded):
    bareggio = Intervento.objects.get(cup="H53D21000230001")

    assert bareggio.localizzazione == "comunale"
    assert [c.name for c in bareggio.comuni.all()] == ["Bareggio"]
    assert bareggio.geom.equals_exact(bareggio.comuni.get().geom, tolerance=0)
    assert not Intervento.objects.exclude(localizzazione="comunale").exists()


def test_attribution_and_licence_are_kept_on_every_record(loaded):
    assert set(Intervento.objects.values_list("source", "licence", "is_sample")) == {
        (PNRR_SOURCE, PNRR_LICENCE, False)
    }


def test_funded_project_gets_the_decree_allocation(loaded):
    # Cesano Boscone, B41B20001100005: cost 5 710 000, allocation 4 999 999.99 → share 0.8757.
    cesano = Intervento.objects.get(cup="B41B20001100005")
    (row,) = cesano.finanziamenti.all()

    assert (row.fonte, row.misura, row.importo) == (
        "pnrr",
        "M5C2 I2.1 Rigenerazione urbana",
        Decimal("4999999.99"),
    )
    assert row.quota == 0.8757
    assert (cesano.stato, cesano.anno_inizio, cesano.anno_fine) == ("programmato", 2021, 2026)


def test_allocation_one_cent_over_the_cost_is_capped_and_recorded(loaded):
    # D27H21001240001: cost 150 000.00, allocation 150 000.01 (sum of rounded instalments).
    intervento = Intervento.objects.get(cup="D27H21001240001")
    (row,) = intervento.finanziamenti.all()

    assert row.importo == Decimal("150000.00")
    assert "150000.01" in row.atto
    assert len(loaded.capped) == 6


def test_unfunded_application_has_no_funding_and_unknown_years(loaded):
    abbiategrasso = Intervento.objects.get(cup="C47H21001030001")

    assert not abbiategrasso.finanziamenti.exists()
    assert (abbiategrasso.anno_inizio, abbiategrasso.anno_fine) == (None, None)
    assert "Finanziato dal decreto del 30/12/2021: no." in abbiategrasso.description


def test_second_run_changes_nothing(loaded, data_dir):
    stamps = dict(Intervento.objects.values_list("cup", "updated_at"))
    history = Intervento.history.count()

    report = pnrr_load(data_dir=data_dir)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 117)
    assert dict(Intervento.objects.values_list("cup", "updated_at")) == stamps
    assert Intervento.history.count() == history


def _copy_with(tmp_path, data_dir, edit) -> None:
    with (data_dir / PNRR_FILE).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    fields, rows = edit(fields, rows)
    with (tmp_path / PNRR_FILE).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _bad_cup(fields, rows):
    rows[4]["cup"] = "C27H2100123"
    return fields, rows


def _unknown_comune(fields, rows):
    rows[0]["istat_code"] = "099999"
    return fields, rows


def _no_cost_column(fields, rows):
    return [f for f in fields if f != "costo_complessivo_eur"], rows


def test_missing_file_is_a_clear_error_and_nothing_changes(territorio, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("load_pnrr_rigenerazione", data_dir=tmp_path)

    assert str(error.value) == ERROR_FILE_MISSING.format(path=tmp_path / PNRR_FILE)
    assert not Intervento.objects.exists()


def test_bad_cup_names_file_line_and_cup_and_nothing_changes(loaded, data_dir, tmp_path):
    _copy_with(tmp_path, data_dir, _bad_cup)
    before = Intervento.objects.count(), Finanziamento.objects.count()

    with pytest.raises(UserInputError) as error:
        pnrr_load(data_dir=tmp_path)

    assert error.value.message == ERROR_ROW.format(
        file=PNRR_FILE, line=6, cup="C27H2100123", problem="CUP non valido: 'C27H2100123'"
    )
    assert (Intervento.objects.count(), Finanziamento.objects.count()) == before


def test_unknown_istat_code_is_a_clear_error_and_nothing_is_loaded(territorio, data_dir, tmp_path):
    _copy_with(tmp_path, data_dir, _unknown_comune)

    with pytest.raises(UserInputError) as error:
        pnrr_load(data_dir=tmp_path)

    assert "riga 2" in error.value.message and "099999" in error.value.message
    assert not Intervento.objects.exists()


def test_missing_column_is_a_clear_error(territorio, data_dir, tmp_path):
    _copy_with(tmp_path, data_dir, _no_cost_column)

    with pytest.raises(UserInputError) as error:
        pnrr_load(data_dir=tmp_path)

    assert error.value.message == ERROR_COLUMNS.format(
        file=PNRR_FILE, columns="costo_complessivo_eur"
    )
    assert not Intervento.objects.exists()


def test_command_reports_what_it_did(territorio, data_dir, capsys):
    call_command("load_pnrr_rigenerazione", data_dir=data_dir)

    assert "117 creati" in capsys.readouterr().out


def test_every_application_carries_its_funding_outcome_in_plain_fields(loaded):
    # The CSV: 4 not admitted, 32 funded by the decree, the other 81 admitted but not funded.
    outcomes = Counter(Intervento.objects.values_list("candidatura_esito", flat=True))
    assert outcomes == {"non_ammessa": 4, "finanziata": 32, "ammessa": 81}
    assert set(Intervento.objects.values_list("candidatura_fonte", flat=True)) == {"pnrr"}
    # Bareggio asked for 1 250 000.00 € and was admitted, not funded.
    bareggio = Intervento.objects.get(cup="H53D21000230001")
    assert bareggio.candidatura_esito == "ammessa"
    assert bareggio.contributo_richiesto == Decimal("1250000.00")
