"""This site's own pages are never a paper's link.

The citation files this site writes (``cite.bib``, ``.ris``, ``.json`` and the list
exports) name the paper's page here as its ``url`` when the paper has no link of its
own: a reference manager then has somewhere to point. Imported back, that address must
not become the paper's URL (with ``--overwrite`` it would replace the paper's real
link, and without it a paper would link to itself). So an imported link whose host is
one this site answers to (``ALLOWED_HOSTS``, a bare ``*`` aside) and whose path is a
page of this site is dropped, with a warning.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.urls import Resolver404, resolve

#: Record fields holding links that may point back here.
LINK_FIELDS = ("url", "pdf_url", "code_url")


def is_own_page(url: str) -> bool:
    """Whether ``url`` is a page of this site (any page the URL resolver knows)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return False
    host, _port = split_domain_port(parts.netloc.rpartition("@")[2])
    hosts = [allowed for allowed in settings.ALLOWED_HOSTS if allowed != "*"]
    if not host or not validate_host(host, hosts):
        return False
    try:
        resolve(parts.path or "/")
    except Resolver404:
        return False
    return True


def drop_own_pages(record) -> None:
    """Empty the links of ``record`` (a ``PaperRecord``) that point at this site,
    adding a warning for each."""
    for name in LINK_FIELDS:
        value = getattr(record, name, "")
        if value and is_own_page(value):
            setattr(record, name, "")
            record.warnings.append(
                f"{name.replace('_', ' ')} {value} is this site's own page, not the "
                "paper's link: not imported"
            )


def without_own_pages(build):
    """``build`` (a ``KnownRecord``'s, called only if the merge needs the record after
    all), with ``drop_own_pages`` applied to what it builds."""

    def built():
        record = build()
        drop_own_pages(record)
        return record

    return built
