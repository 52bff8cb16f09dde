"""Online sources on the admin import page: arXiv ids, DOIs, an ORCID iD, a Semantic
Scholar or OpenAlex author, with the same preview and confirmation as files.

The page's HTTP client is given recorded answers (the ``Recorded`` urllib handler of
``test_online``), below ``core.http.client.PoliteClient``; an unreachable source is a port on
127.0.0.1 where nothing listens. Nothing here touches the internet.
"""

import json
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from publications import admin_import
from publications.importing.fetch import Fetcher
from publications.models import Authorship, ImportRun, Publication
from tests import factories

from .test_online import ATOM, Recorded, ok, payload

URL = "admin:publications_publication_import"
ARXIV_34 = {
    ("export.arxiv.org", "/api/query"): [
        ok(payload("arxiv-atom-idlist-34-authors-from-arxiv.py-tests.xml"), ATOM)
    ]
}
CROSSREF = {
    ("api.crossref.org", "/works/10.1371/journal.pone.0033693"): [
        ok(payload("crossref-work-single-journal-article-from-habanero-tests.json"))
    ]
}


@pytest.fixture
def importer(client, db):
    user = factories.StaffFactory()
    for codename in ("add_publication", "view_publication", "view_importrun", "view_person"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def answers(monkeypatch):
    """Serve the page's requests from ``routes``; returns the handler (its requests)."""
    state = {}

    def serve(routes):
        state["handler"] = Recorded(routes)
        return state["handler"]

    def client():
        opener = urllib.request.build_opener(state["handler"]) if "handler" in state else None
        return Fetcher(
            opener=opener, sleep=lambda seconds: None, retries=admin_import.ONLINE_RETRIES
        )

    monkeypatch.setattr(admin_import, "online_client", client)
    return serve


def token_of(page) -> str:
    assert "token" in page.context, page.content.decode()[-3000:]
    return page.context["token"]


def test_arxiv_ids_preview_then_confirm_without_asking_again(importer, answers):
    handler = answers(ARXIV_34)
    preview = importer.post(reverse(URL), {"arxiv": "1707.08567v1", "preview": "1"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview (nothing written yet)" in html
    assert "New: Proceedings of Workshop AEW10" in html
    assert not Publication.objects.exists() and not ImportRun.objects.exists()

    done = importer.post(reverse(URL), {"token": token_of(preview), "confirm": "1"})
    assert done.status_code == 302
    run = ImportRun.objects.get()
    assert run.source == "arxiv:1707.08567v1" and run.user == importer.user
    paper = Publication.objects.get()
    assert paper.arxiv_id == "1707.08567" and paper.authorships.count() == 34
    assert not paper.is_published
    # The confirmation imported what the preview showed: arXiv was asked once.
    assert len(handler.requests) == 1


def test_dois_one_per_line(importer, answers):
    answers(CROSSREF)
    preview = importer.post(
        reverse(URL), {"dois": "https://doi.org/10.1371/journal.pone.0033693\n", "preview": "1"}
    )
    assert "PLoS ONE" in preview.content.decode()
    importer.post(reverse(URL), {"token": token_of(preview), "confirm": "1"})
    assert Publication.objects.get().venue == "PLoS ONE"


def test_an_unknown_arxiv_id_is_named_and_nothing_is_offered(importer, answers):
    answers(ARXIV_34)
    page = importer.post(reverse(URL), {"arxiv": "0808.05394, 1707.08567", "preview": "1"})
    html = page.content.decode()
    assert "arxiv:0808.05394: arXiv has no paper with this id" in html
    assert "nothing was written" in html and "token" not in page.context
    # With "skip invalid" the paper arXiv knows is offered, and the failure recorded.
    page = importer.post(
        reverse(URL), {"arxiv": "0808.05394 1707.08567", "skip_invalid": "on", "preview": "1"}
    )
    importer.post(reverse(URL), {"token": token_of(page), "confirm": "1"})
    run = ImportRun.objects.get()
    assert run.created == 1 and run.failed == 1
    assert "0808.05394" in json.dumps(run.messages)


def test_an_orcid_id_chooses_its_profile(importer, answers):
    record = json.loads(
        payload("orcid-v3-full-record-official-sample-invalid-doi-from-orcid-source.json")
    )
    work = json.loads(payload("orcid-v3-work-single-bibtex-citation-2-from-rorcid-tests.json"))
    answers(
        {
            ("pub.orcid.org", "/v3.0/0000-0002-1825-0097/works/"): [
                ok(json.dumps({"bulk": [{"work": work}]}).encode())
            ],
            ("pub.orcid.org", "/v3.0/0000-0002-1825-0097/works"): [
                ok(json.dumps(record["activities-summary"]["works"]).encode())
            ],
        }
    )
    person = factories.PersonFactory(orcid="0000-0002-1825-0097", name="Sebastian Kreutzer")
    preview = importer.post(
        reverse(URL), {"orcid": "https://orcid.org/0000-0002-1825-0097", "preview": "1"}
    )
    assert "For the profile of <strong>Sebastian Kreutzer</strong>" in preview.content.decode()
    importer.post(reverse(URL), {"token": token_of(preview), "confirm": "1"})
    assert Authorship.objects.get(person=person).position == 1
    assert ImportRun.objects.get().options["person"] == person.slug


def test_semantic_scholar_and_openalex_authors(importer, answers):
    page = json.loads(
        payload("s2-graph-author-papers-last-page-no-next-from-semanticscholar-tests.json")
    )
    handler = answers(
        {
            ("api.semanticscholar.org", "/graph/v1/author/1741101/papers"): [
                ok(json.dumps({**page, "offset": 0}).encode())
            ],
            ("api.openalex.org", "/works"): [
                ok(
                    payload(
                        "openalex-works-list-response-meta-results-from-zotero-translators-tests.json"
                    )
                )
            ],
        }
    )
    preview = importer.post(
        reverse(URL),
        {"s2_author": "1741101", "openalex_author": "https://openalex.org/A5023888391"},
    )
    assert preview.context["result"].created > 70
    importer.post(reverse(URL), {"token": token_of(preview), "confirm": "1"})
    assert ImportRun.objects.get().source == "s2-author:1741101, openalex-author:A5023888391"
    assert Publication.objects.filter(openalex_id__startswith="W").count() == 5
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(handler.requests[-1][0]).query)
    assert query["filter"] == ["author.id:A5023888391"]


def test_an_unreachable_source_is_named_and_nothing_changes(importer, answers, settings):
    settings.OPENALEX_API = "http://127.0.0.1:9/openalex"  # nothing listens there
    paper = factories.PublicationFactory(title="Already here")
    page = importer.post(reverse(URL), {"openalex_author": "A5023888391", "publish": "on"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "could not reach 127.0.0.1" in html and "Nothing was imported." in html
    assert "token" not in page.context
    # What was typed is still there; nothing was written, not even a run.
    assert 'value="A5023888391"' in html
    assert list(Publication.objects.all()) == [paper] and not ImportRun.objects.exists()


def test_a_source_that_keeps_failing_is_named(importer, answers):
    answers({("api.crossref.org", "/works/"): [(503, b"down", {})]})
    page = importer.post(reverse(URL), {"dois": "10.1371/journal.pone.0033693"})
    assert "api.crossref.org answered HTTP 503" in page.content.decode()
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("orcid", "1234", "An ORCID iD looks like 0000-0002-1825-0097."),
        ("openalex_author", "W123", "An OpenAlex author id looks like A5023888391."),
        ("s2_author", "abc", "A Semantic Scholar author id is a number"),
    ],
)
def test_malformed_ids_are_refused_before_asking_anyone(importer, answers, field, value, message):
    handler = answers({})
    page = importer.post(reverse(URL), {field: value})
    assert message in page.content.decode()
    assert handler.requests == []


def test_one_kind_of_input_at_a_time(importer, answers):
    handler = answers({})
    page = importer.post(reverse(URL), {"text": "@article{a, title={T}}", "arxiv": "1707.08567"})
    assert "one of them at a time" in page.content.decode()
    assert handler.requests == []


def test_answers_larger_than_the_page_takes_point_to_the_command(importer, answers, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    answers(CROSSREF)
    page = importer.post(reverse(URL), {"dois": "10.1371/journal.pone.0033693"})
    html = page.content.decode()
    assert "the import page accepts at most 1000" in html and "manage.py import_papers" in html
    assert not Publication.objects.exists()
