"""Normalizing paper identifiers, so that the same paper matches however it is written."""

import re

_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ARXIV_PREFIXES = re.compile(
    r"^(?:arxiv:\s*|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.IGNORECASE
)
_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(?:v(\d+))?$")
_ARXIV_OLD = re.compile(r"^([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v(\d+))?$", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def normalize_doi(value: str) -> str:
    """“https://doi.org/10.1000/ABC” → “10.1000/abc”; '' when it is not a DOI."""
    value = _DOI_PREFIXES.sub("", (value or "").strip()).strip().rstrip(".")
    return value.lower() if _DOI.match(value) else ""


def split_arxiv_id(value: str) -> tuple[str, int | None]:
    """“arXiv:2401.05566v2” → ("2401.05566", 2); ("", None) when it is not an arXiv id."""
    value = _ARXIV_PREFIXES.sub("", (value or "").strip()).strip()
    value = re.sub(r"\.pdf$", "", value)
    arxiv_doi = _ARXIV_DOI.match(normalize_doi(value) or "")
    if arxiv_doi:
        value = arxiv_doi.group(1)
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.match(value)
        if match:
            version = int(match.group(2)) if match.group(2) else None
            return match.group(1), version
    return "", None


def normalize_arxiv_id(value: str) -> str:
    return split_arxiv_id(value)[0]


def arxiv_id_from_doi(doi: str) -> str:
    """arXiv's own DOIs (10.48550/arXiv.<id>) name an arXiv id, not a separate work."""
    match = _ARXIV_DOI.match(normalize_doi(doi) or "")
    return normalize_arxiv_id(match.group(1)) if match else ""
