"""The loaders of Regione Lombardia's schools and hospitals, against the real files and small
hand-made copies of them (expected figures: :mod:`tests.lum.regione_expected`, pandas and
geopandas on the CSV files)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from lum.importers import ERROR_COLUMNS, ERROR_FILE_MISSING, SCHOOLS_FILE, SKIP_NO_COORDINATES
from lum.istat import ERROR_BAD_ISTAT, istat_code_normalise
from lum.models import SOURCED_CATEGORIES, Servizio
from lum.samples import servizi_sample_load
from lum.servizi_regione import (
    HOSPITALS,
    SCHOOLS,
    SKIP_COMUNE_OUTSIDE_CMM,
    SKIP_POINT_OUTSIDE_CMM,
    ospedali_load,
    scuole_load,
)
from tests.lum import regione_expected as expected

# By hand from the files (SOURCES.md; the loader's own report agrees): 360 school rows, of
# which 8 are primary/lower-secondary sites of omnicomprensivi, 2 have no coordinates, 26 name
# a Comune outside the CMM (CFP seats in Lodi, Como, Brescia…; 015119 Lentate sul Seveso, a
# pre-2009 code of a Comune now in Monza e Brianza) and 1 (Legnano, 678504) has its point
# outside the boundary: 322 kept, 267 state schools and 55 CFP. All 62 hospitals are kept.
SCHOOL_ROWS, SCHOOLS_KEPT, STATE_SCHOOLS, CFP_SITES, HOSPITALS_KEPT = 360, 322, 267, 55, 62


@pytest.fixture
def loaded(territorio, data_dir):
    """Both registers loaded; returns the two reports."""
    return scuole_load(data_dir=data_dir), ospedali_load(data_dir=data_dir)


def real(**filters):
    return Servizio.objects.filter(is_sample=False, **filters)


# -- ISTAT codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("15146", "015146"),  # Milano without its leading zero
        (15002, "015002"),  # a number, as spreadsheets keep it
        ("015146", "015146"),  # already right
        (" 15209 ", "015209"),
        ("15235", "015251"),  # Vermezzo → Vermezzo con Zelo (2019)
        ("15246", "015251"),  # Zelo Surrigone → Vermezzo con Zelo
        ("108012", "108012"),  # another province: padded, not mapped (the loader skips it)
    ],
)
def test_istat_codes_are_padded_to_six_digits_and_merged_comuni_mapped(raw, code):
    assert istat_code_normalise(raw) == code


@pytest.mark.parametrize("raw", ["", "MI", "15.146", "1514600", "151"])
def test_a_malformed_istat_code_is_refused(raw):
    with pytest.raises(ValueError) as error:
        istat_code_normalise(raw)
    assert str(error.value) == ERROR_BAD_ISTAT.format(value=raw)


# -- the real files --------------------------------------------------------------------------


def test_the_reports_count_every_row(loaded):
    schools, hospitals = loaded
    assert (schools.read, schools.created, len(schools.skipped)) == (SCHOOL_ROWS, 322, 38)
    assert (hospitals.read, hospitals.created, len(hospitals.skipped)) == (62, 62, 0)
    assert schools.created == len(expected.schools()) == SCHOOLS_KEPT


def test_counts_per_category_match_the_files(loaded):
    counts = dict(real().values_list("categoria").annotate(n=Count("id")))
    assert counts == {
        "scuola_secondaria": STATE_SCHOOLS,
        "formazione": CFP_SITES,
        "sanita": HOSPITALS_KEPT,
    }
    assert Counter(expected.services().categoria) == counts


def test_counts_and_students_per_comune_match_the_files(loaded):
    stored = {
        (row["comune__istat_code"], row["categoria"]): (row["n"], row["studenti"])
        for row in real()
        .values("comune__istat_code", "categoria")
        .annotate(n=Count("id"), studenti=Sum("studenti"))
    }
    grouped = expected.services().groupby(["istat_code", "categoria"])
    from_files = {
        key: (len(group), int(group.studenti.sum()) if group.studenti.notna().any() else None)
        for key, group in grouped
    }
    assert stored == from_files
    assert stored[("015146", "scuola_secondaria")][0] == 127  # Milano
    assert stored[("015146", "sanita")][0] == 38


def test_each_school_keeps_its_code_type_students_and_the_source_point(loaded):
    school = Servizio.objects.get(code="RL-SCUOLA-MIRC094019")  # line 2 of the file
    assert school.name == "I.P.Servizi -Bertarelli"
    assert (school.categoria, school.tipologia, school.studenti) == (
        "scuola_secondaria",
        "Istituto Professionale",
        474,
    )
    assert school.comune.istat_code == school.istat_code_fonte == "015146"
    assert school.geom.coords == pytest.approx((9.19795439, 45.45476629), abs=1e-9)
    assert (school.source, school.licence) == (SCHOOLS.source, SCHOOLS.licence)
    assert school.publication_state == "pubblicato" and not school.is_sample
    cfp = Servizio.objects.get(code="RL-SCUOLA-1238505")
    assert (cfp.categoria, cfp.studenti) == ("formazione", None)


def test_hospital_coordinates_read_x_as_latitude(loaded):
    # Line 2: OSPEDALE UBOLDO, X "45,52331438", Y "9,328467624".
    hospital = Servizio.objects.get(code="RL-RICOVERO-030085-00")
    assert hospital.geom.coords == pytest.approx((9.328467624, 45.52331438), abs=1e-9)
    assert hospital.comune.name == "Cernusco sul Naviglio"
    assert hospital.indirizzo == "VIA UBOLDO 21, 20063 CERNUSCO SUL NAVIGLIO"
    assert hospital.source == HOSPITALS.source


def test_rows_left_out_are_reported_with_their_reason(loaded):
    schools, _hospitals = loaded
    reasons = {row.code: reason for row, reason in schools.skipped}
    assert reasons["1961051"] == SKIP_COMUNE_OUTSIDE_CMM.format(comune="LENTATE SUL SEVESO 015119")
    assert reasons["678504"] == SKIP_POINT_OUTSIDE_CMM
    assert reasons["9121"] == SKIP_NO_COORDINATES
    assert reasons["MIMM8DE012"].startswith("sede non di secondo ciclo")
    assert (
        "Saltata: riga 22, 1961051 «Associazione Scuole Lavoro Alto Milanese»: il Comune "
        "indicato (LENTATE SUL SEVESO 015119) non è della Città metropolitana."
    ) in schools.lines()
    assert not Servizio.objects.filter(code__in=[f"RL-SCUOLA-{c}" for c in reasons]).exists()


def test_points_in_another_comune_than_the_named_one_are_reported_not_moved(loaded):
    schools, hospitals = loaded
    frame = expected.schools()
    mismatched = frame[frame.named != frame.istat_code]
    assert sorted(m.row.code for m in schools.mismatches) == sorted(mismatched.code)
    assert len(schools.mismatches) == 9
    (humanitas,) = hospitals.mismatches
    assert humanitas.row.code == "030943-00"
    assert (humanitas.named, humanitas.found) == ("Rozzano (015189)", "Pieve Emanuele (015173)")
    # Distance from the point to Rozzano, by geopandas in EPSG:32632.
    comuni = expected.comuni().set_index("istat_code").to_crs(expected.METRIC)
    point = expected.hospitals().set_index("code").to_crs(expected.METRIC).geometry["030943-00"]
    assert humanitas.distance_m == pytest.approx(point.distance(comuni.geometry["015189"]), abs=0.5)
    assert "a 140 m dal Comune indicato" in humanitas.line()
    # Stored at the source's point, in the Comune containing it; the named one is kept.
    record = Servizio.objects.get(code="RL-RICOVERO-030943-00")
    assert (record.comune.istat_code, record.istat_code_fonte) == ("015173", "015189")
    source_point = expected.hospitals().set_index("code").geometry["030943-00"]
    assert record.geom.coords == pytest.approx((source_point.x, source_point.y), abs=1e-9)


def test_loading_again_leaves_everything_unchanged(loaded, data_dir):
    before = list(real().order_by("code").values_list("pk", "code", "updated_at"))
    schools, hospitals = scuole_load(data_dir=data_dir), ospedali_load(data_dir=data_dir)
    assert (schools.created, schools.updated, schools.unchanged) == (0, 0, SCHOOLS_KEPT)
    assert (hospitals.created, hospitals.updated, hospitals.unchanged) == (0, 0, HOSPITALS_KEPT)
    assert schools.withdrawn == hospitals.withdrawn == 0
    assert list(real().order_by("code").values_list("pk", "code", "updated_at")) == before


def test_the_commands_print_the_report(territorio, data_dir, capsys):
    call_command("load_strutture_ricovero", data_dir=str(data_dir))
    out = capsys.readouterr().out
    assert out.startswith("Strutture di ricovero: 62 righe lette; 62 creati, 0 aggiornati")
    assert "Comune diverso: riga 36, 030943-00" in out


# -- later exports: small copies of the schools file -----------------------------------------


def _copy(data_dir: Path, target: Path, keep: int, edit=None) -> Path:
    """The header and the first ``keep`` rows of the schools file, ``edit(row)`` applied."""
    with (data_dir / SCHOOLS_FILE).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for _i, row in zip(range(keep), reader, strict=False)]
        fields = reader.fieldnames
    for row in rows:
        if edit:
            edit(row)
    target.mkdir(exist_ok=True)
    with (target / SCHOOLS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_a_later_export_updates_records_and_withdraws_those_it_no_longer_holds(
    territorio, data_dir, tmp_path
):
    first = _copy(data_dir, tmp_path / "v1", keep=3)  # MIRC094019, MITF00801P-TT, + one
    scuole_load(data_dir=first)
    pks = dict(real().values_list("code", "pk"))
    assert len(pks) == 3

    def more_students(row):
        if row["COD_MECCANOGRAFICO_SEDE"] == "MIRC094019":
            row["ALLIEVI_SEDE"] = "500"

    second = _copy(data_dir, tmp_path / "v2", keep=2, edit=more_students)
    report = scuole_load(data_dir=second)
    assert (report.created, report.updated, report.unchanged, report.withdrawn) == (0, 1, 1, 1)
    assert dict(real().values_list("code", "pk")) == pks  # updated in place, no duplicates
    assert Servizio.objects.get(code="RL-SCUOLA-MIRC094019").studenti == 500
    gone = Servizio.objects.exclude(code__in=["RL-SCUOLA-MIRC094019", "RL-SCUOLA-MITF00801P-TT"])
    assert gone.get().withdrawn_on is not None  # out of the public map, still in history
    assert real().published().count() == 2


def test_a_pre_merger_code_is_read_as_todays_comune(territorio, data_dir, tmp_path):
    # Put the first school inside Vermezzo con Zelo (by geopandas: a point within 015251)
    # with Zelo Surrigone's old code.
    inside = expected.comuni().set_index("istat_code").geometry["015251"].representative_point()

    def to_zelo(row):
        row["COD_ISTAT_SEDE"] = "15246"
        row["coorY"], row["coorX"] = (f"{inside.y:.8f}", f"{inside.x:.8f}")
        row["coorY"], row["coorX"] = row["coorY"].replace(".", ","), row["coorX"].replace(".", ",")

    report = scuole_load(data_dir=_copy(data_dir, tmp_path, keep=1, edit=to_zelo))
    assert (report.created, report.mismatches) == (1, [])
    school = real().get()
    assert (school.comune.istat_code, school.istat_code_fonte) == ("015251", "015251")


# -- bad input -------------------------------------------------------------------------------


def test_a_missing_file_is_a_command_error_and_loads_nothing(territorio, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("load_scuole_secondo_ciclo", data_dir=str(tmp_path))
    assert str(error.value) == ERROR_FILE_MISSING.format(path=tmp_path / SCHOOLS_FILE)
    assert not Servizio.objects.exists()


def test_a_file_without_a_needed_column_is_refused_and_changes_nothing(loaded, data_dir, tmp_path):
    before = list(real().order_by("code").values_list("code", "updated_at"))
    target = tmp_path / "bad"
    target.mkdir()
    with (data_dir / SCHOOLS_FILE).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = [f for f in reader.fieldnames if f != "coorX"]
        rows = [{k: v for k, v in row.items() if k != "coorX"} for row in reader]
    with (target / SCHOOLS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(CommandError) as error:
        call_command("load_scuole_secondo_ciclo", data_dir=str(target))
    assert str(error.value) == ERROR_COLUMNS.format(file=SCHOOLS_FILE, columns="coorX")
    assert list(real().order_by("code").values_list("code", "updated_at")) == before


# -- the sample ------------------------------------------------------------------------------


def test_the_sample_never_holds_the_categories_with_a_real_source(loaded):
    old = Servizio.objects.create(  # a sample hospital left by an older generator
        code="S-015146-99",
        name="Presidio sanitario di Milano (esempio)",
        categoria="sanita",
        comune=Servizio.objects.get(code="RL-RICOVERO-030085-00").comune,
        geom=Servizio.objects.get(code="RL-RICOVERO-030085-00").geom,
        is_sample=True,
        publication_state="pubblicato",
    )
    report = servizi_sample_load()
    assert not Servizio.objects.filter(pk=old.pk).exists()
    assert report.deleted == 1
    assert not Servizio.objects.filter(is_sample=True, categoria__in=SOURCED_CATEGORIES).exists()
    assert real().count() == SCHOOLS_KEPT + HOSPITALS_KEPT  # the real records stay
