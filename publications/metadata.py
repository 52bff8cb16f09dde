"""What a paper's and a topic's pages tell machines: schema.org ``ScholarlyArticle``
(or ``Book``, ``Thesis``, ``Report``, ``Chapter``) with its authors in order, Google
Scholar's ``citation_*`` tags, a topic's ``CollectionPage`` (``core.http.metadata``)."""

from core.http.metadata import SCHEMA, PageMetadata, is_live, iso_date, plain, register
from core.http.site_url import absolute_url
from profiles.metadata import organization_json_ld

from .models import Publication, Topic


def _author(authorship, request):
    data = {"@type": "Person", "name": authorship.name}
    person = authorship.person
    if is_live(person):
        data["url"] = absolute_url(request, person.get_absolute_url())
        if person.orcid:
            data["sameAs"] = f"https://orcid.org/{person.orcid}"
    affiliations = [org for org in authorship.affiliations.all() if is_live(org)]
    if affiliations:
        data["affiliation"] = [organization_json_ld(org, request) for org in affiliations]
    return data


VENUE_TYPES = {"journal_article": "Periodical", "conference_paper": "Event"}


def publication_json_ld(paper, request):
    """A ``ScholarlyArticle`` (or ``Book``/``Thesis``/``Report``) with authors in order."""
    kind_types = {"book": "Book", "thesis": "Thesis", "report": "Report", "chapter": "Chapter"}
    url = absolute_url(request, paper.get_absolute_url())
    data = {
        "@context": SCHEMA,
        "@type": kind_types.get(paper.kind, "ScholarlyArticle"),
        "@id": url,
        "url": url,
        "name": paper.title,
        "headline": plain(paper.title, 110),
        "author": [_author(a, request) for a in paper.listed_authorships],
        "dateModified": paper.updated_at.isoformat(),
    }
    if iso_date(paper):
        data["datePublished"] = iso_date(paper)
    if paper.abstract:
        data["abstract"] = paper.plain_abstract
        data["description"] = plain(paper.plain_abstract)
    if paper.venue:
        data["isPartOf"] = {
            "@type": VENUE_TYPES.get(paper.kind, "CreativeWork"),
            "name": paper.venue,
        }
    if paper.publisher:
        data["publisher"] = {"@type": "Organization", "name": paper.publisher}
    identifiers, same_as = [], []
    if paper.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi})
        same_as.append(paper.doi_url)
    if paper.arxiv_id:
        identifiers.append(
            {"@type": "PropertyValue", "propertyID": "arXiv", "value": paper.arxiv_id}
        )
        same_as.append(paper.arxiv_url)
    if paper.url:
        same_as.append(paper.url)
    if identifiers:
        data["identifier"] = identifiers
    if same_as:
        data["sameAs"] = list(dict.fromkeys(same_as))
    if paper.pdf_url:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": paper.pdf_url,
            "encodingFormat": "application/pdf",
        }
    topics = [t for t in paper.topics.all() if is_live(t)]
    keywords = [*(t.name for t in topics), *(str(k) for k in paper.keywords or [])]
    if keywords:
        data["keywords"] = list(dict.fromkeys(keywords))
    if topics:
        data["about"] = [
            {"@type": "Thing", "name": t.name, "url": absolute_url(request, t.get_absolute_url())}
            for t in topics
        ]
    if paper.citation_count is not None:
        data["interactionStatistic"] = {
            "@type": "InteractionCounter",
            "interactionType": f"{SCHEMA}/CiteAction",
            "userInteractionCount": paper.citation_count,
        }
    if paper.is_author_list_truncated:
        data["creditText"] = ", ".join(a.name for a in paper.listed_authorships) + " et al."
    return data


def topic_json_ld(topic, request):
    url = absolute_url(request, topic.get_absolute_url())
    data = {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": topic.name,
        "about": {"@type": "DefinedTerm", "name": topic.name},
    }
    if topic.summary:
        data["description"] = plain(topic.summary)
    return data


SCHOLAR_VENUE_TAGS = {
    "conference_paper": "citation_conference_title",
    "thesis": "citation_dissertation_institution",
    "report": "citation_technical_report_institution",
    "book": "citation_publisher",
    "chapter": "citation_inbook_title",
}


def scholar_meta(paper, request):
    """Google Scholar's (Highwire Press) tags as ``(name, content)`` pairs, in the
    order Scholar reads them: each author followed by their institutions."""
    tags = [("citation_title", paper.title)]
    for authorship in paper.listed_authorships:
        tags.append(("citation_author", authorship.name))
        person = authorship.person
        if is_live(person) and person.orcid:
            tags.append(("citation_author_orcid", f"https://orcid.org/{person.orcid}"))
        for org in authorship.affiliations.all():
            if is_live(org):
                tags.append(("citation_author_institution", org.name))
    date = paper.published_on
    if date:
        precision = paper.date_precision
        value = (
            f"{date.year:04d}"
            if precision == "year"
            else f"{date.year:04d}/{date.month:02d}"
            if precision == "month"
            else f"{date.year:04d}/{date.month:02d}/{date.day:02d}"
        )
        tags.append(("citation_publication_date", value))
    if paper.venue:
        tags.append((SCHOLAR_VENUE_TAGS.get(paper.kind, "citation_journal_title"), paper.venue))
    if paper.publisher and paper.kind != "book":
        tags.append(("citation_publisher", paper.publisher))
    for name, field in (("citation_volume", "volume"), ("citation_issue", "issue")):
        if getattr(paper, field):
            tags.append((name, getattr(paper, field)))
    if paper.pages:
        first, _, last = paper.pages.replace("–", "-").replace("--", "-").partition("-")
        tags.append(("citation_firstpage", first.strip()))
        if last.strip():
            tags.append(("citation_lastpage", last.strip()))
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    if paper.arxiv_id:
        tags.append(("citation_arxiv_id", paper.arxiv_id))
    if paper.pdf_url:
        tags.append(("citation_pdf_url", paper.pdf_url))
    tags.append(("citation_abstract_html_url", absolute_url(request, paper.get_absolute_url())))
    keywords = [t.name for t in paper.topics.all() if is_live(t)]
    if keywords:
        tags.append(("citation_keywords", "; ".join(keywords)))
    return tags


class PublicationMetadata(PageMetadata):
    og_type = "article"

    def description(self, paper):
        return plain(paper.plain_abstract)

    def json_ld(self, paper, request):
        return publication_json_ld(paper, request)


class TopicMetadata(PageMetadata):
    def description(self, topic):
        return plain(topic.summary)

    def json_ld(self, topic, request):
        return topic_json_ld(topic, request)


register(Publication, PublicationMetadata())
register(Topic, TopicMetadata())
