"""What an input is: its bytes checked (not binary), its encoding, and its format.

Formats are told apart by content, never by file name. API error payloads (Semantic
Scholar's ``{"error": …}``, Crossref's ``validation-failure``, ORCID's ``response-code``,
arXiv's error entry) are rejected here or by their parser with the service's own message,
so they are never imported as papers.
"""

import codecs
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .records import InputError

FORMATS = {
    "bibtex": "BibTeX / biblatex",
    "arxiv": "arXiv API Atom feed",
    "semantic_scholar": "Semantic Scholar Graph API JSON",
    "openalex": "OpenAlex works JSON",
    "crossref": "Crossref works JSON",
    "csl_json": "CSL-JSON",
    "ris": "RIS",
    "orcid": "ORCID v3.0 works JSON",
}
JSON_FORMATS = {"semantic_scholar", "openalex", "crossref", "csl_json", "orcid"}

_READ_SIZE = 1 << 20
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
}
# Two spaces before the dash, as the RIS specification says; one, as some exporters write.
_RIS_TAG = re.compile(r"^(?:TY|T1|TI|AU|A1|PY|Y1|DO|JO|JF|T2|ER) {1,2}-(?: |\r?$)", re.MULTILINE)
_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_WOS = re.compile(r"^(?:FN (?:Clarivate|Thomson)|VR \d|PT [A-Z]\s*$)", re.MULTILINE)


@dataclass
class Source:
    """One input: a file, standard input (``data``) or a fetched payload."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    format: str = ""  # known or forced format; "" = detect
    encoding: str = ""  # forced text encoding; "" = detect

    def open(self):
        return open(self.path, "rb") if self.path is not None else io.BytesIO(self.data or b"")


@dataclass
class Inspected:
    format: str
    encoding: str
    checksum: str
    size: int
    notes: list[str] = field(default_factory=list)


def _is_utf8_and_hash(source: Source) -> tuple[bool, str, int, bytes]:
    """One pass over the bytes: whether they are UTF-8, their SHA-256, size, and head."""
    digest, size, head, valid = hashlib.sha256(), 0, b"", True
    decoder = codecs.getincrementaldecoder("utf-8")()
    with source.open() as stream:
        while chunk := stream.read(_READ_SIZE):
            digest.update(chunk)
            if not head:
                head = chunk[:65536]
            size += len(chunk)
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
    if valid:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False
    return valid, digest.hexdigest(), size, head


def _legacy_encoding(sample: bytes) -> str:
    """Not UTF-8: GBK/GB18030 Chinese or Windows-1252 Western text.

    In GBK text a lead byte is followed by another high byte; in Windows-1252 text an
    accented letter is usually followed by a plain ASCII one.
    """
    try:
        sample.decode("gb18030")
    except UnicodeDecodeError:
        gb_possible = False
    else:
        gb_possible = True
    if gb_possible:
        paired = single = 0
        index = 0
        while index < len(sample):
            byte = sample[index]
            if byte >= 0x81 and index + 1 < len(sample):
                if sample[index + 1] >= 0xA1:
                    paired += 1
                else:
                    single += 1
                index += 2
            else:
                index += 1
        if paired and paired >= 4 * single:
            return "gb18030"
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _reject_binary(head: bytes, name: str):
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"this is {what}, not a bibliography file", source=name)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    sample = head[:8192]
    if b"\x00" in sample:
        raise InputError("binary data, not a text bibliography file", source=name)
    if sample:
        control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
        if control / len(sample) > 0.05:
            raise InputError("binary data, not a text bibliography file", source=name)


def detect_text_format(head: str, name: str) -> str:
    """The format of a text input from its first characters."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text:
        raise InputError("the input is empty", source=name)
    if text.startswith("<"):
        if "<feed" in text[:4000] and "http://www.w3.org/2005/Atom" in text[:4000]:
            return "arxiv"
        raise InputError(
            "XML, but not an arXiv API Atom feed (the only XML format imported)", source=name
        )
    if text[0] in "{[":
        return "json"
    if _WOS.search(head[:4000]):
        raise InputError(
            "this is a Web of Science plain-text export, not RIS: export as RIS or BibTeX",
            source=name,
        )
    ris = _RIS_TAG.search(head)
    bib = _BIBTEX_ENTRY.search(head)
    if ris and (not bib or ris.start() < bib.start()):
        return "ris"
    if bib:
        return "bibtex"
    raise InputError(
        "unrecognized format: expected BibTeX, RIS, an arXiv Atom feed, or JSON from "
        "Semantic Scholar, OpenAlex, Crossref, ORCID or CSL-JSON",
        source=name,
    )


def inspect(source: Source) -> Inspected:
    """Check the bytes and find the encoding and (text-level) format of a source.

    JSON inputs get format ``"json"`` here; ``detect_json`` names the flavour once loaded.
    """
    is_utf8, checksum, size, head = _is_utf8_and_hash(source)
    if size == 0:
        raise InputError("the input is empty", source=source.name)
    _reject_binary(head, source.name)
    notes = []
    if source.encoding:
        encoding = source.encoding
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif is_utf8:
        encoding = "utf-8-sig"
    else:
        encoding = _legacy_encoding(head)
        notes.append(f"not UTF-8; read as {encoding}")
    try:
        head_text = head.decode(encoding, errors="ignore")
    except LookupError:
        raise InputError(f"unknown encoding “{encoding}”", source=source.name) from None
    fmt = source.format or detect_text_format(head_text, source.name)
    return Inspected(format=fmt, encoding=encoding, checksum=checksum, size=size, notes=notes)


def api_error(data) -> str:
    """The message of an API error payload, or "" when ``data`` is not one."""
    if isinstance(data, dict):
        if data.get("status") == "failed" or str(data.get("message-type", "")).endswith("failure"):
            messages = data.get("message")
            if isinstance(messages, list):
                texts = [str(item.get("message", item)) for item in messages if item]
                return "Crossref error: " + "; ".join(texts)
            return f"Crossref error: {messages}"
        if "response-code" in data and ("developer-message" in data or "user-message" in data):
            return f"ORCID error {data['response-code']}: " + str(
                data.get("user-message") or data.get("developer-message")
            )
        if "error" in data and not any(key in data for key in ("data", "results", "paperId")):
            detail = data.get("message") or data.get("error")
            return f"API error: {detail}"
        if set(data) <= {"message", "code", "status"} and "message" in data:
            return f"API error: {data['message']}"
    return ""


def detect_json(data, name: str) -> str:
    """The flavour of a loaded JSON document."""
    error = api_error(data)
    if error:
        raise InputError(f"{error} (an error response, not papers: nothing imported)", source=name)
    if isinstance(data, dict):
        if "message-type" in data or ("message" in data and "status" in data):
            return "crossref"
        if "results" in data and "meta" in data:
            return "openalex"
        if str(data.get("id", "")).startswith("https://openalex.org/"):
            return "openalex"
        if "paperId" in data or ("authorId" in data and "papers" in data):
            return "semantic_scholar"
        if isinstance(data.get("data"), list):
            return "semantic_scholar"
        if any(key in data for key in ("group", "activities-summary", "bulk", "put-code")):
            return "orcid"
        if "type" in data and ("title" in data or "issued" in data or "author" in data):
            return "csl_json"
        raise InputError("JSON, but not a format this importer knows", source=name)
    if isinstance(data, list):
        items = [item for item in data if isinstance(item, dict)]
        if not items:
            raise InputError("an empty JSON list: no papers to import", source=name)
        first = items[0]
        if "paperId" in first:
            return "semantic_scholar"
        if str(first.get("id", "")).startswith("https://openalex.org/"):
            return "openalex"
        if isinstance(first.get("title"), list) and "DOI" in first:
            return "crossref"
        if "type" in first or "title" in first:
            return "csl_json"
    raise InputError("JSON, but not a format this importer knows", source=name)
