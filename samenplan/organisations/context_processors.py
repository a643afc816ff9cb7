from . import selectors


def current_organisation(request):
    """The organisation the header shows, and the others this person may switch to."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_organisation": selectors.current_organisation(request),
        "switchable_organisations": selectors.switchable_organisations(request.user),
    }
