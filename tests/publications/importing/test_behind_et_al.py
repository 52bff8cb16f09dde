"""Imports and authors behind “et al.”: an import for a person places them there when a
truncated list does not name them, never drops them, and a fuller list that names them
takes them in at their position."""

import json

import pytest

from publications.models import Authorship, Publication
from tests import factories

pytestmark = pytest.mark.django_db

TRUNCATED = """@article{grosse2023,
  title = {Studying Large Language Model Generalization with Influence Functions},
  author = {Grosse, Roger and Bae, Juhan and Anil, Cem and others},
  year = {2023},
  eprint = {2308.03296},
  archivePrefix = {arXiv},
}
"""

COMPLETE_WITHOUT_HIM = """@article{benton2024,
  title = {Sabotage Evaluations for Frontier Models},
  author = {Benton, Joe and Wagner, Misha},
  year = {2024},
}
"""

FULL_LIST = """@article{grosse2023full,
  title = {Studying Large Language Model Generalization with Influence Functions},
  author = {Grosse, Roger and Bae, Juhan and Anil, Cem and Elhage, Nelson and Hubinger, Evan},
  year = {2023},
  eprint = {2308.03296},
  archivePrefix = {arXiv},
}
"""


@pytest.fixture
def evan():
    return factories.PersonFactory(name="Evan Hubinger", slug="evan-hubinger")


def write(tmp_path, text, name="papers.bib"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def authors(paper):
    return [(a.position, a.name, a.person_id) for a in paper.authorships.all()]


def test_person_is_placed_behind_et_al_of_a_truncated_list(run_import, tmp_path, evan):
    path = write(tmp_path, TRUNCATED)

    dry = run_import("--person", "evan-hubinger", "--dry-run", path)
    assert dry.code == 0, dry
    assert "author behind “et al.”" in dry.out
    assert not Publication.objects.exists()

    result = run_import("--person", "evan-hubinger", "--json", path)
    assert result.code == 0, result
    assert json.loads(result.out)["created"] == 1
    paper = Publication.objects.get()
    assert authors(paper) == [
        (1, "Roger Grosse", None),
        (2, "Juhan Bae", None),
        (3, "Cem Anil", None),
        (None, "Evan Hubinger", evan.pk),
    ]

    again = run_import("--person", "evan-hubinger", "--json", path)
    assert json.loads(again.out)["unchanged"] == 1
    assert Authorship.objects.filter(person=evan).count() == 1


def test_an_existing_paper_gets_him_behind_et_al_as_an_update(run_import, tmp_path, evan):
    path = write(tmp_path, TRUNCATED)
    assert run_import(path).code == 0
    assert not Authorship.objects.filter(person=evan).exists()
    result = run_import("--person", "evan-hubinger", "--json", path)
    assert json.loads(result.out)["updated"] == 1
    assert Authorship.objects.get(person=evan).position is None


def test_a_complete_list_without_him_is_noted_not_changed(run_import, tmp_path, evan):
    result = run_import("--person", "evan-hubinger", write(tmp_path, COMPLETE_WITHOUT_HIM))
    assert result.code == 0, result
    assert "Evan Hubinger is not among the authors of this paper" in result.out + result.err
    assert not Authorship.objects.filter(person=evan).exists()


def test_a_replaced_author_list_keeps_the_authors_behind_et_al(run_import, tmp_path, evan):
    paper = factories.PublicationFactory(
        title="Studying Large Language Model Generalization with Influence Functions",
        arxiv_id="2308.03296",
        has_more_authors=True,
    )
    factories.AuthorshipFactory(publication=paper, position=1, name="R. Grosse")
    factories.AuthorshipFactory(publication=paper, position=None, name=evan.name, person=evan)

    result = run_import("--overwrite", write(tmp_path, TRUNCATED))

    assert result.code == 0, result
    assert authors(paper) == [
        (1, "Roger Grosse", None),
        (2, "Juhan Bae", None),
        (3, "Cem Anil", None),
        (None, "Evan Hubinger", evan.pk),
    ]


def test_a_fuller_list_that_names_him_takes_him_in_at_his_position(run_import, tmp_path, evan):
    assert run_import("--person", "evan-hubinger", write(tmp_path, TRUNCATED)).code == 0
    paper = Publication.objects.get()

    result = run_import(write(tmp_path, FULL_LIST, "full.bib"))

    assert result.code == 0, result
    assert authors(paper)[-1] == (5, "Evan Hubinger", evan.pk)
    assert not Authorship.objects.filter(position__isnull=True).exists()
    paper.refresh_from_db()
    assert paper.has_more_authors is False
