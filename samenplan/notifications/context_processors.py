from . import selectors


def unread_notifications(request):
    """The unread count in the header. Read lazily, so pages that do not show the header (and
    anonymous visitors) make no query, and at most once per request."""
    return {"unread_notification_count": lambda: selectors.unread_count_for_request(request)}
