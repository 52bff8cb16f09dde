"""The crawl: where features meet, nothing an editor or a visitor can click answers 5xx.

On the demo content and on bench data, after every content object was saved twice in
the admin as an editor would (so every object has versions), every admin URL of every
object (changelist, add, change, history, each version, delete confirmation, preview)
and every public page reachable by links from ``/`` and from the sitemap is fetched as
superuser, editor, staff without permissions and visitor, with DEBUG off. No answer may
be a 5xx and nothing may be logged at ERROR (a traceback).
"""

import contextlib
import logging
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from reversion.models import Version

from core.admin import PublicModelAdmin
from showcase.demo import load_demo
from tests.admin.forms import change_form_data
from tests.factories import EditorFactory, StaffFactory, SuperuserFactory

pytestmark = pytest.mark.django_db

ROLES = ("superuser", "editor", "staff", "visitor")
VARIANTS_PER_PATH = 6  # query strings followed per path: facets combine without end
MAX_PAGES = 1500
SKIPPED_PREFIXES = ("/static/", "/media-files/", f"/{settings.ADMIN_URL}", "/api/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "link"):
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_of(url, response):
    if "html" not in response.get("Content-Type", ""):
        return []
    parser = _Links()
    parser.feed(response.content.decode("utf-8", "replace"))
    found = []
    for href in parser.links:
        absolute = urljoin("http://testserver" + url, href)
        parts = urlsplit(absolute)
        if parts.netloc != "testserver" or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def sitemap_paths(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return [
        urlsplit(loc.text).path
        for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]


def client_for(role):
    client = Client(raise_request_exception=False)
    user = {
        "superuser": SuperuserFactory,
        "editor": EditorFactory,
        "staff": StaffFactory,
        "visitor": None,
    }[role]
    if user is not None:
        client.force_login(user())
    return client


class Crawl:
    def __init__(self, client):
        self.client = client
        self.failures = []
        self.fetched = 0

    def get(self, url):
        response = self.client.get(url)
        self.fetched += 1
        if response.status_code >= 500:
            self.failures.append(f"GET {url}: {response.status_code}")
        return response

    def public(self, start):
        seen, queue, variants = set(), list(dict.fromkeys(start)), Counter()
        while queue and len(seen) < MAX_PAGES:
            url = queue.pop(0)
            if url in seen:
                continue
            path = urlsplit(url).path
            if "?" in url:
                if variants[path] >= VARIANTS_PER_PATH:
                    continue
                variants[path] += 1
            seen.add(url)
            response = self.get(url)
            if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
                queue.append(response["Location"])
            queue.extend(link for link in links_of(url, response) if link not in seen)
        return seen


def admin_urls():
    """Every admin URL of every object: per model its changelist, add, recover list;
    per object change, history, each version, delete confirmation and preview."""
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(f"{prefix}_add"))
        if isinstance(model_admin, PublicModelAdmin):
            urls.append(reverse(f"{prefix}_recoverlist"))
            for version in Version.objects.get_deleted(model):
                urls.append(reverse(f"{prefix}_recover", args=[version.pk]))
        for obj in model._default_manager.all()[:200]:
            pk = obj.pk
            urls += [
                reverse(f"{prefix}_change", args=[pk]),
                reverse(f"{prefix}_history", args=[pk]),
            ]
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"{prefix}_delete", args=[pk]))
            if isinstance(model_admin, PublicModelAdmin):
                urls.append(reverse(f"{prefix}_preview", args=[pk]))
                for version in Version.objects.get_for_object(obj):
                    urls.append(reverse(f"{prefix}_revision", args=[pk, version.pk]))
    for extra in ("admin:publications_publication_import",):
        urls.append(reverse(extra))
    return urls


def save_everything_twice():
    """Post every content object's change form back twice, as an editor would."""
    editor = EditorFactory(username="crawl-editor")
    assert Group.objects.get(name="Editors") in editor.groups.all()
    client = Client(raise_request_exception=True)
    client.force_login(editor)
    refused = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, PublicModelAdmin):
            continue
        opts = model._meta
        for obj in model._default_manager.all():
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            for _ in range(2):
                page = client.get(url)
                response = client.post(url, change_form_data(page))
                if response.status_code != 302:
                    form = response.context["adminform"].form
                    errors = [form.errors] + [
                        formset.formset.errors
                        for formset in response.context["inline_admin_formsets"]
                    ]
                    refused.append(f"{url}: {errors}")
    assert not refused, "saving an unchanged form was refused:\n" + "\n".join(refused)


DATASETS = {
    "demo": lambda: load_demo(),
    "bench": lambda: call_command(
        "generate_bench_data", people=4, publications=16, media=4, verbosity=0
    ),
}


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_nothing_anyone_can_click_is_a_server_error(dataset, caplog):
    DATASETS[dataset]()
    save_everything_twice()
    caplog.set_level(logging.ERROR)
    urls = admin_urls()
    for role in ROLES:
        client = client_for(role)
        crawl = Crawl(client)
        pages = crawl.public(["/", *sitemap_paths(client)])
        for url in urls:
            crawl.get(url)
        errors = [
            f"{record.name}: {record.getMessage()}"
            for record in caplog.records
            if record.levelno >= logging.ERROR
        ]
        assert not crawl.failures, f"as {role}:\n" + "\n".join(crawl.failures)
        assert not errors, f"as {role}:\n" + "\n".join(errors)
        assert len(pages) > 40 and crawl.fetched > 200  # the crawl really went somewhere
