from django import template
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

from samenplan.core import formats
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


@register.filter
def nl_number(value, decimals=2):
    """{{ "1234.5"|nl_number }} → "1.234,50" in Dutch, "1,234.50" in English; counts: |nl_number:0."""
    return formats.number(value, int(decimals))


@register.filter
def nl_date(value):
    """{{ "2027-12-31"|nl_date }} → "31 december 2027"; "" when empty."""
    return formats.long_date(value)


@register.filter
def care_profile(code):
    """{{ "VV5"|care_profile }} → "VV5 – Beschermd wonen met intensieve dementiezorg"."""
    from samenplan.plans.models import care_intensity_label

    return care_intensity_label(code)


@register.filter
def nonzero_items(mapping):
    """The (key, value) pairs of a dict whose value is not 0 or empty, in order."""
    return [(key, value) for key, value in (mapping or {}).items() if not formats.is_none(value)]


@register.simple_tag
def fte_and_people(fte, people):
    """One cell of a staffing table: "4,50 fte · 6 personen", "12 personen" when `fte` is None,
    and a dash (read out as "geen") when there is nothing, rather than "0.00 / 0"."""
    if formats.is_none(fte) and formats.is_none(people):
        return format_html('<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>',
                           gettext("geen"))
    count = int(people or 0)
    persons = ngettext("%(count)s persoon", "%(count)s personen", count) % {"count": formats.number(count, 0)}
    if fte is None:
        return persons
    figure = gettext("%(fte)s fte") % {"fte": formats.number(fte)}
    return format_html('<span class="nowrap">{}</span> · <span class="nowrap">{}</span>', figure, persons)
