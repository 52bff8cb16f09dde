"""Reading a rendered page the way a crawler or a reference manager does."""

import json
from html.parser import HTMLParser


class HeadReader(HTMLParser):
    """Collects <meta>, <link> and <script> elements, and COinS spans."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.metas, self.links, self.scripts, self.coins, self.hrefs = [], [], [], [], []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.metas.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "script":
            self._script = {"attrs": attrs, "text": ""}
        elif tag == "span" and "Z3988" in (attrs.get("class") or "").split():
            self.coins.append(attrs.get("title", ""))

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(self._script)
            self._script = None


def read(html):
    reader = HeadReader()
    reader.feed(html if isinstance(html, str) else html.decode())
    reader.close()
    return reader


def json_ld(html):
    """Every JSON-LD document on the page, parsed."""
    return [
        json.loads(s["text"])
        for s in read(html).scripts
        if s["attrs"].get("type") == "application/ld+json"
    ]


def meta_values(html, name):
    """The contents of every ``<meta name=name>`` (or ``property=name``), in page order."""
    return [
        m.get("content")
        for m in read(html).metas
        if m.get("name") == name or m.get("property") == name
    ]


def links(html, rel):
    return [link for link in read(html).links if rel in (link.get("rel") or "").split()]


def hrefs(html):
    """Every link target on the page, in order."""
    return read(html).hrefs
