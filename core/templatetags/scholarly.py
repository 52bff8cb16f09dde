"""Template tags for machine-readable metadata in a page's ``<head>``.

    {% load scholarly %}
    {% canonical_link publication %}   <link rel="canonical" href="https://…/publications/x/">
    {% absolute_url obj.get_permalink %}  https://…/r/<stable id> (core.http.site_url)
    {% json_ld publication %}          <script type="application/ld+json">…</script>
    {% social_meta publication %}      OpenGraph and Twitter card <meta> tags
    {% meta_description publication %} <meta name="description" content="…">

Each reads what ``for_detail()`` prefetched and adds no queries; the data comes from
``core.http.metadata`` and what each app registered there. A paper's Google Scholar tags are
``{% scholar_meta %}`` in ``publications``' ``citations`` library.
"""

from django import template
from django.utils.html import format_html, format_html_join

from core.http import metadata
from core.http.site_url import absolute_url

register = template.Library()


@register.simple_tag(name="absolute_url", takes_context=True)
def absolute_url_tag(context, path):
    return absolute_url(context["request"], path)


@register.simple_tag(takes_context=True)
def canonical_url(context, obj=None):
    """The absolute URL of ``obj``'s page, or of the current page without its query."""
    request = context["request"]
    path = obj.get_absolute_url() if obj is not None else request.path
    return absolute_url(request, path)


@register.simple_tag(takes_context=True)
def canonical_link(context, obj=None):
    return format_html('<link rel="canonical" href="{}">', canonical_url(context, obj))


@register.simple_tag(takes_context=True)
def json_ld(context, obj):
    data = metadata.json_ld(obj, context["request"])
    return metadata.json_ld_script(data) if data else ""


@register.simple_tag(takes_context=True)
def social_meta(context, obj):
    return format_html_join(
        "\n", '<meta {}="{}" content="{}">', metadata.social_meta(obj, context["request"])
    )


@register.simple_tag
def meta_description(obj):
    text = metadata.description(obj)
    return format_html('<meta name="description" content="{}">', text) if text else ""
