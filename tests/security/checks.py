"""Checkers that tell injected markup from a page's own.

Every payload carries a marker ``XSS<n>X``. A page is safe when no marker reaches an
executable context: no event-handler attribute, no script or style body (JSON-LD must
still parse as JSON), no ``javascript:``/``data:``/``vbscript:`` URL, no ``base``,
``meta refresh``, ``iframe srcdoc``, ``style`` attribute or other injected tag carrying a
marker. Markers in text and in ordinary attribute values are fine: that is escaping
doing its job.
"""

import json
import re
from html.parser import HTMLParser

from defusedxml import ElementTree

MARKER = re.compile(r"XSS\d+X")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# Tags our templates never emit; one carrying a marker anywhere was injected.
FOREIGN_TAGS = {
    "iframe",
    "object",
    "embed",
    "base",
    "frameset",
    "frame",
    "isindex",
    "keygen",
    "bgsound",
    "marquee",
    "xss",
    "math",
    "template",
}


def _scheme(value):
    return re.sub(r"[\x00-\x20]", "", value).lower()


class _Checker(HTMLParser):
    def __init__(self, where):
        super().__init__(convert_charrefs=True)
        self.where = where
        self.problems = []
        self._raw_tag = None  # script or style being read
        self._raw_type = ""
        self._raw = []

    def _problem(self, message):
        self.problems.append(f"{self.where}: {message}")

    def handle_starttag(self, tag, attrs):
        values = " ".join(v or "" for _, v in attrs)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self._problem(f"<{tag} {name}=…> event handler ({value[:60]!r})")
            if name in URL_ATTRIBUTES and _scheme(value).startswith(DANGEROUS_SCHEMES):
                self._problem(f"<{tag} {name}={value[:60]!r}> dangerous URL")
            if name in {"style", "srcdoc"} and MARKER.search(value):
                self._problem(f"<{tag} {name}=…> carries a payload ({value[:60]!r})")
        if tag in FOREIGN_TAGS:
            self._problem(f"injected <{tag}> ({values[:60]!r})")
        if tag == "meta" and any(
            n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs
        ):
            self._problem("injected <meta http-equiv=refresh>")
        if tag in {"script", "style"}:
            self._raw_tag = tag
            self._raw_type = dict(attrs).get("type") or ""
            self._raw = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in {"script", "style"}:
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._raw_tag:
            self._raw.append(data)

    def handle_endtag(self, tag):
        if tag != self._raw_tag:
            return
        body = "".join(self._raw)
        if tag == "script" and self._raw_type == "application/ld+json":
            try:
                json.loads(body)
            except ValueError as error:
                self._problem(f"JSON-LD does not parse ({error}): {body[:80]!r}")
        elif MARKER.search(body):
            self._problem(f"payload inside <{tag}>: {body[:80]!r}")
        self._raw_tag = None


def html_problems(html, where):
    checker = _Checker(where)
    checker.feed(html)
    checker.close()
    return checker.problems


def atom_problems(xml, where):
    """A feed must be well-formed XML, and the HTML it carries (type="html" content
    and summaries, which readers render) must pass the HTML check."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        return [f"{where}: feed is not well-formed XML ({error})"]
    problems = []
    for element in root.iter():
        if element.get("type") in {"html", "xhtml"} and element.text:
            problems += html_problems(element.text, f"{where} <{element.tag}>")
        for name in ("href", "src"):
            value = element.get(name) or ""
            if _scheme(value).startswith(DANGEROUS_SCHEMES):
                problems.append(f"{where}: <{element.tag} {name}={value[:60]!r}>")
    return problems


def xml_problems(xml, where):
    try:
        ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        return [f"{where}: not well-formed XML ({error})"]
    return []
