"""``build_site``: the demo as static files, under a base URL, incremental and atomic."""

import datetime
import json
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from profiles.models import Person
from publications.models import Publication
from showcase.static_site import BuildError, build_site
from showcase.static_site import render as render_module
from tests.factories import PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db

BASE = "https://research.example.org/"


def files_of(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_the_demo_as_files(demo, tmp_path):
    site = tmp_path / "site"
    paper = Publication.objects.published().order_by("slug").first()
    result = build_site(site, base_url=BASE)

    assert result.pages > 100 and result.written > result.pages
    assert b"</html>" in (site / "index.html").read_bytes()
    assert (site / "people/evan-hubinger/index.html").is_file()
    assert (site / "people/evan-hubinger/feed.atom").read_bytes().startswith(b"<?xml")
    assert (site / "people/evan-hubinger/publications.bib").read_bytes().startswith(b"@")
    paper_page = (site / f"publications/{paper.slug}/index.html").read_text()
    assert paper.title.split(":")[0] in paper_page
    for fmt in ("bib", "ris", "json"):
        assert (site / f"publications/{paper.slug}/cite.{fmt}").is_file()
        assert (site / f"publications/export.{fmt}").is_file()
    assert (site / "publications/feed.atom").is_file()
    assert (site / "media/feed.atom").is_file()
    assert b"<sitemapindex" in (site / "sitemap.xml").read_bytes()
    assert (
        b"Sitemap: https://research.example.org/sitemap.xml" in (site / "robots.txt").read_bytes()
    )

    permalink = (site / f"r/{paper.stable_id}/index.html").read_text()
    target = f"https://research.example.org/publications/{paper.slug}/"
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in permalink
    assert f'<link rel="canonical" href="{target}">' in permalink
    assert f'<a href="{target}">' in permalink

    assert (site / "404.html").is_file()
    assert list((site / "static/css").glob("site.*.css"))
    assert (site / "static/staticfiles.json").is_file()
    assert not list(tmp_path.glob(".site.*"))  # no staging folder left behind


def test_drafts_scheduled_and_expired_stay_out(demo, tmp_path):
    now = timezone.now()
    hidden = [
        PublicationFactory(title="A draft nobody may read", is_published=False),
        PublicationFactory(
            title="A paper for next year", publish_at=now + datetime.timedelta(days=30)
        ),
        PublicationFactory(
            title="A withdrawn paper", unpublish_at=now - datetime.timedelta(days=1)
        ),
    ]
    site = tmp_path / "site"
    build_site(site, base_url=BASE)

    everything = b"".join(files_of(site).values())
    for paper in hidden:
        assert paper.title.encode() not in everything
        assert paper.stable_id.encode() not in everything
        assert not (site / "publications" / paper.slug).exists()


def test_old_slugs_redirect(demo, tmp_path):
    paper = Publication.objects.published().order_by("slug").first()
    old = paper.slug
    paper.slug = "a-new-slug"
    paper.save()
    site = tmp_path / "site"
    build_site(site, base_url=BASE)

    page = (site / f"publications/{old}/index.html").read_text()
    assert 'url=https://research.example.org/publications/a-new-slug/"' in page
    assert (site / "publications/a-new-slug/index.html").is_file()


def test_under_a_base_url_every_link_has_the_prefix(demo, tmp_path):
    site = tmp_path / "site"
    build_site(site, base_url="https://user.github.io/site/")

    home = (site / "index.html").read_text()
    assert 'href="/site/people/"' in home
    assert 'href="/people/' not in home
    assert '<link rel="stylesheet" href="/site/static/css/site.' in home
    assert "/static/" not in home.replace("/site/static/", "")
    profile = (site / "people/evan-hubinger/index.html").read_text()
    assert '<link rel="canonical" href="https://user.github.io/site/people/evan-hubinger/">' in (
        profile
    )
    feed = (site / "publications/feed.atom").read_text()
    assert "<id>https://user.github.io/site/publications/</id>" in feed
    sitemap = (site / "sitemap-people.xml").read_text()
    assert "<loc>https://user.github.io/site/people/evan-hubinger/</loc>" in sitemap
    assert "Sitemap: https://user.github.io/site/sitemap.xml" in (site / "robots.txt").read_text()


def test_a_second_build_writes_nothing_and_a_deleted_paper_goes(demo, tmp_path):
    site = tmp_path / "site"
    first = build_site(site, base_url=BASE)
    before = {path: path.stat().st_mtime_ns for path in site.rglob("*") if path.is_file()}

    second = build_site(site, base_url=BASE)
    assert (second.written, second.deleted) == (0, 0)
    assert second.unchanged == first.written and second.pages == first.pages
    after = {path: path.stat().st_mtime_ns for path in site.rglob("*") if path.is_file()}
    after.pop(site / ".static-site.json")
    before.pop(site / ".static-site.json")
    assert after == before

    paper = Publication.objects.published().order_by("slug").first()
    paper.delete()
    third = build_site(site, base_url=BASE)
    assert third.deleted >= 4  # the page, three citations, the permalink
    assert not (site / "publications" / paper.slug).exists()
    assert not (site / "r" / paper.stable_id).exists()
    assert third.written >= 1  # the lists, feeds and exports that showed it


def test_a_failed_build_leaves_the_folder_as_it_was(demo, tmp_path, monkeypatch):
    site = tmp_path / "site"
    build_site(site, base_url=BASE)
    before = files_of(site)
    paper = Publication.objects.published().order_by("slug").first()
    paper.title = "A title the failed build must not publish"
    paper.save()

    real_render = render_module._get

    def failing(client, path, expected):
        if path == "/people/evan-hubinger/":
            raise render_module.RenderError(f"{path}: RuntimeError: boom")
        return real_render(client, path, expected)

    monkeypatch.setattr(render_module, "_get", failing)
    with pytest.raises(BuildError, match="/people/evan-hubinger/: RuntimeError: boom"):
        build_site(site, base_url=BASE)

    assert files_of(site) == before
    assert [path.name for path in tmp_path.iterdir()] == ["site"]


def test_a_page_that_raises_names_its_url(demo, tmp_path, monkeypatch):
    from showcase import views

    def boom(self, *args, **kwargs):
        raise RuntimeError("the template broke")

    monkeypatch.setattr(views.PersonDetailView, "get", boom)
    site = tmp_path / "site"
    with pytest.raises(BuildError, match=r"/people/[a-z-]+/: RuntimeError: the template broke"):
        build_site(site, base_url=BASE)
    assert not site.exists()
    assert list(tmp_path.iterdir()) == []


def test_uploaded_photos_shown_on_pages_are_copied(demo, tmp_path):
    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (32, 32), (200, 40, 40)).save(buffer, "PNG")
    shown = Person.objects.published().get(slug="evan-hubinger")
    shown.photo.save("shown.png", ContentFile(buffer.getvalue()))
    hidden = PersonFactory(name="Draft Person", is_published=False)
    hidden.photo.save("hidden.png", ContentFile(buffer.getvalue()))
    site = tmp_path / "site"
    build_site(site, base_url="https://user.github.io/site/")

    assert (
        f'/site/media-files/{shown.photo.name}"'.encode()
        in (site / "people/evan-hubinger/index.html").read_bytes()
    )
    assert (site / "media-files" / shown.photo.name).read_bytes() == buffer.getvalue()
    assert not (site / "media-files" / hidden.photo.name).exists()


def test_a_foreign_folder_is_refused(db, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(BuildError, match="not empty and holds no previous build"):
        build_site(tmp_path, base_url=BASE)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_the_command_prints_json(demo, tmp_path):
    out = StringIO()
    call_command("build_site", str(tmp_path / "site"), "--base-url", BASE, "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert list(figures) == ["pages", "written", "unchanged", "deleted", "seconds"]
    assert figures["pages"] > 100 and figures["unchanged"] == figures["deleted"] == 0

    out = StringIO()
    call_command("build_site", str(tmp_path / "site"), "--base-url", BASE, stdout=out)
    assert f"{figures['pages']} pages in " in out.getvalue()
    assert f": 0 files written, {figures['written']} unchanged, 0 deleted." in out.getvalue()

    with pytest.raises(CommandError, match="--base-url must be an http"):
        call_command("build_site", str(tmp_path / "x"), "--base-url", "ftp://example.org/")
