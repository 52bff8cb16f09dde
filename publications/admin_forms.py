"""The paper's admin form: keywords and arXiv categories as comma-separated lists (chips
with JavaScript), citations per year as a small year/count table. No JSON to type."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from core.admin import EditConflictForm
from core.admin.widgets import PairsField, TagListField

from .importing.text import is_arxiv_category
from .models import Publication

#: The largest count a PositiveIntegerField holds on every database.
MAX_COUNT = 2_147_483_647


class PublicationAdminForm(EditConflictForm):
    keywords = TagListField(label="Keywords", help_text="e.g. interpretability, RLHF")
    arxiv_categories = TagListField(label="Other arXiv categories", help_text="e.g. cs.AI, cs.CL")
    citations_by_year = PairsField(
        label="Citations by year",
        key_label="Year",
        value_label="Citations",
        key_field=forms.RegexField(
            r"^\d{4}$", error_messages={"invalid": "A year has four digits, e.g. 2024."}
        ),
        value_field=forms.IntegerField(min_value=0, max_value=MAX_COUNT),
        help_text="Citations received in each year.",
    )

    class Meta:
        model = Publication
        fields = "__all__"

    def clean_arxiv_categories(self):
        # Only new entries are checked: a stored oddity must not block unrelated edits.
        stored = set(self.instance.arxiv_categories or ())
        value = self.cleaned_data["arxiv_categories"]
        wrong = [item for item in value if item not in stored and not is_arxiv_category(item)]
        if wrong:
            raise ValidationError(
                f"Not an arXiv category: {', '.join(wrong)} (they look like cs.AI or math.PR)."
            )
        return value


def source_record_html(record) -> str:
    """A paper's raw import record, readable: each source's entry as it came (a BibTeX
    entry as BibTeX, a JSON record indented), under the source's name and location."""
    if not record:
        return "None: this paper was not imported."
    blocks = []
    for source, entry in record.items():
        if not isinstance(entry, dict):
            continue
        raw = entry.get("record", "")
        text = raw if isinstance(raw, str) else json.dumps(raw, indent=2, ensure_ascii=False)
        blocks.append((source, entry.get("location", ""), text))
    if not blocks:
        return format_html('<pre class="source-record">{}</pre>', json.dumps(record, indent=2))
    return format_html_join(
        "",
        '<p><strong>{}</strong> {}</p><pre class="source-record">{}</pre>',
        blocks,
    )
