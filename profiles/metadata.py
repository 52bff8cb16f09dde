"""What a profile page tells machines: schema.org ``ProfilePage``/``Person``, the
description and photo of its cards (``core.http.metadata``)."""

from core.http.metadata import SCHEMA, PageMetadata, is_live, plain, register
from core.http.site_url import absolute_url

from .models import Person

IDENTIFIER_URLS = (
    ("orcid", "https://orcid.org/{}"),
    ("google_scholar_id", "https://scholar.google.com/citations?user={}"),
    ("semantic_scholar_id", "https://www.semanticscholar.org/author/{}"),
    ("dblp_id", "https://dblp.org/pid/{}"),
    ("openalex_id", "https://openalex.org/{}"),
    ("arxiv_author_id", "https://arxiv.org/a/{}"),
)
# Profile links that are the same person elsewhere (not an email, a post, a paper).
SAME_AS_LINK_KINDS = {
    "website",
    "github",
    "x",
    "bluesky",
    "mastodon",
    "linkedin",
    "lesswrong",
    "alignment_forum",
    "google_scholar",
    "orcid",
    "semantic_scholar",
    "dblp",
}


def person_same_as(person):
    """URLs of the same person elsewhere: identifiers first, then profile links."""
    urls = []
    for field, template in IDENTIFIER_URLS:
        value = (getattr(person, field, "") or "").strip()
        if value:
            urls.append(
                value if value.startswith(("http://", "https://")) else template.format(value)
            )
    for link in person.links.all():
        if link.url and link.kind in SAME_AS_LINK_KINDS:
            urls.append(link.url)
    return list(dict.fromkeys(urls))


def organization_json_ld(org, request):
    data = {"@type": "Organization", "name": org.name}
    if org.url:
        data["url"] = org.url
    return data


def person_json_ld(person, request):
    """A ``ProfilePage`` whose main entity is the ``Person``."""
    url = absolute_url(request, person.get_absolute_url())
    data = {"@type": "Person", "@id": url + "#person", "name": person.name, "url": url}
    if person.headline:
        data["description"] = person.headline
    if person.photo:
        data["image"] = absolute_url(request, person.photo.url)
    if person.public_email:
        data["email"] = f"mailto:{person.public_email}"
    affiliations = [a for a in person.affiliations.all() if is_live(a.organization)]
    current = [a for a in affiliations if a.is_current]
    previous = [a for a in affiliations if not a.is_current]
    if current:
        data["worksFor"] = [organization_json_ld(a.organization, request) for a in current]
        roles = [a.role for a in current if a.role]
        if roles:
            data["jobTitle"] = roles[0]
    if previous:
        data["alumniOf"] = [organization_json_ld(a.organization, request) for a in previous]
    same_as = person_same_as(person)
    if same_as:
        data["sameAs"] = same_as
    if person.orcid:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "ORCID",
            "value": person.orcid,
        }
    return {
        "@context": SCHEMA,
        "@type": "ProfilePage",
        "url": url,
        "dateCreated": person.created_at.isoformat(),
        "dateModified": person.updated_at.isoformat(),
        "mainEntity": data,
    }


class PersonMetadata(PageMetadata):
    og_type = "profile"

    def description(self, person):
        return plain(person.headline or person.bio)

    def json_ld(self, person, request):
        return person_json_ld(person, request)

    def image(self, person, request):
        return absolute_url(request, person.photo.url) if person.photo else ""


register(Person, PersonMetadata())
