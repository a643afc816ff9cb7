from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from samenplan.core.permissions import safe_next_url

from . import selectors, services

PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request):
    if request.method == "POST":
        marked = services.mark_read(user=request.user)
        if marked:
            messages.success(request, ngettext("%(count)s bericht is nu gelezen.",
                                               "%(count)s berichten zijn nu gelezen.", marked) % {"count": marked})
        else:
            messages.success(request, _("U had geen ongelezen berichten."))
        return redirect(safe_next_url(request, reverse("notifications:inbox")))
    page = Paginator(selectors.notifications_for_user(request.user), PER_PAGE).get_page(request.GET.get("pagina"))
    context = {"page": page, "unread_count": selectors.unread_count_for_request(request)}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request, notification_id):
    # Another person's message answers 404, as if it did not exist.
    if not selectors.notifications_for_user(request.user).filter(pk=notification_id).exists():
        raise Http404
    services.mark_read(user=request.user, notification_ids=[notification_id])
    return redirect(safe_next_url(request, reverse("notifications:inbox")))
