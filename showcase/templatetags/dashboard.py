from django import template

from showcase.dashboard import editor_dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard(context):
    return editor_dashboard(context["request"].user)
