"""A name typed in a paper's author rows, with no person chosen, is linked to the one
person known by that name or a name variant (the importer's rule), and the editor is
told; when several people are known by it, nothing is guessed and the editor is asked."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from publications.models import Authorship
from tests.admin.forms import change_form_data
from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory, StaffFactory

pytestmark = pytest.mark.django_db


def change_url(paper):
    return reverse("admin:publications_publication_change", args=[paper.pk])


def add_rows(page, *rows, **changes):
    """The change form as shown, plus new author rows ``(position, name[, person])``."""
    data = change_form_data(page, **changes)
    start = int(data["authorships-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        prefix = f"authorships-{start + offset}-"
        data[prefix + "position"] = str(row[0])
        data[prefix + "name"] = row[1]
        if len(row) > 2:
            data[prefix + "person"] = str(row[2].pk)
    data["authorships-TOTAL_FORMS"] = str(start + len(rows))
    return data


def saved(client, paper, data):
    response = client.post(change_url(paper), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_typed_name_variant_links_the_one_person_known_by_it(staff_client):
    jane = PersonFactory(name="Jane Coauthor", name_variants="A. Coauthor\nJ. Coauthor")
    PersonFactory(name="Adam Coauthor")  # another Coauthor: a different spelling
    paper = PublicationFactory()
    notes = saved(
        staff_client, paper, add_rows(staff_client.get(change_url(paper)), (1, "A. Coauthor"))
    )
    row = Authorship.objects.get(publication=paper)
    assert row.person == jane and row.name == "A. Coauthor"  # the name as written stays
    assert "Linked “A. Coauthor” to Jane Coauthor." in notes


def test_case_accents_and_punctuation_do_not_matter(staff_client):
    jose = PersonFactory(name="José Müller-Lyer")
    paper = PublicationFactory()
    page = staff_client.get(change_url(paper))
    saved(staff_client, paper, add_rows(page, (1, "JOSE MULLER LYER")))
    assert Authorship.objects.get(publication=paper).person == jose


def test_several_people_known_by_the_name_are_not_guessed_the_editor_is_asked(staff_client):
    PersonFactory(name="Jane Smith", slug="jane-smith", name_variants="J. Smith")
    PersonFactory(name="John Smith", slug="john-smith", name_variants="J. Smith")
    paper = PublicationFactory()
    notes = saved(
        staff_client, paper, add_rows(staff_client.get(change_url(paper)), (1, "J. Smith"))
    )
    assert Authorship.objects.get(publication=paper).person is None
    assert (
        "“J. Smith” could be Jane Smith (jane-smith) or John Smith (john-smith): not linked. "
        "Choose one in the Person column." in notes
    )


def test_rows_left_as_they_were_and_people_cleared_on_purpose_are_not_linked(staff_client):
    ada = PersonFactory(name="Ada Lovelace")
    paper = PublicationFactory()
    AuthorshipFactory(publication=paper, position=1, name="Ada Lovelace", person=None)
    cleared = AuthorshipFactory(publication=paper, position=2, name="A. Lovelace", person=ada)
    page = staff_client.get(change_url(paper))
    data = change_form_data(page)
    data["authorships-1-person"] = ""  # the editor clears it
    notes = saved(staff_client, paper, data)
    assert Authorship.objects.get(publication=paper, position=1).person is None
    cleared.refresh_from_db()
    assert cleared.person is None
    assert not [note for note in notes if "Linked" in note]


def test_a_changed_name_is_linked(staff_client):
    ada = PersonFactory(name="Ada Lovelace")
    paper = PublicationFactory()
    AuthorshipFactory(publication=paper, position=1, name="A. Lovelac", person=None)
    page = staff_client.get(change_url(paper))
    notes = saved(
        staff_client, paper, change_form_data(page, **{"authorships-0-name": "Ada Lovelace"})
    )
    assert Authorship.objects.get(publication=paper).person == ada
    assert "Linked “Ada Lovelace” to Ada Lovelace." in notes


def test_a_person_already_an_author_is_not_linked_twice(staff_client):
    ada = PersonFactory(name="Ada Lovelace", name_variants="A. Lovelace")
    paper = PublicationFactory()
    page = staff_client.get(change_url(paper))
    data = add_rows(page, (1, "Ada Lovelace", ada), (2, "A. Lovelace"))
    notes = saved(staff_client, paper, data)
    rows = list(Authorship.objects.filter(publication=paper).order_by("position"))
    assert [row.person for row in rows] == [ada, None]
    assert (
        "“A. Lovelace” is Ada Lovelace, who is already an author of this paper: not linked."
        in notes
    )


def test_a_draft_person_is_linked_only_by_those_who_may_see_people(client):
    PersonFactory(name="Hidden Hire", is_published=False)
    public = PersonFactory(name="Known Author")
    user = StaffFactory()
    for codename in (
        "view_publication",
        "change_publication",
        "view_authorship",
        "add_authorship",
        "change_authorship",
    ):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    paper = PublicationFactory()
    page = client.get(change_url(paper))
    notes = saved(client, paper, add_rows(page, (1, "Hidden Hire"), (2, "Known Author")))
    rows = list(Authorship.objects.filter(publication=paper).order_by("position"))
    assert [row.person for row in rows] == [None, public]
    assert not [note for note in notes if "Hidden Hire" in note and "Linked" in note]
