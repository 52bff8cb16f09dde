"""Stored XSS and injection: the payload corpus (tests/security/payloads.py, 100+
payloads) placed in every editable text field of every content model, then every page
type, feed, sitemap, export and API response is checked (tests/security/checks.py).

Each payload lands in every field: object k of each model gets payload (k + f) for its
f-th field, over as many objects as there are payloads in the batch."""

import json
from io import StringIO

import bibtexparser
import pytest
import rispy
from django.db import connection, models
from django.urls import reverse

from media_items.models import Appearance, KeyPoint, MediaItem, Outlet
from profiles.models import Affiliation, Organization, Person, ProfileLink, ReportedMetric
from publications.models import Authorship, Publication, Topic
from showcase.models import SelectedWork
from tests.factories import SuperuserFactory
from tests.security.checks import MARKER, atom_problems, html_problems, xml_problems
from tests.security.payloads import PAYLOADS

pytestmark = pytest.mark.django_db

BATCHES = 3
SKIPPED_FIELDS = {"slug", "stable_id"}  # validated slugs: never free text


def text_fields(model):
    return [
        f
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.editable
        and f.name not in SKIPPED_FIELDS
    ]


def fill(model, k, payloads, **extra):
    """One row of ``model`` with a payload in every text field."""
    values = {}
    for index, field in enumerate(text_fields(model)):
        value = payloads[(k + index) % len(payloads)]
        if not isinstance(field, models.URLField):  # a prefix keeps unique fields unique
            value = f"{k:03d}{value}"
        if connection.vendor == "postgresql":  # PostgreSQL text cannot hold NUL at all
            value = value.replace("\x00", "")
        if field.max_length:
            value = value[: field.max_length]
        values[field.name] = value
    if any(f.name == "slug" for f in model._meta.get_fields()):
        values["slug"] = f"{model._meta.model_name}-{k}"
    if any(f.name == "is_published" for f in model._meta.get_fields()):
        values["is_published"] = True
    values.update(extra)
    return model.objects.create(**values)


def build(payloads):
    people, papers, items = [], [], []
    for k in range(len(payloads)):
        organization = fill(Organization, k, payloads)
        person = fill(Person, k, payloads)
        fill(Affiliation, k, payloads, person=person, organization=organization)
        fill(ProfileLink, k, payloads, person=person)
        fill(ReportedMetric, k, payloads, person=person)
        topic = fill(Topic, k, payloads)
        paper = fill(Publication, k, payloads, published_on="2024-05-01", citation_count=k)
        paper.topics.add(topic)
        fill(Authorship, k, payloads, publication=paper, person=person, position=1)
        fill(Authorship, k + 1, payloads, publication=paper, person=None, position=2)
        outlet = fill(Outlet, k, payloads)
        item = fill(MediaItem, k, payloads, outlet=outlet, published_on="2024-06-01", importance=50)
        item.discusses.add(paper)
        item.topics.add(topic)
        Appearance.objects.create(media_item=item, person=person, role=Appearance.Role.GUEST)
        fill(KeyPoint, k, payloads, media_item=item, position=1)
        fill(SelectedWork, k, payloads, person=person, publication=paper)
        people.append(person)
        papers.append(paper)
        items.append(item)
    return people, papers, items


def batches():
    size = -(-len(PAYLOADS) // BATCHES)
    return [PAYLOADS[i : i + size] for i in range(0, len(PAYLOADS), size)]


def html_urls(people, papers, items):
    urls = [
        reverse("site:home"),
        reverse("people:list"),
        reverse("publications:list"),
        reverse("publications:list") + "?sort=title&group=year",
        reverse("media:list"),
        reverse("topics:list"),
        reverse("site:search") + "?q=alert",
        reverse("site:search") + "?q=XSS1X",
        "/no-such-page-<script>alert('XSS0X')</script>/",
    ]
    for person in people:
        urls += [person.get_absolute_url(), reverse("publications:list") + f"?author={person.slug}"]
    for paper in papers:
        urls.append(paper.get_absolute_url())
    for item in items:
        urls += [item.get_absolute_url(), item.outlet.get_absolute_url()]
    for topic in Topic.objects.all():
        urls.append(topic.get_absolute_url())
    for organization in Organization.objects.all():
        urls.append(organization.get_absolute_url())
    return urls


def feed_urls(people):
    return [
        reverse("publications:feed"),
        reverse("media:feed"),
        *(reverse("people:feed", kwargs={"slug": p.slug}) for p in people),
    ]


@pytest.mark.parametrize("batch", range(BATCHES))
def test_no_payload_escapes_its_context_anywhere(client, batch):
    payloads = batches()[batch]
    people, papers, items = build(payloads)
    problems = []

    for url in html_urls(people, papers, items):
        response = client.get(url)
        assert response.status_code in {200, 404}, (url, response.status_code)
        problems += html_problems(response.content.decode(), url)

    for url in feed_urls(people):
        response = client.get(url)
        assert response.status_code == 200, url
        problems += atom_problems(response.content, url)

    sitemap = client.get("/sitemap.xml")
    problems += xml_problems(sitemap.content, "/sitemap.xml")

    # Citation exports parse back to exactly the papers exported: no payload can end an
    # entry early or smuggle in another one.
    for paper in papers:
        bib = client.get(reverse("publications:cite", kwargs={"slug": paper.slug, "fmt": "bib"}))
        library = bibtexparser.parse_string(bib.content.decode())
        assert len(library.entries) == 1, (paper.slug, bib.content.decode()[:300])
        assert not library.failed_blocks, (paper.slug, bib.content.decode()[:300])
        ris = client.get(reverse("publications:cite", kwargs={"slug": paper.slug, "fmt": "ris"}))
        assert len(rispy.load(StringIO(ris.content.decode()))) == 1, paper.slug
    listing = client.get(reverse("publications:export", kwargs={"fmt": "bib"}) + "?sort=title")
    library = bibtexparser.parse_string(listing.content.decode())
    assert len(library.entries) == Publication.objects.count()
    assert not library.failed_blocks
    ris = client.get(reverse("publications:export", kwargs={"fmt": "ris"}))
    assert len(rispy.load(StringIO(ris.content.decode()))) == Publication.objects.count()
    csl = client.get(reverse("publications:export", kwargs={"fmt": "json"}))
    assert len(json.loads(csl.content)) == Publication.objects.count()

    # The API answers JSON, whatever the strings hold.
    for route in ("people", "organizations", "publications", "media-items", "outlets"):
        response = client.get(f"/api/v1/{route}/", {"page_size": 100})
        assert response.status_code == 200, route
        assert response["Content-Type"].startswith("application/json")
        body = json.loads(response.content)
        assert MARKER.search(json.dumps(body)), route  # the payloads are there, as data

    assert not problems, "\n".join(problems[:40])


def test_admin_pages_escape_stored_payloads(client):
    """Stored XSS aimed at editors: the admin's lists and forms show payloads as text."""
    people, papers, items = build(batches()[0][:12])
    client.force_login(SuperuserFactory())
    problems = []
    for url in [
        reverse("admin:profiles_person_changelist"),
        reverse("admin:publications_publication_changelist"),
        reverse("admin:media_items_mediaitem_changelist"),
        reverse("admin:index"),
        *(reverse("admin:profiles_person_change", args=[p.pk]) for p in people[:4]),
        *(reverse("admin:publications_publication_change", args=[p.pk]) for p in papers[:4]),
        *(reverse("admin:media_items_mediaitem_change", args=[i.pk]) for i in items[:4]),
        *(reverse("admin:profiles_person_history", args=[p.pk]) for p in people[:2]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        problems += html_problems(response.content.decode(), url)
    assert not problems, "\n".join(problems[:40])


def test_the_checker_catches_what_it_should():
    """The checker itself: each kind of escape it guards against is reported."""
    bad = [
        "<p><img src=x onerror=alert(1)></p>",
        '<a href=" JavaScript:alert(1)">x</a>',
        "<script>var x = 'XSS1X';</script>",
        '<script type="application/ld+json">{"name": "</script><script>x</script>',
        "<iframe src=x></iframe>",
        '<meta http-equiv="refresh" content="0;url=https://evil.test">',
        '<div style="background:url(XSS2X)">x</div>',
    ]
    for html in bad:
        assert html_problems(html, "t"), html
    good = '<p title="&lt;script&gt;XSS1X">&lt;img onerror=alert(1)&gt; XSS1X</p>'
    assert html_problems(good, "t") == []
    assert atom_problems(b"<feed><title>x</title>", "t")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("javascript:alert(1)", ""),
        ("  JaVa\tScript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox(1)", ""),
        ("https://github.com/x/y", "https://github.com/x/y"),
        ("http://example.org", "http://example.org"),
        ("mailto:a@example.org", "mailto:a@example.org"),
        ("", ""),
    ],
)
def test_stored_urls_are_only_ever_read_back_as_web_or_mail_addresses(client, stored, shown):
    """A URL written past the forms' validation (an import, SQL) is blanked when read."""
    paper = fill(Publication, 0, ["A paper"], published_on="2024-01-01")
    Publication.objects.filter(pk=paper.pk).update(code_url=stored, pdf_url=stored)
    paper = Publication.objects.get(pk=paper.pk)
    assert (paper.code_url, paper.pdf_url) == (shown, shown)
    page = client.get(paper.get_absolute_url()).content.decode()
    assert html_problems(page, "paper") == []
