"""Big and hostile inputs: every page type, feed, export and API list, and the admin's
lists and forms, answer a 4xx or a bounded 200, never a 500.

Bounded without timing anything: what reaches the database is capped (a search uses at
most ``MAX_SEARCH_WORDS`` words, whatever was asked), query counts do not grow with the
input, a page past the end is the last page, and oversized requests are refused before
anything reads them (tests/core/test_request_limits.py has the 414 of the list pages).
"""

import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.http.limits import MAX_JSON_DEPTH, MAX_SEARCH_WORDS
from media_items.models import Outlet
from publications.models import ImportRun, Publication
from tests.factories import AuthorshipFactory, PublicationFactory

from .access import client_for
from .routes import API_ROUTES, PUBLIC_ROUTES, public_url

pytestmark = pytest.mark.django_db

ADMIN_LISTS = [
    "/{admin}profiles/person/",
    "/{admin}publications/publication/",
    "/{admin}media_items/mediaitem/",
    "/{admin}auth/user/",
]


def words(count):
    """``count`` distinct words: w0001 w0002 …"""
    return " ".join(f"w{n:04d}" for n in range(1, count + 1))


# Query strings under the 8 KB limit, each hostile in one way, sent to every page type.
QUERIES = {
    "NUL characters": "q=a%00b&kind=%00&author=%00&page=%00&sort=%00&venue=%00&year_min=%00"
    "&activity=%00&type=%00&search=%00&outlet=%00&person=%00&topic=%00&group=%00",
    "invalid UTF-8 and encoded surrogates": "q=%ff%fe%ed%a0%80&kind=%ff&author=%c3&page=%ff"
    "&sort=%ed%a0%80&venue=%ff&search=%ed%b2%80&person=%ff&group=%ff&type=%c0%80",
    "a page far past the end": "page=999999999&activity=999999999",
    "negative pages": "page=-1&activity=-1&page_size=-5",
    "pages that are not numbers": "page=abc&activity=1e9&cursor=%%%garbage",
    "a page number of 5,000 digits": "page=" + "9" * 5000,
    "a huge page size": "page_size=1000000000",
    "long values": "&".join(f"{name}={'x' * 1200}" for name in ("q", "venue", "author", "topic")),
    "hundreds of words": "q=" + words(600).replace(" ", "+"),
    "a repeated filter": "&".join(["kind=preprint"] * 500),
    "more parameters than Django reads": "&".join(["p=1"] * 1100),
    "contradictory filters": "year_min=99999999999999999999&year_max=-9999999999&sort=nope",
}


@pytest.fixture
def everything(public_objects, settings):
    settings.API_ANON_RATE = None  # hundreds of requests from one address
    return public_objects


def sample_urls(objects):
    urls = [public_url(template, objects) for template, _ in PUBLIC_ROUTES.values()]
    urls += [public_url(template, objects) for template in API_ROUTES.values()]
    return [url.split("?")[0] for url in urls]


@pytest.mark.parametrize("case", list(QUERIES))
def test_hostile_query_strings_get_a_4xx_or_a_bounded_page(client, everything, case):
    """Every public page type, feed, export, sitemap and API endpoint as a visitor, and the
    admin's lists as a superuser: no 500 (the test client re-raises any exception)."""
    query = QUERIES[case]
    problems = []
    for url in sample_urls(everything):
        response = client.get(f"{url}?{query}")
        if response.status_code >= 500 or response.status_code in (401, 403, 405):
            problems.append(f"{url}: {response.status_code}")
        elif url.startswith("/api/v1/") and response.status_code == 200:
            body = response.json()
            rows = body.get("results", []) if isinstance(body, dict) else body
            if len(rows) > settings.API_MAX_PAGE_SIZE:
                problems.append(f"{url}: {len(rows)} rows on one page")
    admin = client_for(Client(), "superuser")
    for url in ADMIN_LISTS:
        url = url.format(admin=settings.ADMIN_URL)
        response = admin.get(f"{url}?{query}")
        if response.status_code not in (200, 302, 400):
            problems.append(f"{url}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_megabyte_query_strings_are_refused_on_every_route_before_any_query(
    client, everything, django_assert_max_num_queries
):
    """414 on every page type, the API (in JSON) and the admin, before a query runs."""
    urls = sample_urls(everything) + [u.format(admin=settings.ADMIN_URL) for u in ADMIN_LISTS]
    for url in urls:
        with django_assert_max_num_queries(0):
            response = client.get(url + "?q=" + "a" * 1_000_000)
        assert response.status_code == 414, url
        if url.startswith("/api/"):
            assert "address is longer than 8,000 bytes" in response.json()["detail"]


# -- searches reach the database capped -------------------------------------------------------
def executed_sql(run):
    with CaptureQueriesContext(connection) as queries:
        response = run()
    return response, " ".join(query["sql"] for query in queries.captured_queries)


LAST_USED = f"w{MAX_SEARCH_WORDS:04d}"
FIRST_UNUSED = f"w{MAX_SEARCH_WORDS + 1:04d}"


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=QUERY",
        "/search/?type=papers&q=QUERY",
        "/publications/?q=QUERY",
        "/publications/feed.atom?q=QUERY",
        "/publications/export.bib?q=QUERY",
        "/people/{person}/?q=QUERY",
    ],
)
def test_a_long_search_is_cut_before_it_reaches_the_database(client, public_objects, url):
    PublicationFactory(title=words(3))
    url = public_url(url, public_objects).replace("QUERY", words(1000).replace(" ", "+"))
    response, sql = executed_sql(lambda: client.get(url))
    assert response.status_code == 200
    assert FIRST_UNUSED not in sql and "w0999" not in sql


def test_the_admin_search_uses_its_first_words_and_says_so(staff_client):
    PublicationFactory(title="w0001 w0002 study")
    url = reverse("admin:publications_publication_changelist")
    response, sql = executed_sql(lambda: staff_client.get(url, {"q": words(1000)}))
    assert response.status_code == 200
    assert LAST_USED in sql and FIRST_UNUSED not in sql
    assert f"Searches use at most {MAX_SEARCH_WORDS} words" in response.content.decode()
    # Django's own admins (users here) are bounded the same way.
    response, sql = executed_sql(
        lambda: staff_client.get(reverse("admin:auth_user_changelist"), {"q": words(1000)})
    )
    assert response.status_code == 200 and FIRST_UNUSED not in sql


def test_the_api_refuses_a_search_of_too_many_words_before_any_query(
    api_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = api_client.get("/api/v1/publications/", {"search": words(1000)})
    assert response.status_code == 400
    assert f"Use at most {MAX_SEARCH_WORDS} words" in response.json()["search"][0]
    assert api_client.get("/api/v1/publications/", {"search": words(3)}).status_code == 200


@pytest.fixture
def api_client(settings):
    settings.API_ANON_RATE = None
    return APIClient()


# -- query counts do not grow with the input --------------------------------------------------
def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize("url", ["/publications/", "/media/", "/people/", "/topics/"])
def test_a_page_far_past_the_end_is_the_last_page_at_the_same_cost(client, url):
    for _ in range(3):
        AuthorshipFactory(position=1)
    first = query_count(client, url)
    assert query_count(client, f"{url}?page=999999999") <= first + 1
    response = client.get(f"{url}?page=999999999")
    assert "There is no page 999,999,999" in response.content.decode()


def test_a_filter_repeated_five_hundred_times_costs_what_one_does(client):
    PublicationFactory.create_batch(3)
    once = query_count(client, "/publications/?kind=preprint")
    assert query_count(client, "/publications/?" + "&".join(["kind=preprint"] * 500)) == once


def test_too_many_parameters_get_a_400_that_says_why(client, api_client):
    query = "&".join(["p=1"] * 1100)
    page = client.get(f"/publications/?{query}")
    assert page.status_code == 400
    assert "more parameters or form fields than this site accepts" in page.content.decode()
    api = api_client.get(f"/api/v1/publications/?{query}")
    assert api.status_code == 400
    assert api.json()["detail"] == "More than 1,000 query parameters or fields."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=999999999", "Invalid page."),
        ("page=-1", "greater than or equal to 1"),
        ("page=abc", "A whole number is required."),
        ("page_size=1000000000", "less than or equal to 100"),
        ("cursor=abc", "Unknown query parameter."),
    ],
)
def test_api_pagination_refuses_what_it_cannot_serve(api_client, query, message):
    response = api_client.get(f"/api/v1/people/?{query}")
    assert response.status_code in (400, 404)
    assert message in json.dumps(response.json())


# -- big and hostile bodies -------------------------------------------------------------------
def too_large_header():
    """A Content-Length over the limit with a tiny body: refused on the header alone."""
    return {"CONTENT_LENGTH": str(settings.MAX_REQUEST_BODY_BYTES + 1)}


@pytest.mark.parametrize("role", ["anonymous", "superuser"])
def test_a_body_over_the_limit_is_refused_before_it_is_read(client, role):
    client = client_for(client, role)
    admin_form = reverse("admin:media_items_outlet_add")
    for url in ("/publications/", admin_form, reverse("admin:publications_publication_import")):
        response = client.post(url, {"name": "x"}, **too_large_header())
        assert response.status_code == 413, url
        assert "this site accepts at most 10.0\xa0MB" in response.content.decode()
    response = client.post("/api/v1/outlets/", {"name": "x"}, **too_large_header())
    assert response.status_code == 413
    assert "at most 10.0\xa0MB is accepted" in response.json()["detail"]
    assert not Outlet.objects.exists()


def test_a_huge_import_file_gets_the_limit_and_the_command_to_use(staff_client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 50_000
    upload = SimpleUploadedFile("huge.bib", b"@misc{a, title={A}}\n" * 5000)
    response = staff_client.post(reverse("admin:publications_publication_import"), {"file": upload})
    assert response.status_code == 413
    assert "manage.py import_papers FILE" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_an_import_of_too_many_records_is_refused_whole(staff_client, settings):
    """The page bounds its work by records as well as bytes; the command has no limit."""
    settings.IMPORT_MAX_RECORDS = 5
    text = "".join(f"@misc{{k{n}, title={{Paper {n}}}, year={{2020}}}}\n" for n in range(50))
    response = staff_client.post(reverse("admin:publications_publication_import"), {"text": text})
    assert response.status_code == 200
    assert "more than 5 records, the most one import here may hold" in response.content.decode()
    assert "token" not in response.context or not response.context["token"]
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, '{"a":' * 5000 + "1" + "}" * 5000],
    ids=["nested lists", "nested objects"],
)
def test_deeply_nested_json_is_refused_by_the_importer_and_the_api(staff_client, text):
    page = staff_client.post(reverse("admin:publications_publication_import"), {"text": text})
    assert page.status_code == 200
    assert f"nested more than {MAX_JSON_DEPTH} levels" in page.content.decode()
    api = client_for(APIClient(), "superuser")
    response = api.generic("POST", "/api/v1/outlets/", text, content_type="application/json")
    assert response.status_code == 400
    assert f"nested more than {MAX_JSON_DEPTH} levels" in response.json()["detail"]
    assert not Publication.objects.exists() and not Outlet.objects.exists()


def test_a_json_body_over_djangos_limit_is_a_413_in_json():
    api = client_for(APIClient(), "superuser")
    body = json.dumps({"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = api.generic("POST", "/api/v1/outlets/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "The request body is larger than 2.5\xa0MB, the most the API reads."
    )
    assert not Outlet.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "x" * 3_000_000}, "a form larger than it accepts"),
        ({f"field{n}": "x" for n in range(1500)}, "more parameters or form fields"),
    ],
    ids=["a 3 MB form", "1,500 fields"],
)
def test_an_oversized_admin_form_is_a_400_that_says_why(staff_client, data, message):
    response = staff_client.post(reverse("admin:media_items_outlet_add"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Outlet.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ('{"name": "bad \\ud800", "slug": "s"}', "name", "Surrogate characters are not allowed"),
        ('{"name": "a\\u0000b", "slug": "s"}', "name", "Null characters are not allowed"),
        ('{"name": "ok", "slug": "\\udfff"}', "slug", "Surrogate characters are not allowed"),
    ],
)
def test_api_writes_refuse_nul_and_surrogates_with_the_reason(body, field, message):
    api = client_for(APIClient(), "superuser")
    response = api.generic("POST", "/api/v1/outlets/", body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Outlet.objects.exists()


@pytest.mark.parametrize(
    ("name", "saved"),
    [("a%00b", False), ("bad%ED%A0%80bytes", True), ("%FF%FE", True)],
    ids=["NUL", "an encoded surrogate", "invalid UTF-8"],
)
def test_admin_forms_take_raw_hostile_bytes_without_failing(staff_client, name, saved):
    """Form bodies as a hostile client sends them: NUL is refused with the reason; bytes
    that are not UTF-8 arrive as U+FFFD replacement characters, never as surrogates."""
    body = f"name={name}&slug=s1&kind=podcast"
    response = staff_client.generic(
        "POST",
        reverse("admin:media_items_outlet_add"),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == (302 if saved else 200)
    if saved:
        assert "\ufffd" in Outlet.objects.get().name
    else:
        assert "Null characters are not allowed." in response.content.decode()
        assert not Outlet.objects.exists()


# -- the import command: no size limit, the same refusals -------------------------------------
@pytest.fixture
def run_command(tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    def run(text):
        path = tmp_path / "papers.txt"
        path.write_text(text)
        out = StringIO()
        try:
            call_command("import_papers", str(path), stdout=out, stderr=out)
        except CommandError as error:
            return str(error) + out.getvalue()
        return out.getvalue()

    return run


def test_the_command_imports_what_the_admin_page_may_not(run_command, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    settings.IMPORT_MAX_RECORDS = 5
    text = "".join(f"@misc{{k{n}, title={{Paper {n}}}, year={{2020}}}}\n" for n in range(50))
    output = run_command(text)
    assert re.search(r"created +50\n", output)
    assert Publication.objects.count() == 50


def test_the_command_refuses_deeply_nested_json_with_the_reason(run_command):
    output = run_command("[" * 100_000 + "]" * 100_000)
    assert f"malformed JSON: nested more than {MAX_JSON_DEPTH} levels" in output
    assert "nothing was written" in output
    assert not Publication.objects.exists()
