"""The admin and the API docs work in a real browser under the Content-Security-Policy:
a blocked script or style shows as a console error, which fails the test."""

import pytest
from django.urls import reverse

from publications.models import Publication
from tests.factories import SuperuserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"


def test_admin_login_and_editing_under_the_csp(demo, open_tab):
    SuperuserFactory(username="ada", password=PASSWORD)
    paper = Publication.objects.order_by("pk").first()
    tab = open_tab("desktop")
    tab.goto(reverse("admin:login"))
    tab.page.fill("#id_username", "ada")
    tab.page.fill("#id_password", PASSWORD)
    tab.page.click("input[type=submit]")
    tab.page.wait_for_url("**" + reverse("admin:index"))
    for path in (
        reverse("admin:publications_publication_changelist"),
        reverse("admin:publications_publication_change", args=[paper.pk]),
        reverse("admin:publications_publication_add"),
    ):
        response = tab.goto(path)
        assert "Content-Security-Policy" in {name.title() for name in response.headers}
    # The admin's own scripts ran: the inline formsets got their "Add another" links.
    assert tab.page.locator(".add-row a").count() > 0
    tab.assert_no_errors()


def test_api_docs_render_under_the_csp(open_tab):
    tab = open_tab("desktop")
    response = tab.goto("/api/docs/")
    assert "'nonce-" in response.headers["content-security-policy"]
    # Swagger UI's set-up script (inline, with the nonce) ran and loaded the schema.
    tab.page.wait_for_selector(".swagger-ui .info .title")
    assert "API" in tab.page.inner_text(".swagger-ui .info .title")
    tab.page.wait_for_selector(".opblock-tag")
    # The browsable API (DRF's HTML pages) too.
    tab.goto("/api/v1/publications/")
    tab.page.wait_for_selector("pre.prettyprint")
    tab.assert_no_errors()


def test_a_script_without_the_nonce_is_blocked(open_tab, live_server):
    """The checks above can fail: an inline script without the nonce does not run and is
    reported on the console."""
    tab = open_tab("desktop")
    tab.goto("/api/docs/")
    tab.page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    assert tab.page.evaluate("() => window.__ran === true") is False
    assert any("Content Security Policy" in error for error in tab.errors)
