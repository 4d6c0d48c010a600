"""Comune and ZonaOmogenea move here from ``layers``, keeping their tables and their rows.

Until this migration the models belonged to the ``layers`` app. The move copies nothing: the
models are created in Django's state only, on the tables that already exist
(``layers_comune``, ``layers_zonaomogenea``, named in their ``Meta.db_table``); the other
apps then point their references here (state only) and ``layers/0005`` forgets the old
models. The content types are renamed in place, so permissions, groups and the admin's log
keep pointing at the same rows.
"""

import django.contrib.gis.db.models.fields
import django.db.models.deletion
from django.db import migrations, models

MOVED_MODELS = ("comune", "zonaomogenea")


def content_types_move(apps, schema_editor, *, old: str = "layers", new: str = "territorio"):
    """Relabel the content types of the moved models (a fresh database has none yet)."""
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.using(schema_editor.connection.alias).filter(
        app_label=old, model__in=MOVED_MODELS
    ).update(app_label=new)


def content_types_move_back(apps, schema_editor):
    content_types_move(apps, schema_editor, old="territorio", new="layers")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("layers", "0004_dataversion_notify"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ZonaOmogenea",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=80, unique=True, verbose_name="nome")),
                        (
                            "slug",
                            models.SlugField(max_length=80, unique=True, verbose_name="codice"),
                        ),
                        (
                            "verification",
                            models.CharField(
                                choices=[
                                    ("published_list", "Elenco pubblicato"),
                                    ("count_and_area_check", "Verificata su numero e superficie"),
                                    ("official", "Atto ufficiale"),
                                    ("by_definition", "Per definizione"),
                                ],
                                help_text="Come è stata verificata l'appartenenza dei Comuni alla Zona.",
                                max_length=32,
                                verbose_name="verifica della composizione",
                            ),
                        ),
                        ("source", models.TextField(blank=True, verbose_name="fonte")),
                        (
                            "geom",
                            django.contrib.gis.db.models.fields.MultiPolygonField(
                                blank=True,
                                help_text="Unione dei confini dei suoi Comuni, calcolata.",
                                null=True,
                                srid=4326,
                                verbose_name="confine",
                            ),
                        ),
                        (
                            "area_m2",
                            models.FloatField(
                                blank=True,
                                editable=False,
                                null=True,
                                verbose_name="superficie (m²)",
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="aggiornato il"),
                        ),
                    ],
                    options={
                        "verbose_name": "Zona omogenea",
                        "verbose_name_plural": "Zone omogenee",
                        "db_table": "layers_zonaomogenea",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Comune",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "istat_code",
                            models.CharField(
                                max_length=6, unique=True, verbose_name="codice ISTAT"
                            ),
                        ),
                        (
                            "name",
                            models.CharField(db_index=True, max_length=120, verbose_name="nome"),
                        ),
                        (
                            "cadastral_code",
                            models.CharField(
                                blank=True, max_length=4, verbose_name="codice catastale"
                            ),
                        ),
                        (
                            "ruolo_ptm",
                            models.CharField(
                                choices=[
                                    ("citta_centrale", "Città centrale"),
                                    ("polo_attrattore", "Polo urbano attrattore"),
                                    ("altro", "Altro Comune"),
                                ],
                                default="altro",
                                max_length=20,
                                verbose_name="ruolo nel PTM",
                            ),
                        ),
                        (
                            "ruolo_ptm_source",
                            models.TextField(blank=True, verbose_name="fonte del ruolo nel PTM"),
                        ),
                        (
                            "geom",
                            django.contrib.gis.db.models.fields.MultiPolygonField(
                                srid=4326, verbose_name="confine"
                            ),
                        ),
                        (
                            "area_m2",
                            models.FloatField(
                                default=0, editable=False, verbose_name="superficie (m²)"
                            ),
                        ),
                        ("source", models.TextField(blank=True, verbose_name="fonte")),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="aggiornato il"),
                        ),
                        (
                            "zona_omogenea",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="comuni",
                                to="territorio.zonaomogenea",
                                verbose_name="Zona omogenea",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Comune",
                        "verbose_name_plural": "Comuni",
                        "db_table": "layers_comune",
                        "ordering": ["name"],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_move, content_types_move_back),
    ]
