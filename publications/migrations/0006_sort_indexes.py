from django.db import migrations, models

# The paper list's sorts ask for published_on and citation_count DESC NULLS LAST. SQLite
# puts NULLs last in a DESC index anyway (and rejects the words in an index), so the
# indexes below serve it as declared; PostgreSQL's DESC puts NULLs first, so there the
# two are rebuilt, under the same names, with NULLS LAST.
POSTGRES_NULLS_LAST = {
    "pub_newest": "is_published, published_on DESC NULLS LAST, title, id, "
    "publish_at, unpublish_at",
    "pub_most_cited": "is_published, citation_count DESC NULLS LAST, published_on DESC, id, "
    "publish_at, unpublish_at",
}


def nulls_last_on_postgresql(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("publications", "Publication")._meta.db_table
    for name, columns in POSTGRES_NULLS_LAST.items():
        schema_editor.execute(f'DROP INDEX "{name}"')
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" ({columns})')


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0003_photo_validation"),
        ("publications", "0005_visibility_window_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="publication",
            name="pub_published_date",
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["is_published", "-published_on", "title", "id", "publish_at", "unpublish_at"],
                name="pub_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=[
                    "is_published",
                    "-citation_count",
                    "-published_on",
                    "id",
                    "publish_at",
                    "unpublish_at",
                ],
                name="pub_most_cited",
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["is_published", "title", "id", "publish_at", "unpublish_at"],
                name="pub_by_title",
            ),
        ),
        # Reversing needs nothing: removing the indexes drops them by name.
        migrations.RunPython(nulls_last_on_postgresql, migrations.RunPython.noop),
    ]
