"""Citation downloads: one paper, any filtered paper list, a person's whole list.

Thin views over ``publications.citations``. Lists are read with the paper list's own
``PublicationFilter`` and search, so an export holds exactly the papers the list shows
(every page of it). Exports carry published papers only, for every user: a file leaves the
site and may be shared, so a draft must never be in one. A staff member previewing a
draft paper can still download that one paper's citation, as they can see its page.
"""

from dataclasses import dataclass

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from core.http.query import filterset_parameters, takes_query
from core.http.site_url import absolute_url
from profiles.models import Person
from search.engine import search_queryset

from . import citations
from .filters import SORTS, PublicationFilter
from .models import Publication


@dataclass(frozen=True)
class ExportFormat:
    label: str
    write: object
    content_type: str
    extension: str


FORMATS = {
    "bib": ExportFormat(
        "BibTeX", citations.to_bibtex, "application/x-bibtex; charset=utf-8", "bib"
    ),
    "ris": ExportFormat(
        "RIS", citations.to_ris, "application/x-research-info-systems; charset=utf-8", "ris"
    ),
    "json": ExportFormat(
        "CSL-JSON",
        citations.to_csl_json,
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        "json",
    ),
}


def export_format(fmt):
    try:
        return FORMATS[fmt]
    except KeyError:
        raise Http404("Citations are available as .bib, .ris and .json.") from None


def page_url_for(request):
    """A ``page_url`` for ``citations``: our page's absolute URL, the link of last resort."""
    return lambda paper: absolute_url(request, paper.get_absolute_url())


def citation_response(request, papers, fmt, filename):
    """The file for ``papers`` in ``fmt``, downloaded as ``filename.<extension>``."""
    export = export_format(fmt)
    body = export.write(papers, page_url=page_url_for(request))
    response = HttpResponse(body, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export.extension}"'
    response["X-Robots-Tag"] = "noindex"
    return response


def filter_errors(filterset):
    """The filter values that were not understood, in words."""
    messages = []
    for name, errors in filterset.form.errors.items():
        field = filterset.form.fields.get(name)
        label = field.label if field is not None and field.label else name
        messages.append(f"{label}: {' '.join(errors)}")
    return messages


def matching(queryset, params):
    """``queryset`` narrowed by the list's search box (``?q=``) as the paper list does:
    most relevant first, unless a sort is asked for."""
    words = params.get("q", "").strip()
    if not words:
        return queryset
    order = queryset.query.order_by
    matched = search_queryset(queryset, "papers", words)
    return matched.order_by(*order) if params.get("sort") else matched


@require_safe
def paper_citation(request, slug, fmt):
    """`/publications/<slug>/cite.<fmt>`: one paper's citation."""
    export_format(fmt)
    queryset = Publication.objects.for_citation().visible_to(request.user)
    paper = get_object_or_404(queryset, slug=slug)
    return citation_response(request, [paper], fmt, paper.slug)


@require_safe
@takes_query(*filterset_parameters(PublicationFilter), "q")
def list_export(request, fmt):
    """`/publications/export.<fmt>?<filters>`: every paper of the filtered list."""
    export_format(fmt)
    filterset = PublicationFilter(
        request.GET, queryset=Publication.objects.published().for_citation()
    )
    if not filterset.is_valid():
        message = "These filters were not understood:\n" + "\n".join(filter_errors(filterset))
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    papers = matching(filterset.qs, request.GET)
    return citation_response(request, papers, fmt, "publications")


@require_safe
def person_export(request, slug, fmt):
    """`/people/<slug>/publications.<fmt>`: a person's whole list, newest first."""
    export_format(fmt)
    person = get_object_or_404(Person.objects.visible_to(request.user), slug=slug)
    papers = (
        Publication.objects.published()
        .for_citation()
        .filter(pk__in=person.authorships.values("publication"))
        .order_by(*SORTS["newest"])
    )
    return citation_response(request, papers, fmt, f"{person.slug}-publications")
