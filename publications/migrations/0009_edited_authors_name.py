"""Editors' changes to a paper's author rows are recorded as ``authors`` in
``edited_fields`` (the name the importer checks); the API wrote ``authorships``."""

from django.db import migrations


def rename(apps, schema_editor, old="authorships", new="authors"):
    Publication = apps.get_model("publications", "Publication")
    changed = []
    papers = Publication.objects.exclude(edited_fields=[]).only("edited_fields")
    for paper in papers.iterator(chunk_size=2000):
        if old in (paper.edited_fields or []):
            paper.edited_fields = sorted(set(paper.edited_fields) - {old} | {new})
            changed.append(paper)
    Publication.objects.bulk_update(changed, ["edited_fields"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("publications", "0008_import_run_papers")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
