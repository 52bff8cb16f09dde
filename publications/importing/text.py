"""Small text helpers the parsers share: whitespace, markup, dates, keys for matching.

Names (folding, keys, comparing) live in ``core.names``."""

import datetime
import html
import re

from core.names import fold

# Only runs that change: a lone space stays as it is (far fewer pieces on long text).
_SPACE = re.compile(r"\s{2,}|[^\S ]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_TAG = re.compile(r"<[^>]{0,400}>")
_BLOCK_TAG = re.compile(r"</(?:jats:)?p>|<(?:jats:)?(?:p|sec|title)\b[^>]*>", re.IGNORECASE)
_URL = re.compile(r"^(?:https?|ftp)://[^\s<>\"']+$", re.IGNORECASE)
_URL_IN_TEXT = re.compile(r"(?:https?|ftp)://[^\s<>\"';]+", re.IGNORECASE)
_ARXIV_CATEGORY = re.compile(r"^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?$")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def clean(value) -> str:
    """One line: collapse every run of whitespace into a space and strip."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\xa0" in text:
        text = _SPACE.sub(" ", text)
    return text.strip()


def clip(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_paragraphs(value) -> str:
    """Multi-line text (abstracts): collapse whitespace, keep blank-line paragraph breaks."""
    if not value:
        return ""
    paragraphs = (clean(part) for part in _PARAGRAPH_BREAK.split(str(value)))
    return "\n\n".join(part for part in paragraphs if part)


def strip_markup(value) -> str:
    """JATS/HTML (Crossref abstracts, ``<scp>`` in titles) to plain text, entities decoded."""
    if not value:
        return ""
    text = str(value)
    if "<" in text:
        text = _BLOCK_TAG.sub("\n\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def first_url(value) -> str:
    """The first http(s) URL in a field that may hold several ("a b", "a; b") or junk."""
    text = clean(value)
    if not text:
        return ""
    if text.startswith("//"):  # ScienceDirect writes protocol-relative URLs
        text = "https:" + text
    if _URL.match(text):
        return text
    match = _URL_IN_TEXT.search(text)
    return match.group(0) if match else ""


def is_arxiv_category(value: str) -> bool:
    return bool(value) and bool(_ARXIV_CATEGORY.match(value))


def normalize_pages(value) -> str:
    """“12--23” / “12 - 23” / “635–641” → “12–23”; an empty range end is dropped."""
    text = clean(value)
    if not text:
        return ""
    text = re.sub(r"\s*(?:-{1,3}|–|—)\s*", "–", text)
    return text.rstrip("–")


def title_key(title: str) -> str:
    """Titles match when their words match: case, accents, punctuation, dashes ignored."""
    return fold(title).replace(" ", "")


def make_date(year, month=None, day=None) -> tuple[datetime.date | None, str]:
    """A date and its precision from parts that may be strings, empty or out of range."""
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        return None, ""
    if not 1 <= year <= 9999:
        return None, ""
    try:
        month = int(str(month).strip()) if month not in (None, "") else None
    except ValueError:
        month = None
    if month is None or not 1 <= month <= 12:
        return datetime.date(year, 1, 1), "year"
    try:
        day = int(str(day).strip()) if day not in (None, "") else None
    except ValueError:
        day = None
    if day is not None:
        try:
            return datetime.date(year, month, day), "day"
        except ValueError:
            pass
    return datetime.date(year, month, 1), "month"


def parse_iso_date(value) -> tuple[datetime.date | None, str]:
    """“2024”, “2024-03”, “2024-03-15”, “2024-03-15T10:00:00Z”, “2016/12//”, “2024/2025”."""
    text = clean(value)
    if not text:
        return None, ""
    match = re.match(r"^(-?\d{1,4})(?:[-/](\d{1,2})?(?:[-/](\d{1,2})?)?)?", text)
    if not match:
        year = _YEAR.search(text)
        return make_date(year.group(1)) if year else (None, "")
    return make_date(match.group(1), match.group(2), match.group(3))


def date_from_parts(parts) -> tuple[datetime.date | None, str]:
    """CSL/Crossref ``date-parts``: ``[[2012, 3, 21]]``, ``[["2012"]]``, ``[[null]]``."""
    if isinstance(parts, dict):
        if parts.get("date-parts"):
            return date_from_parts(parts["date-parts"])
        for key in ("raw", "literal"):
            if parts.get(key):
                return parse_iso_date(parts[key])
        return None, ""
    if not parts or not isinstance(parts, list) or not parts[0]:
        return None, ""
    first = parts[0] if isinstance(parts[0], list) else parts
    values = [*first, None, None, None][:3]
    month = values[1]
    try:
        if month is not None and int(month) > 12:  # CSL seasons 21-24 carry no month
            month = None
    except (TypeError, ValueError):
        month = None
    return make_date(values[0], month, values[2])


def split_keywords(value) -> list[str]:
    """“a, b; c” → [“a”, “b”, “c”], duplicates (any case) dropped, order kept."""
    if not value:
        return []
    items = value if isinstance(value, list) else re.split(r"[;,]", str(value))
    seen, result = set(), []
    for item in items:
        text = clean(item)
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            result.append(text)
    return result
