"""Checking external links and keeping a readable snapshot of what they serve."""

import html
import re
from html.parser import HTMLParser

from django.utils import timezone

from core.http.client import FetchError, PoliteClient
from core.models import LinkCheck

MAX_SNAPSHOT_CHARS = 200_000
SKIPPED_TAGS = {"script", "style", "noscript", "template", "svg", "head"}
BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "hr", "dt", "dd", "title",
}  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self._skipping:
            self._skipping -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup, *, limit=MAX_SNAPSHOT_CHARS):
    """Readable text of an HTML page: no scripts or styles, paragraphs kept, size-capped."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text[:limit]


def snapshot_text(response):
    if response.content_type in ("text/html", "application/xhtml+xml"):
        return html_to_text(response.text())
    if response.content_type.startswith("text/"):
        return response.text()[:MAX_SNAPSHOT_CHARS]
    return ""  # PDFs, audio, images: status and size only


def check_url(url, *, client: PoliteClient) -> LinkCheck:
    """Fetch ``url`` once, record its health, and refresh the snapshot if it answered well."""
    check, _ = LinkCheck.objects.get_or_create(url=url)
    now = timezone.now()
    check.checked_at = now
    try:
        response = client.get(url)
    except FetchError as error:
        check.status, check.error, check.is_broken = None, str(error)[:500], True
        check.save()
        return check
    check.status = response.status
    check.final_url = response.final_url[:1000]
    check.is_broken = not response.ok
    check.error = "" if response.ok else f"HTTP {response.status}"
    if response.ok:
        declared = response.headers.get("content-length", "")
        check.snapshot_fetched_at = now
        check.snapshot_status = response.status
        check.snapshot_size = int(declared) if declared.isdigit() else response.size
        check.snapshot_content_type = response.content_type[:100]
        check.snapshot_text = snapshot_text(response)
    check.save()
    return check


def link_checker_client(**overrides):
    """The client link checks use: robots.txt respected, one request a second per host."""
    options = {"timeout": 10.0, "min_interval": 1.0, "retries": 1, "respect_robots": True}
    return PoliteClient(**{**options, **overrides})
