"""Online sources as one request: arXiv ids, DOIs, an ORCID iD, a Semantic Scholar or an
OpenAlex author id, fetched (``fetch``) into ``Source``s for ``service.import_papers``.
The admin import page calls ``fetch_online`` with its own client; the command calls
``fetch_request``.
"""

import time
from dataclasses import dataclass, field

from django.conf import settings

from profiles.models import Person

from . import fetch


@dataclass
class OnlineRequest:
    arxiv: list[str] = field(default_factory=list)
    dois: list[str] = field(default_factory=list)
    orcid: str = ""
    s2_author: str = ""
    openalex_author: str = ""

    def __bool__(self):
        return bool(self.arxiv or self.dois or self.orcid or self.s2_author or self.openalex_author)

    def label(self) -> str:
        """What was asked, for the import run's source: ``arxiv:2401.05566, orcid:…``."""
        parts = [f"arxiv:{item}" for item in self.arxiv] + [f"doi:{item}" for item in self.dois]
        for prefix, value in (
            ("orcid", self.orcid),
            ("s2-author", self.s2_author),
            ("openalex-author", self.openalex_author),
        ):
            if value:
                parts.append(f"{prefix}:{value}")
        return ", ".join(parts)


@dataclass
class Fetched(fetch.Fetched):
    # The profile the author ids name (ORCID, then Semantic Scholar, then OpenAlex).
    person: Person | None = None


def _last_part(value: str) -> str:
    return value.strip().rsplit("/", 1)[-1]


def fetch_online(request: OnlineRequest, client: fetch.Fetcher, *, people=None) -> Fetched:
    """Fetch everything ``request`` names. Raises ``fetch.FetchError`` (naming the source)
    when a source cannot be reached or refuses: then nothing is imported. ``people``
    (default: everyone) are those an author id may name as the profile of the import."""
    people = Person.objects.all() if people is None else people
    result = Fetched()
    parts = []
    if request.arxiv:
        parts.append(fetch.fetch_arxiv(request.arxiv, client))
    if request.dois:
        parts.append(fetch.fetch_dois(request.dois, client))
    if request.orcid:
        parts.append(fetch.fetch_orcid(request.orcid, client))
        result.person = people.filter(orcid=_last_part(request.orcid)).first()
    if request.s2_author:
        api_key = getattr(settings, "SEMANTIC_SCHOLAR_API_KEY", "")
        parts.append(fetch.fetch_s2_author(request.s2_author, client, api_key))
        result.person = (
            result.person or people.filter(semantic_scholar_id=request.s2_author.strip()).first()
        )
    if request.openalex_author:
        mailto = getattr(settings, "SITE_CONTACT", "")
        parts.append(fetch.fetch_openalex_author(request.openalex_author, client, mailto))
        result.person = (
            result.person or people.filter(openalex_id=_last_part(request.openalex_author)).first()
        )
    for part in parts:
        result.sources += part.sources
        result.problems += part.problems
    return result


def fetch_request(request: OnlineRequest, *, opener=None, sleep=time.sleep) -> Fetched:
    """``fetch_online`` with the command line's client (default retries; ``opener`` and
    ``sleep`` replace the network and the waits in tests). An empty request fetches
    nothing."""
    if not request:
        return Fetched()
    return fetch_online(request, fetch.Fetcher(opener=opener, sleep=sleep))
