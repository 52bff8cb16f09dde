"""Citing a paper on a page: the cite box and COinS spans.

    {% load citations %}
    {% coins paper %}       an invisible COinS span that Zotero's connector reads
    {% cite_box paper %}    formatted reference, BibTeX and RIS to copy, the files
    {% cite_box paper compact=True %}   a list row's "Cite": the files, and Copy buttons
                            that fetch them (copy.js; without JavaScript, the links)
    {% scholar_meta paper %}  Google Scholar's <meta name="citation_…"> tags, in <head>

Both read ``paper.authorships.all()``, which every paper queryset method prefetches,
so a list of any length renders its spans without extra queries.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join

from .. import citations, metadata
from ..exports import FORMATS, page_url_for

register = template.Library()


def _page_url(context):
    request = context.get("request")
    if request is None:
        return None
    return page_url_for(request)


@register.simple_tag(takes_context=True)
def coins(context, paper):
    return citations.coins(paper, page_url=_page_url(context))


#: Formats a "Copy" button fetches and copies (CSL-JSON is for programs: download only).
COPYABLE = ("bib", "ris")


@register.inclusion_tag("includes/cite_box.html", takes_context=True)
def cite_box(context, paper, compact=False):
    downloads = [
        {
            "label": export.label,
            "url": reverse("publications:cite", kwargs={"slug": paper.slug, "fmt": fmt}),
            "extension": export.extension,
        }
        for fmt, export in FORMATS.items()
    ]
    box = {
        "paper": paper,
        "compact": compact,
        "downloads": downloads,
        "copyable": [link for link in downloads if link["extension"] in COPYABLE],
    }
    if compact:  # a list row: no text of its own, the buttons fetch the files
        return box
    page_url = _page_url(context)
    return {
        **box,
        "reference_text": citations.formatted_citation(paper, page_url=page_url),
        "reference_html": citations.formatted_citation_html(paper, page_url=page_url),
        "bibtex": citations.to_bibtex([paper], page_url=page_url),
    }


def list_query(request):
    """The list's query string without what only lays it out (page, grouping)."""
    params = request.GET.copy()
    for name in ("page", "group"):
        params.pop(name, None)
    return params.urlencode()


@register.inclusion_tag("includes/list_exports.html", takes_context=True)
def list_exports(context, export_url_name, feed_url_name, filtered=True, **kwargs):
    """Download links (BibTeX, RIS, CSL-JSON) and the Atom feed of a list.

    With ``filtered``, they carry the page's query string, so the files and the feed
    hold exactly the filtered list. ``export_url_name`` may be empty (a list of media
    has a feed but no citation files)."""
    query = list_query(context["request"]) if filtered else ""
    suffix = f"?{query}" if query else ""
    links = []
    if export_url_name:
        for fmt, export in FORMATS.items():
            url = reverse(export_url_name, kwargs={**kwargs, "fmt": fmt})
            links.append({"label": export.label, "url": url + suffix})
    return {
        "links": links,
        "feed_url": reverse(feed_url_name, kwargs=kwargs) + suffix,
        "filtered": bool(query),
    }


@register.simple_tag(takes_context=True)
def scholar_meta(context, paper):
    return format_html_join(
        "\n", '<meta name="{}" content="{}">', metadata.scholar_meta(paper, context["request"])
    )
