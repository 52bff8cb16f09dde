"""No JSON in front of an editor: keywords and arXiv categories are comma-separated lists
(chips with JavaScript), citations per year and a media item's external ids are small
tables. Each is posted back through the admin form and read from the database."""

import re
from html import unescape as html_unescape

import pytest
from django.urls import reverse

from core.admin.widgets import join_tags, split_tags
from media_items.models import MediaItem
from publications.models import Publication
from tests.admin.forms import change_form_data
from tests.factories import MediaItemFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def values(html, name):
    """The values of the inputs named ``name``, in page order."""
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return [html_unescape(re.search(r'value="([^"]*)"', tag).group(1)) for tag in tags]


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def paper():
    return PublicationFactory(
        keywords=["influence functions", "scaling, laws", "LLM"],
        arxiv_categories=["cs.CL", "cs.AI"],
        citations_by_year={"2023": 40, "2024": 120},
    )


@pytest.mark.parametrize(
    "items",
    [[], ["a"], ["a", "b c"], ["scaling, laws", "x"], ['"quoted"', 'say "hi"'], ["ü, ß", "日本"]],
)
def test_a_list_reads_back_as_it_was_written(items):
    assert split_tags(join_tags(items)) == items


def test_typing_splits_on_commas_and_drops_blanks_and_repeats():
    assert split_tags(' a ,b,, a , "c, d" ,') == ["a", "b", "c, d"]


def test_the_change_form_shows_no_json(staff_client, paper):
    html = staff_client.get(change_url(paper)).content.decode()
    assert 'value="influence functions, &quot;scaling, laws&quot;, LLM"' in html
    assert 'value="cs.CL, cs.AI"' in html
    assert "data-tags" in html  # chips with JavaScript on
    # Citations per year: one row per year, and empty rows to add more.
    assert values(html, "citations_by_year_key") == ["2023", "2024", "", "", ""]
    assert values(html, "citations_by_year_value") == ["40", "120", "", "", ""]
    assert "[&quot;influence" not in html and "{&quot;2023&quot;" not in html


def test_saving_the_form_unchanged_changes_nothing(staff_client, paper):
    page = staff_client.get(change_url(paper))
    response = staff_client.post(change_url(paper), change_form_data(page))
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Publication.objects.get(pk=paper.pk)
    assert stored.keywords == ["influence functions", "scaling, laws", "LLM"]
    assert stored.arxiv_categories == ["cs.CL", "cs.AI"]
    assert stored.citations_by_year == {"2023": 40, "2024": 120}
    assert stored.edited_fields == []  # nothing counts as changed by hand


def test_editing_the_lists_and_the_table(staff_client, paper):
    page = staff_client.get(change_url(paper))
    data = change_form_data(
        page,
        keywords="LLM, interpretability,  , LLM",
        arxiv_categories="cs.AI, stat.ML",
        citations_by_year_key=["2023", "", "2025", ""],
        citations_by_year_value=["41", "", "7", ""],
    )
    response = staff_client.post(change_url(paper), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Publication.objects.get(pk=paper.pk)
    assert stored.keywords == ["LLM", "interpretability"]
    assert stored.arxiv_categories == ["cs.AI", "stat.ML"]
    # 2024's row was emptied: removed; 2025 added; sorted by year.
    assert stored.citations_by_year == {"2023": 41, "2025": 7}
    assert {"keywords", "arxiv_categories", "citations_by_year"} <= set(stored.edited_fields)


def test_mistakes_are_named_and_what_was_typed_stays(staff_client, paper):
    page = staff_client.get(change_url(paper))
    data = change_form_data(
        page,
        arxiv_categories="cs.AI, not a category",
        citations_by_year_key=["2023", "last year", "2024", "2025"],
        citations_by_year_value=["40", "3", "-1", ""],
    )
    response = staff_client.post(change_url(paper), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not an arXiv category: not a category" in html
    assert "Row 2 (last year): A year has four digits" in html
    assert "Row 3 (2024): Ensure this value is greater than or equal to 0." in html
    assert "Row 4: give the citations too." in html
    # The form shows exactly what was typed, wrong cells included.
    assert 'value="cs.AI, not a category"' in html
    assert values(html, "citations_by_year_key")[:4] == ["2023", "last year", "2024", "2025"]
    assert values(html, "citations_by_year_value")[:4] == ["40", "3", "-1", ""]
    stored = Publication.objects.get(pk=paper.pk)
    assert stored.arxiv_categories == ["cs.CL", "cs.AI"]
    assert stored.citations_by_year == {"2023": 40, "2024": 120}


def test_a_year_typed_twice_is_refused(staff_client, paper):
    page = staff_client.get(change_url(paper))
    data = change_form_data(
        page, citations_by_year_key=["2023", "2023"], citations_by_year_value=["1", "2"]
    )
    html = staff_client.post(change_url(paper), data).content.decode()
    assert "Row 2: 2023 is there twice." in html
    assert Publication.objects.get(pk=paper.pk).citations_by_year == {"2023": 40, "2024": 120}


def test_a_stored_category_the_form_would_refuse_does_not_block_other_edits(staff_client):
    paper = PublicationFactory(arxiv_categories=["Machine Learning (cs.LG)"])
    page = staff_client.get(change_url(paper))
    response = staff_client.post(change_url(paper), change_form_data(page, title="Retitled"))
    assert response.status_code == 302
    stored = Publication.objects.get(pk=paper.pk)
    assert stored.title == "Retitled"
    assert stored.arxiv_categories == ["Machine Learning (cs.LG)"]


def test_a_new_paper_with_lists_and_counts(staff_client):
    data = {
        "title": "Typed by hand",
        "slug": "typed-by-hand",
        "kind": "preprint",
        "date_precision": "day",
        "keywords": "alignment, evaluations",
        "arxiv_categories": "",
        "citations_by_year_key": ["2024", ""],
        "citations_by_year_value": ["3", ""],
        "authorships-TOTAL_FORMS": "0",
        "authorships-INITIAL_FORMS": "0",
    }
    response = staff_client.post(reverse("admin:publications_publication_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    paper = Publication.objects.get(slug="typed-by-hand")
    assert paper.keywords == ["alignment", "evaluations"]
    assert paper.arxiv_categories == []
    assert paper.citations_by_year == {"2024": 3}


def test_the_source_record_is_shown_readably_not_edited(staff_client):
    paper = PublicationFactory(
        source_record={
            "bibtex": {"location": "papers.bib, line 3", "record": "@article{key,\n  title={T}\n}"},
            "ris": {"location": "export.ris", "record": {"title": "T", "authors": ["A, B"]}},
        }
    )
    page = staff_client.get(change_url(paper))
    html = page.content.decode()
    assert "<strong>bibtex</strong> papers.bib, line 3" in html
    assert '<pre class="source-record">@article{key,\n  title={T}\n}</pre>' in html
    assert "&quot;title&quot;: &quot;T&quot;,\n  &quot;authors&quot;" in html  # indented
    assert 'name="source_record"' not in html
    # Posting a source record changes nothing: it is the importer's.
    data = change_form_data(page, source_record='{"forged": 1}')
    assert staff_client.post(change_url(paper), data).status_code == 302
    assert "forged" not in Publication.objects.get(pk=paper.pk).source_record


def test_a_media_items_external_ids_are_a_table(staff_client):
    item = MediaItemFactory(external_ids={"Longterm Wiki resource": "a1b2c3"})
    page = staff_client.get(change_url(item))
    html = page.content.decode()
    assert values(html, "external_ids_key")[0] == "Longterm Wiki resource"
    assert values(html, "external_ids_value")[0] == "a1b2c3"
    data = change_form_data(
        page,
        external_ids_key=["Longterm Wiki resource", "YouTube", ""],
        external_ids_value=["a1b2c3", "dQw4w9WgXcQ", ""],
    )
    response = staff_client.post(change_url(item), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert MediaItem.objects.get(pk=item.pk).external_ids == {
        "Longterm Wiki resource": "a1b2c3",
        "YouTube": "dQw4w9WgXcQ",
    }
