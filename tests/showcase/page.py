"""Reading a rendered page as a visitor sees it: its text, its links, its elements.

A small DOM over ``html.parser`` (no third-party parser needed): enough to ask
"which links carry rel=next", "what does the h1 say", "what text is in <main>".
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
HIDDEN_TEXT = {"script", "style", "template", "title", "head"}


@dataclass
class Node:
    tag: str
    attrs: dict
    parent: "Node | None" = None
    children: list = field(default_factory=list)

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, *, cls=None, **attrs):
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in node.classes:
                continue
            if any(node.attrs.get(k.rstrip("_")) != v for k, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag=None, *, cls=None, **attrs):
        found = self.find_all(tag, cls=cls, **attrs)
        return found[0] if found else None

    @property
    def text(self):
        """The text a reader sees: inline elements run together, blocks apart."""
        return " ".join(self._raw_text().split())

    def _raw_text(self):
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in BLOCK:
                parts.append(f" {child._raw_text()} ")
            elif child.tag not in HIDDEN_TEXT:
                parts.append(child._raw_text())
        return "".join(parts)

    def __getitem__(self, name):
        return self.attrs[name]

    def get(self, name, default=None):
        return self.attrs.get(name, default)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(content):
    builder = _Builder()
    builder.feed(content.decode() if isinstance(content, bytes) else content)
    builder.close()
    return builder.root


def page(response):
    """The parsed page of a test-client response (asserting it is HTML)."""
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    return parse(response.content)


def main_text(response):
    """The visible text of ``<main>``, whitespace collapsed."""
    return page(response).find("main").text


def squash(text):
    return " ".join(re.sub(r"\s+", " ", text).split())
