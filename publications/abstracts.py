"""Abstracts as the site shows them.

An abstract is stored as its source wrote it. arXiv's and Semantic Scholar's abstracts
(and the scholar page the demo content comes from) are often TeX-flavoured text:
``features'' for “features”, \\emph{monosemantic} for emphasis, \\'e for é, $\\alpha$.
The importer's BibTeX conversion turns such a value into Unicode when it reads a .bib
file, but every other source hands it over raw, and data already stored holds it too;
so it is turned into what a reader expects where it is shown:

- ``abstract_html``: safe HTML for pages, with emphasis as ``<em>``/``<strong>``/
  ``<code>`` and everything else escaped;
- ``abstract_text``: plain Unicode for feeds, meta descriptions, JSON-LD, search
  snippets and the RIS and CSL-JSON exports.

Only an abstract with TeX markup (a backslash command, or TeX quotes) is read as TeX, with
the importer's decoder (``importing.latex``); in it, a "~" after a space ("~80%") and a
"$" that opens no formula ("$5") keep their plain meaning. Any other abstract is shown as
it was written (escaped).
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .importing.latex import _GROUP, decode

# TeX markup: a command (\emph, \'e, \%), or ``TeX quotes''.
_TEX = re.compile(r"\\(?:[a-zA-Z]+|[^a-zA-Z\s])|``")
# Emphasis: \emph{...}, \textbf{...}, and the old {\em ...} forms.
_FORMAT = re.compile(
    rf"\\(?P<command>emph|textit|textsl|textbf|texttt)\s*(?P<argument>{_GROUP})"
    r"|\{\\(?P<switch>em|it|sl|bf|tt)(?![a-zA-Z])\s*(?P<body>(?:[^{}]|\{[^{}]*\})*)\}"
)
_TAGS = {
    "emph": "em",
    "textit": "em",
    "textsl": "em",
    "em": "em",
    "it": "em",
    "sl": "em",
    "textbf": "strong",
    "bf": "strong",
    "texttt": "code",
    "tt": "code",
}
# "~" meaning "about" (at the start or after a space), not TeX's no-break space.
_PLAIN_TILDE = re.compile(r"(?:^|(?<=\s))~")
# A formula: $...$ holding something only a formula has.
_FORMULA = re.compile(r"\$(?:[^$\\]|\\.)*[\\^_{}](?:[^$\\]|\\.)*\$")
_DOLLAR = re.compile(r"(?<!\\)\$")
# `single quotes' (the double ones are the decoder's).
_SINGLE_QUOTES = re.compile(r"(?<![`\w])`([^`'\n]+)'")


def is_tex(text) -> bool:
    """Whether ``text`` carries TeX markup (and is read as TeX)."""
    return bool(text) and _TEX.search(str(text)) is not None


def _decode(segment: str) -> str:
    """Unicode for a stretch of TeX-flavoured text with no emphasis in it."""
    segment = _PLAIN_TILDE.sub(r"\\textasciitilde{}", segment)
    out, position = [], 0
    for match in _FORMULA.finditer(segment):
        out.append(_DOLLAR.sub(r"\\$", segment[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_DOLLAR.sub(r"\\$", segment[position:]))
    return _SINGLE_QUOTES.sub("‘\\1’", decode("".join(out)))


def _html(text: str) -> str:
    out, position = [], 0
    for match in _FORMAT.finditer(text):
        out.append(escape(_decode(text[position : match.start()])))
        if match.group("command"):
            tag, inner = _TAGS[match.group("command")], match.group("argument")[1:-1]
        else:
            tag, inner = _TAGS[match.group("switch")], match.group("body")
        out.append(f"<{tag}>{_html(inner)}</{tag}>")
        position = match.end()
    out.append(escape(_decode(text[position:])))
    return "".join(out)


def abstract_html(text) -> SafeString:
    """``text`` (an abstract as stored) as safe HTML: TeX markup rendered, the rest
    escaped. Line breaks are kept as they are (``linebreaksbr`` may follow)."""
    text = str(text or "")
    if not is_tex(text):
        return escape(text)
    return mark_safe(_html(text))


def abstract_text(text) -> str:
    """``text`` (an abstract as stored) as plain Unicode: TeX markup decoded, emphasis
    dropped."""
    text = str(text or "")
    return _decode(text) if is_tex(text) else text
