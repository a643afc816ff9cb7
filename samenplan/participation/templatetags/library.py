"""The library's part of other apps' pages: the panel on the plan page and the note on the
section editor. One query each."""

from django import template

from samenplan.participation import selectors

register = template.Library()


@register.simple_tag
def library_shares(user, plan):
    """The plan's entries in the library, for the organisation's board and quality staff; None for
    everybody else (so the panel stays away and no query is made)."""
    if not user.has_perm("participation.share_in_library", plan):
        return None
    return list(selectors.library_entries_of_plan(plan))


@register.simple_tag
def section_copies(section):
    return list(selectors.copies_into_section(section.plan_id, section.key))
