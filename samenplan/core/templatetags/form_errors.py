"""The lines of a page's error summary (core/includes/error_summary.html).

A page may hold several forms: the staffing page has one per location, all with the same field
labels. Each line therefore says which form it belongs to ("De Linde — Niveau 3 fte: ..."), and
links to the field, so the summary alone tells a person where every problem is.
"""

from django import template

register = template.Library()

# A group of radio buttons or checkboxes has its id on a <div>; a link goes to its first option.
GROUP_WIDGETS = frozenset({"radioselect", "checkboxselectmultiple"})


def _href(field) -> str:
    if field.is_hidden or not field.auto_id:
        return ""
    return f"#{field.auto_id}_0" if field.widget_type in GROUP_WIDGETS else f"#{field.auto_id}"


def form_error_lines(form, *, where: str = "", links: bool = True) -> list[dict]:
    """Every message of one form, in the order the page shows its fields: the form's own
    messages first (they belong to no field), then each field's."""
    if form is None or not form.errors:
        return []
    lines = [{"where": where, "label": "", "message": error, "href": ""} for error in form.non_field_errors()]
    for field in form:
        lines += [{"where": where, "label": field.label, "message": error, "href": _href(field) if links else ""}
                  for error in field.errors]
    return lines


@register.simple_tag
def error_lines(form=None, more_forms=None, unlinked=False):
    """{% error_lines form more_forms unlinked as lines %}: `more_forms` is a list of
    (where, form) pairs shown after `form`; `unlinked` for a page that does not show the fields."""
    lines = form_error_lines(form, links=not unlinked) if form else []
    for where, other in more_forms or ():
        lines += form_error_lines(other, where=where, links=not unlinked)
    return lines
