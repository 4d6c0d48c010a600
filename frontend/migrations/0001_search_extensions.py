"""PostgreSQL extensions behind the portal's forgiving search: ``unaccent`` (accents) and
``pg_trgm`` (partial words, typos, ranking). Created by the migration so that a fresh cluster
gets them; ``CREATE EXTENSION`` needs a role allowed to create them (the project's DB owner)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [UnaccentExtension(), TrigramExtension()]
