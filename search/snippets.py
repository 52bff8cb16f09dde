"""Snippets and highlighting, in Python for every database: the text is escaped, and the
only markup added is ``<mark>``."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

SNIPPET_LENGTH = 260
SNIPPET_SOURCE_CHARS = 20_000  # of each field, read for the snippet


def _stem(word):
    """A crude English stem, so "organisms" also marks "organism" (PostgreSQL matches
    stems; marking only exact words would hide why a result matched)."""
    lowered = word.casefold()
    for suffix in ("ing", "es", "ed", "s"):
        if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def term_pattern(terms):
    """A regex matching any of ``terms`` at a word start, with any word ending."""
    parts = []
    for term in terms:
        words = term.text.split()
        if not words:
            continue
        *head, last = words
        body = r"\s+".join([*(re.escape(w) for w in head), re.escape(_stem(last))])
        parts.append(body + r"\w*")
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


def highlight(text, pattern):
    """``text`` escaped, with matches of ``pattern`` wrapped in ``<mark>``."""
    text = text or ""
    if pattern is None:
        return mark_safe(escape(text))
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(texts, pattern, *, length=SNIPPET_LENGTH):
    """A window of about ``length`` characters around the first match in ``texts``
    (tried in order), highlighted; the start of the first text when nothing matches."""
    texts = [" ".join((t or "").split()) for t in texts]
    texts = [t for t in texts if t]
    if not texts:
        return ""
    for text in texts:
        match = pattern.search(text) if pattern else None
        if match:
            start = max(0, match.start() - length // 4)
            if start:
                space = text.find(" ", start)
                start = space + 1 if 0 <= space < match.start() else start
            break
    else:
        text, start = texts[0], 0
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = text[start:end]
    return mark_safe(
        ("… " if start else "") + highlight(piece, pattern) + (" …" if end < len(text) else "")
    )
