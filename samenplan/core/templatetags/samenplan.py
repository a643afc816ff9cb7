from django import template

from samenplan.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Markdown as sanitised HTML (samenplan.core.markdown)."""
    return render_markdown(text)


@register.filter
def label(value, choices):
    """The readable label of a stored choice key: {{ key|label:choices }}."""
    return dict(choices).get(value, value)
