from . import selectors


def current_organisation(request):
    """The organisation the header shows, and the others this person may switch to."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    organisation = selectors.current_organisation(request)
    return {
        "current_organisation": organisation,
        "switchable_organisations": selectors.switchable_organisations(request.user),
        "can_read_plans": organisation is not None and request.user.has_perm("plans.view_plan", organisation),
    }
