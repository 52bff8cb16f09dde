import pytest

from publications.identifiers import (
    arxiv_id_from_doi,
    normalize_arxiv_id,
    normalize_doi,
    split_arxiv_id,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1093/MIND/LIX.236.433", "10.1093/mind/lix.236.433"),
        ("https://doi.org/10.1000/ABC", "10.1000/abc"),
        ("http://dx.doi.org/10.1000/abc", "10.1000/abc"),
        ("doi:10.1000/abc", "10.1000/abc"),
        ("not a doi", ""),
        ("", ""),
    ],
)
def test_normalize_doi(raw, expected):
    assert normalize_doi(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2401.05566", ("2401.05566", None)),
        ("arXiv:2401.05566v2", ("2401.05566", 2)),
        ("https://arxiv.org/abs/1906.01820v3", ("1906.01820", 3)),
        ("https://arxiv.org/pdf/1906.01820.pdf", ("1906.01820", None)),
        ("hep-th/9901001", ("hep-th/9901001", None)),
        ("hep-th/9901001v1", ("hep-th/9901001", 1)),
        ("10.48550/arXiv.2401.05566", ("2401.05566", None)),
        ("Sleeper Agents", ("", None)),
    ],
)
def test_split_arxiv_id(raw, expected):
    assert split_arxiv_id(raw) == expected


def test_arxiv_doi_names_the_arxiv_id():
    assert arxiv_id_from_doi("10.48550/ARXIV.2401.05566") == "2401.05566"
    assert arxiv_id_from_doi("10.1000/abc") == ""
    assert normalize_arxiv_id("arXiv:2401.05566v1") == "2401.05566"
