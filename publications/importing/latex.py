"""LaTeX to Unicode for BibTeX values: ``{\\"u}`` → ü, ``{LLM}s`` → LLMs, ``$\\alpha$`` → α.

pylatexenc does the decoding, but it costs a few milliseconds per abstract, and decoding
every field of a large file that way takes minutes. So:

- a value with no backslash, brace, dollar, tilde, double dash or TeX quote is returned
  as it is (most values);
- a value whose only markup is braces has them removed;
- otherwise only the LaTeX pieces of the value (a macro with its arguments, a brace
  group, an inline formula) go through pylatexenc, each piece cached, and the plain
  text between them is kept as written (so a bare ``%`` in an abstract does not swallow
  the rest of the line as it would in LaTeX).
"""

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

_PLAIN_SPECIALS = re.compile(r"---|--|~|``|''")
_PLAIN_MAP = {"---": "—", "--": "–", "~": "\u00a0", "``": "“", "''": "”"}

# Balanced braces, three levels deep; deeper nesting falls back to decoding the whole value.
_GROUP = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"
_PIECE = re.compile(
    r"\$\$.+?\$\$"  # display math
    r"|\$(?:[^$\\]|\\.)+\$"  # inline math
    r"|\\\(.+?\\\)"
    rf"|\\[`'^\"~=.](?:\s*{_GROUP}|\s*\\[a-zA-Z]+|\s*[a-zA-Z])"  # \'e \"{o} \'\i
    rf"|\\[vHckurdbtU](?![a-zA-Z])(?:\s*{_GROUP}|\s+[a-zA-Z])"  # \v{s} \H o
    rf"|\\[a-zA-Z]+\*?(?:(?:\s*{_GROUP})+|\s*)"  # \textit{x}, \L, \alpha
    r"|\\[^a-zA-Z]"  # \% \& \_ \{ \\
    rf"|{_GROUP}",  # {LLM}
    re.DOTALL,
)

# Logos and symbols pylatexenc does not know (it would drop them).
_EXTRA_MACROS = [
    MacroTextSpec("LaTeX", "LaTeX"),
    MacroTextSpec("TeX", "TeX"),
    MacroTextSpec("BibTeX", "BibTeX"),
    MacroTextSpec("S", "§"),
    MacroTextSpec("copyright", "©"),
]
_context = get_default_latex_context_db()
_context.add_context_category("import-extras", macros=_EXTRA_MACROS, prepend=True)
_converter = LatexNodes2Text(
    latex_context=_context,
    math_mode="text",
    strict_latex_spaces=False,
)


def _decode_piece(piece: str) -> str:
    # Only short pieces are cached: a cache of whole abstracts would grow with the file.
    return _decode_cached(piece) if len(piece) <= 300 else _convert(piece)


@lru_cache(maxsize=65536)
def _decode_cached(piece: str) -> str:
    return _convert(piece)


def _convert(piece: str) -> str:
    try:
        return _converter.latex_to_text(piece)
    except Exception:  # pylatexenc is lenient, but never let one odd value stop an import
        return piece.replace("{", "").replace("}", "")


def _plain(text: str) -> str:
    if "-" in text or "~" in text or "`" in text or "''" in text:
        return _PLAIN_SPECIALS.sub(lambda m: _PLAIN_MAP[m.group(0)], text)
    return text


@lru_cache(maxsize=65536)
def _decode_short(value: str) -> str:
    return _decode_long(value)


def _decode_long(value: str) -> str:
    out, position = [], 0
    for match in _PIECE.finditer(value):
        if match.start() > position:
            out.append(_plain(value[position : match.start()]))
        out.append(_decode_piece(match.group(0)))
        position = match.end()
    out.append(_plain(value[position:]))
    text = "".join(out)
    if "{" in text or "}" in text or "\\" in text:
        # Something the pieces did not cover (unbalanced or deeply nested): whole value.
        text = _decode_piece(value)
    return text


def _markup_beyond_braces(value: str) -> bool:
    # Substring tests, not a regular expression: ten times faster on a plain abstract.
    return (
        "\\" in value
        or "$" in value
        or "~" in value
        or "`" in value
        or "--" in value
        or "''" in value
    )


def decode(value: str) -> str:
    """Unicode text for a BibTeX value (whitespace is left for the caller to normalize)."""
    if not value:
        return value
    if not _markup_beyond_braces(value):
        if "{" in value or "}" in value:
            return value.replace("{", "").replace("}", "")
        return value
    if len(value) <= 300:
        return _decode_short(value)
    return _decode_long(value)
