"""Rendering editor-written Markdown safely.

``{{ text|markdown }}`` turns Markdown into HTML and then cleans it with nh3, so
whatever an editor (or an import) put in a summary or a bio, only a small set of
harmless tags, attributes and URL schemes reaches the page.
"""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Markdown to sanitized HTML (a plain ``str``). Headings are shifted down two
    levels so a summary can never add a second ``h1`` or compete with the page's ``h2``s."""
    if not text:
        return ""
    html = markdown_lib.markdown(
        str(text), extensions=["extra", "sane_lists"], output_format="html"
    )
    html = html.replace("<h1", "<h3").replace("</h1>", "</h3>")
    html = html.replace("<h2", "<h4").replace("</h2>", "</h4>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


@register.filter(is_safe=True)
def markdown(text):
    return mark_safe(render_markdown(text))
