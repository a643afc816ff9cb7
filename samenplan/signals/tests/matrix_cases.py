"""Permission-matrix cases of this app (gathered by samenplan/core/tests/matrix.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from samenplan.core.tests.cases import Case

# Stored signals: the organisation's quality staff and the members of its councils, nobody else.
READERS = frozenset({"quality", "council_member", "council_secretary", "works_council_member"})
# On someone's behalf, and removing a text: quality staff and council secretaries.
ENTRANTS = frozenset({"quality", "council_secretary"})
# The poster holds no signal: everyone who works in or for the organisation may print it.
POSTER = READERS | {"board", "location_manager"}


def make_signal(w, text="De koffie is koud als hij bij de bewoners komt.", **extra):
    from samenplan.signals.models import Signal

    return Signal.objects.create(organisation=w.organisation, location=w.location, text=text,
                                 received_on=timezone.localdate(), **extra)


def _signal_url(name):
    return lambda w: reverse(f"signals:{name}", args=[make_signal(w).pk])


def _duplicate_url(w):
    kept = make_signal(w)
    return reverse("signals:separate", args=[make_signal(w, duplicate_of=kept).pk])


def _merge_data(w):
    return {"into": make_signal(w, text="Koffie te koud.").pk}


def _record_data(w):
    return {"location": w.location.pk, "channel": "paper", "received_on": (timezone.localdate() - timedelta(days=2))
            .isoformat(), "text": "Op de afdeling is het 's avonds te stil.", "topic": "day", "giver_role": "relative"}


def _org(name):
    return lambda w: reverse(f"signals:{name}", args=[w.organisation.pk])


CASES = [
    Case("signals:list", _org("list"), READERS),
    Case("signals:export", _org("export"), READERS),
    Case("signals:record", _org("record"), ENTRANTS),
    Case("signals:record", _org("record"), ENTRANTS, "post", _record_data),
    Case("signals:poster", lambda w: reverse("signals:poster", args=[w.organisation.pk, w.location.pk]), POSTER),
    Case("signals:detail", _signal_url("detail"), READERS),
    Case("signals:tag", _signal_url("tag"), READERS, "post", lambda w: {"theme_key": "veiligheid"}),
    Case("signals:merge", _signal_url("merge"), READERS, "post", _merge_data),
    Case("signals:separate", _duplicate_url, READERS, "post"),
    Case("signals:link", _signal_url("link"), READERS, "post", lambda w: {"top_point": w.top_point.pk}),
    Case("signals:unlink", _signal_url("unlink"), READERS, "post", lambda w: {"top_point": w.top_point.pk}),
    Case("signals:redact", _signal_url("redact"), ENTRANTS, "post", lambda w: {"confirm": "on"}),
    Case("GET /api/v1/locations/{location_id}/signals", lambda w: f"/api/v1/locations/{w.location.pk}/signals",
         READERS, api=True),
    Case("POST /api/v1/signals/{signal_id}/redact", lambda w: f"/api/v1/signals/{make_signal(w).pk}/redact",
         ENTRANTS, "post", api=True),
]

# Anyone may use these without logging in: the short link of the poster and its thank-you page, and
# the public intake of the API.
PUBLIC_ROUTES = {"signals:public_form", "signals:public_thanks"}
PUBLIC_API = {"POST /api/v1/public/locations/{location_id}/signals"}
