"""API nested writes check every object they touch (issue 13, finding 5).

Rows written inside another object (a paper's authors, a media item's appearances and
key points) need their own permissions, as they do in the admin's inlines; related
objects given by slug are looked up among what the writer may see, so a draft the writer
may not see answers exactly as an unknown slug does: nothing linked, nothing revealed.
"""

import pytest
from django.contrib.auth.models import Permission

from media_items.models import MediaItem
from publications.models import Publication
from tests.api.conftest import client_for
from tests.factories import (
    AppearanceFactory,
    AuthorshipFactory,
    EditorFactory,
    KeyPointFactory,
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    PublicationFactory,
    StaffFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def staff_with(*codenames):
    user = StaffFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return client_for(user)


def authors(paper):
    return [(a.name, a.person_id) for a in paper.authorships.order_by("position")]


# -- the rows' own permissions ---------------------------------------------------------------
def test_change_publication_alone_cannot_replace_the_authors():
    paper = PublicationFactory()
    AuthorshipFactory(publication=paper, name="Real Author", position=1)
    client = staff_with("view_publication", "change_publication")
    response = client.patch(
        f"{API}/publications/{paper.slug}/", {"authorships": [{"name": "Mallory"}]}, format="json"
    )
    assert response.status_code == 403
    assert "authorships" in response.json()["detail"]
    assert authors(Publication.objects.get(pk=paper.pk)) == [("Real Author", None)]
    # The paper's own fields stay theirs to change.
    renamed = client.patch(f"{API}/publications/{paper.slug}/", {"title": "Renamed"})
    assert renamed.status_code == 200


def test_adding_a_paper_with_authors_needs_add_authorship():
    body = {"title": "With authors", "authorships": [{"name": "Someone"}]}
    refused = staff_with("add_publication").post(f"{API}/publications/", body, format="json")
    assert refused.status_code == 403
    assert not Publication.objects.filter(title="With authors").exists()
    allowed = staff_with("add_publication", "add_authorship")
    assert allowed.post(f"{API}/publications/", body, format="json").status_code == 201


def test_replacing_authors_needs_add_change_and_delete_authorship():
    paper = PublicationFactory()
    AuthorshipFactory(publication=paper, name="Real Author", position=1)
    body = {"authorships": [{"name": "New Author"}]}
    url = f"{API}/publications/{paper.slug}/"
    partial = staff_with("change_publication", "add_authorship", "change_authorship")
    assert partial.patch(url, body, format="json").status_code == 403
    full = staff_with(
        "change_publication", "add_authorship", "change_authorship", "delete_authorship"
    )
    assert full.patch(url, body, format="json").status_code == 200
    assert authors(Publication.objects.get(pk=paper.pk)) == [("New Author", None)]


@pytest.mark.parametrize("field", ["appearances", "key_points"])
def test_change_mediaitem_alone_cannot_replace_appearances_or_key_points(field):
    item = MediaItemFactory()
    AppearanceFactory(media_item=item)
    KeyPointFactory(media_item=item, text="Kept", position=0)
    value = [{"person": PersonFactory().slug}] if field == "appearances" else ["Rewritten"]
    client = staff_with("change_mediaitem")
    response = client.patch(f"{API}/media-items/{item.slug}/", {field: value}, format="json")
    assert response.status_code == 403
    item = MediaItem.objects.get(pk=item.pk)
    assert item.appearances.count() == 1
    assert [k.text for k in item.key_points.all()] == ["Kept"]


# -- related objects by slug: a hidden draft is an unknown slug ------------------------------
# What a writer of each type may do with the rows inside it, but nothing on drafts.
WRITERS = {
    "publications": (
        "change_publication",
        *(f"{a}_authorship" for a in ("add", "change", "delete")),
    ),
    "media-items": ("change_mediaitem", *(f"{a}_appearance" for a in ("add", "change", "delete"))),
}
# (route, related object) -> (its factory, the body that links it by slug)
LINKS = {
    ("publications", "author"): (
        PersonFactory,
        lambda slug: {"authorships": [{"name": "A. Author", "person": slug}]},
    ),
    ("publications", "affiliation"): (
        OrganizationFactory,
        lambda slug: {"authorships": [{"name": "A. Author", "affiliations": [slug]}]},
    ),
    ("publications", "topic"): (TopicFactory, lambda slug: {"topics": [slug]}),
    ("publications", "institution"): (OrganizationFactory, lambda slug: {"organizations": [slug]}),
    ("media-items", "guest"): (
        PersonFactory,
        lambda slug: {"appearances": [{"person": slug, "role": "guest"}]},
    ),
    ("media-items", "outlet"): (OutletFactory, lambda slug: {"outlet": slug}),
    ("media-items", "discussed paper"): (PublicationFactory, lambda slug: {"discusses": [slug]}),
    ("media-items", "topic"): (TopicFactory, lambda slug: {"topics": [slug]}),
}


def linked(obj):
    """Everything ``obj`` (a paper or a media item) links to, as counts."""
    relations = ("authorships", "topics", "organizations", "appearances", "discusses")
    counts = [getattr(obj, name).count() for name in relations if hasattr(obj, name)]
    return [*counts, getattr(obj, "outlet_id", None)]


@pytest.mark.parametrize(("route", "related"), list(LINKS))
def test_a_draft_slug_answers_exactly_like_an_unknown_one(route, related):
    factory, body = LINKS[(route, related)]
    obj = PublicationFactory() if route == "publications" else MediaItemFactory(outlet=None)
    before = linked(obj)
    draft = factory(is_published=False, slug="hidden-draft-xq")
    client = staff_with(*WRITERS[route])
    url = f"{API}/{route}/{obj.slug}/"

    def answer(slug):
        response = client.patch(url, body(slug), format="json")
        return f"{response.status_code} {response.json()}"

    assert answer(draft.slug).startswith("400 ")
    assert answer(draft.slug) == answer("hidden-draft-xq-no").replace("xq-no", "xq")
    assert linked(type(obj).objects.get(pk=obj.pk)) == before


def test_who_may_view_drafts_may_link_them():
    editor_api = client_for(EditorFactory())
    paper = PublicationFactory()
    draft = PersonFactory(is_published=False)
    body = {"authorships": [{"name": "Draft Author", "person": draft.slug}]}
    response = editor_api.patch(f"{API}/publications/{paper.slug}/", body, format="json")
    assert response.status_code == 200
    assert authors(Publication.objects.get(pk=paper.pk)) == [("Draft Author", draft.pk)]
