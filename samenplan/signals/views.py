"""Pages for signals: the public signal page of a location with its poster, entering a signal on
someone's behalf, and working with signals (list, chart, theme, duplicates, links, removing text).

Every change goes through signals.services; these views only read, fill forms and redirect.
"""

import csv
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samenplan.accounts.middleware import second_factor_exempt
from samenplan.core import pagecache
from samenplan.core.permissions import require
from samenplan.core.ratelimit import retry_after
from samenplan.core.rendering import run_form_action
from samenplan.participation.models import TopPoint
from samenplan.plans.models import ImprovementAction

from . import selectors, services
from .charts import bar_chart
from .forms import (
    LinkForm,
    MergeForm,
    PeriodForm,
    ProxySignalForm,
    PublicSignalForm,
    RedactForm,
    ThemeForm,
    quarter_bounds,
)
from .models import Signal
from .personal_data import kinds_found

PAGE_SIZE = 50


# --- The public signal page -------------------------------------------------------------------


def _listing(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s en %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def rate_limited(request, location_id: int) -> int | None:
    """Seconds to wait when this client sent too many signals for this location, else None."""
    return retry_after(request, "signal", limit=settings.SIGNAL_RATE_LIMIT, window=settings.SIGNAL_RATE_WINDOW,
                       key=str(location_id))


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def public_form(request, code):
    location = selectors.active_location_for_code(code)
    form = PublicSignalForm(request.POST or None)
    context = {"location": location, "form": form, "code": code, "findings": None}
    if request.method == "POST":
        wait = rate_limited(request, location.pk)
        if wait is not None:
            form.is_valid()
            minutes = max(1, round(wait / 60))
            form.add_error(None, ngettext(
                "Er zijn vanaf dit apparaat kort na elkaar veel signalen gestuurd. Probeer het over %(minutes)s "
                "minuut opnieuw. Uw tekst staat er nog.",
                "Er zijn vanaf dit apparaat kort na elkaar veel signalen gestuurd. Probeer het over %(minutes)s "
                "minuten opnieuw. Uw tekst staat er nog.", minutes) % {"minutes": minutes})
            response = render(request, "signals/public_form.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            if form.cleaned_data["website"]:
                # The honeypot was filled in: a program, not a person. It gets the same thank-you.
                return redirect("signals:public_thanks", code=code)
            data = form.cleaned_data
            try:
                run_form_action(form, lambda: services.submit_public_signal(
                    location_id=location.pk, organisation_id=location.organisation_id, text=data["text"],
                    topic=data["topic"], giver_role=data["giver_role"],
                    confirm_personal_data=data["confirm_personal_data"]))
            except services.PersonalDataFound as found:
                context["findings"] = found.findings
                context["kinds"] = _listing(kinds_found(found.findings))
                return render(request, "signals/public_form.html", context)
            if not form.errors:
                return redirect("signals:public_thanks", code=code)
    return render(request, "signals/public_form.html", context, status=400 if form.errors else 200)


@second_factor_exempt
@require_GET
def public_thanks(request, code):
    location = selectors.active_location_for_code(code)
    return render(request, "signals/public_thanks.html", {"location": location, "code": code})


def qr_svg(text: str, title: str) -> str:
    """The QR code as inline SVG (the CSP allows no external images), with a title for screen readers."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg"):]
    head_end = svg.index(">") + 1
    head = svg[:head_end].replace("<svg", '<svg role="img" aria-labelledby="qr-titel" class="poster-qr"', 1)
    return mark_safe(f'{head}<title id="qr-titel">{escape(title)}</title>{svg[head_end:]}')  # noqa: S308


@login_required
@require_GET
def poster(request, organisation_id, location_id):
    location = selectors.get_location_with_perm(request.user, location_id, "signals.print_poster", organisation_id)
    page = selectors.signal_page_of(location)
    url = request.build_absolute_uri(page.get_absolute_url())
    short = url.split("://", 1)[-1]
    context = {"location": location, "url": url, "short_link": short,
               "qr": qr_svg(url, _("QR-code voor de signaalpagina van %(location)s") % {"location": location.name})}
    return render(request, "signals/poster.html", context)


# --- Working with signals ---------------------------------------------------------------------


def _selection(request, organisation):
    """The list's filters from the query string; wrong input is shown and the default period used."""
    locations = list(selectors.locations_of(organisation))
    themes = selectors.themes_of(organisation)
    form = PeriodForm(request.GET or None, locations=locations, themes=themes)
    period = selectors.default_period()
    location_id = theme_key = None
    search = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["kwartaal"]:
            start, end = quarter_bounds(data["kwartaal"])
            period = selectors.Period(start, end, data["kwartaal"])
        elif data["van"] or data["tot"]:
            period = selectors.Period(data["van"] or period.start.replace(year=1900), data["tot"] or period.end)
        location_id = data["locatie"]
        theme_key = {"": None, "-": ""}.get(data["thema"], data["thema"])
        search = data["zoek"].strip()
    return form, locations, themes, period, location_id, theme_key, search


@login_required
@require_GET
@pagecache.per_person("signal_list")
def signal_list(request, organisation_id):
    # Building it takes 50-80 ms for an organisation with 60 locations (bench/signals.py); a council
    # member opens it far more often than a signal comes in. Filters (a query string) are never kept.
    organisation = selectors.get_organisation_with_perm(request.user, organisation_id, "signals.view_signals")
    pagecache.depends_on(request, pagecache.for_organisation(organisation.pk))
    form, locations, themes, period, location_id, theme_key, search = _selection(request, organisation)
    signals = selectors.signals_of(organisation, period=period, location_id=location_id, theme_key=theme_key,
                                   search=search)
    page = Paginator(signals, PAGE_SIZE).get_page(request.GET.get("pagina"))
    points, actions = selectors.links_of([s.pk for s in page])
    titles = dict(themes)
    for signal in page:
        signal.linked_points, signal.linked_actions = points.get(signal.pk, []), actions.get(signal.pk, [])
        signal.theme_title = titles.get(signal.theme_key, signal.theme_key)
    theme_rows, location_rows, cross = selectors.counts_per_theme_and_location(
        organisation, period=period, themes=themes, locations=locations, location_id=location_id)
    period_text = _("van %(start)s tot en met %(end)s") % {
        "start": date_format(period.start, "j F Y"), "end": date_format(period.end, "j F Y")}
    theme_chart = bar_chart("per-thema", theme_rows, title=_("Signalen per thema"),
                            description=_("Aantal signalen per thema, %(period)s. Dubbele signalen tellen als één.")
                            % {"period": period_text})
    location_chart = bar_chart("per-locatie", location_rows, title=_("Signalen per locatie"),
                               description=_("Aantal signalen per locatie, %(period)s.") % {"period": period_text})
    cross_themes = list(theme_rows)
    cross_rows = [(row, [cross.get(int(row.key), {}).get(t.key if t.key != "-" else "", 0) for t in cross_themes])
                  for row in location_rows]
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "organisation": organisation, "form": form, "page": page, "period": period, "period_text": period_text,
        "theme_rows": theme_rows, "location_rows": location_rows, "theme_chart": theme_chart,
        "location_chart": location_chart, "cross_themes": cross_themes, "cross_rows": cross_rows,
        "total": sum(row.count for row in theme_rows), "query": query.urlencode(),
        "can_record": request.user.has_perm("signals.record_on_behalf", organisation),
        "locations": [loc for loc in locations if loc.is_active],
    }
    return render(request, "signals/signal_list.html", context, status=400 if form.errors else 200)


def _csv_cell(value) -> str:
    # A spreadsheet runs a cell that starts like a formula; a signal's text must stay text.
    text = str(value or "")
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


class _Echo:
    def write(self, value):
        return value


@login_required
@require_GET
def signal_export(request, organisation_id):
    organisation = selectors.get_organisation_with_perm(request.user, organisation_id, "signals.view_signals")
    _form, _locations, themes, period, location_id, theme_key, search = _selection(request, organisation)
    titles = dict(themes)
    signals = selectors.signals_of(organisation, period=period, location_id=location_id, theme_key=theme_key,
                                   search=search)

    def rows():
        yield [_("Nummer"), _("Ontvangen op"), _("Locatie"), _("Hoe binnengekomen"), _("Wie gaf het signaal"),
               _("Onderwerp"), _("Thema"), _("Signaal"), _("Tekst weggehaald"), _("Dubbele signalen"),
               _("Ingevoerd door")]
        for signal in signals.iterator(chunk_size=1000):
            yield [signal.pk, signal.received_on.isoformat(), signal.location.name, signal.get_channel_display(),
                   signal.get_giver_role_display(), signal.get_topic_display(),
                   titles.get(signal.theme_key, signal.theme_key), signal.text,
                   _("ja") if signal.is_redacted else _("nee"), signal.duplicate_count,
                   str(signal.entered_by) if signal.entered_by_id else ""]

    writer = csv.writer(_Echo(), delimiter=";")
    response = StreamingHttpResponse((writer.writerow([_csv_cell(c) for c in row]) for row in rows()),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="signalen-{organisation.pk}-{period.start}-{period.end}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def record_signal(request, organisation_id):
    organisation = selectors.get_organisation_with_perm(request.user, organisation_id, "signals.record_on_behalf")
    locations = selectors.locations_of(organisation).filter(is_active=True)
    initial = {"location": request.GET.get("locatie")} if request.GET.get("locatie", "").isdigit() else {}
    form = ProxySignalForm(request.POST or None, locations=locations, initial=initial)
    context = {"organisation": organisation, "form": form, "findings": None}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signal = run_form_action(form, lambda: services.record_signal_on_behalf(
                location=data["location"], by=request.user, text=data["text"], channel=data["channel"],
                received_on=data["received_on"], topic=data["topic"], giver_role=data["giver_role"],
                confirm_personal_data=data["confirm_personal_data"]))
        except services.PersonalDataFound as found:
            context["findings"] = found.findings
            context["kinds"] = _listing(kinds_found(found.findings))
            return render(request, "signals/record_signal.html", context)
        if signal:
            messages.success(request, _("Het signaal is opgeslagen. U staat erbij als degene die het invoerde."))
            return redirect(signal)
    return render(request, "signals/record_signal.html", context, status=400 if form.errors else 200)


def _detail(request, signal, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    organisation = signal.organisation
    themes = selectors.themes_of(organisation)
    user = request.user
    points, actions = selectors.links_of([signal.pk])
    forms = {
        "theme": bound.get("theme") or ThemeForm(themes=themes, initial={"theme_key": signal.theme_key}),
        "link": bound.get("link") or LinkForm(top_points=selectors.top_point_choices(organisation),
                                              actions=selectors.action_choices(organisation)),
    }
    if signal.duplicate_of_id is None:
        forms["merge"] = bound.get("merge") or MergeForm(candidates=selectors.merge_candidates(signal))
    can_redact = user.has_perm("signals.redact_signal", signal) and not signal.is_redacted
    if can_redact:
        forms["redact"] = bound.get("redact") or RedactForm()
    where = {"theme": _("Thema"), "link": _("Koppelen"), "merge": _("Dubbel signaal"), "redact": _("Tekst weghalen")}
    context = {
        "signal": signal, "organisation": organisation, "forms": forms,
        "error_forms": [(where[name], form) for name, form in forms.items() if form.is_bound and form.errors],
        "theme_title": dict(themes).get(signal.theme_key, signal.theme_key),
        "duplicates": list(signal.duplicates.order_by("received_on", "pk").only("pk", "received_on", "location_id")),
        "linked_points": points.get(signal.pk, []), "linked_actions": actions.get(signal.pk, []),
        "can_redact": can_redact,
    }
    return render(request, "signals/signal_detail.html", context, status=status)


@login_required
@require_GET
def signal_detail(request, signal_id):
    return _detail(request, selectors.get_signal_for_user(request.user, signal_id))


def _work(request, signal_id, perm="signals.work_with_signals"):
    signal = selectors.get_signal_for_user(request.user, signal_id)
    require(request.user, perm, signal)
    return signal


@login_required
@require_POST
def signal_tag(request, signal_id):
    signal = _work(request, signal_id)
    form = ThemeForm(request.POST, themes=selectors.themes_of(signal.organisation))
    if form.is_valid() and run_form_action(form, lambda: services.tag_signal(
            signal=signal, by=request.user, theme_key=form.cleaned_data["theme_key"])):
        messages.success(request, _("Het thema is opgeslagen."))
        return redirect(signal)
    return _detail(request, signal, bound={"theme": form}, status=400)


@login_required
@require_POST
def signal_merge(request, signal_id):
    signal = _work(request, signal_id)
    form = MergeForm(request.POST, candidates=selectors.merge_candidates(signal))
    if form.is_valid():
        into = Signal.objects.filter(pk=form.cleaned_data["into"]).first()
        if run_form_action(form, lambda: services.merge_signals(signal=signal, into=into, by=request.user)):
            messages.success(request, _("Dit signaal is nu dubbel met signaal %(number)s en telt niet meer apart mee.")
                             % {"number": into.pk})
            return redirect(signal)
    return _detail(request, signal, bound={"merge": form}, status=400)


@login_required
@require_POST
def signal_separate(request, signal_id):
    signal = _work(request, signal_id)
    services.separate_signal(signal=signal, by=request.user)
    messages.success(request, _("Dit signaal telt weer apart mee."))
    return redirect(signal)


@login_required
@require_POST
def signal_link(request, signal_id):
    signal = _work(request, signal_id)
    organisation = signal.organisation
    form = LinkForm(request.POST, top_points=selectors.top_point_choices(organisation),
                    actions=selectors.action_choices(organisation))
    if form.is_valid():
        data = form.cleaned_data
        point = TopPoint.objects.select_related("plan").filter(pk=data["top_point"]).first() if data["top_point"] else None
        action = (ImprovementAction.objects.select_related("paragraph__plan").filter(pk=data["action"]).first()
                  if data["action"] else None)
        if run_form_action(form, lambda: services.link_signal(signal=signal, by=request.user, top_point=point,
                                                              action=action)):
            messages.success(request, _("Het signaal is gekoppeld."))
            return redirect(signal)
    return _detail(request, signal, bound={"link": form}, status=400)


@login_required
@require_POST
def signal_unlink(request, signal_id):
    signal = _work(request, signal_id)
    top_point_id, action_id = request.POST.get("top_point", ""), request.POST.get("action", "")
    services.unlink_signal(signal=signal, by=request.user,
                           top_point_id=int(top_point_id) if top_point_id.isdigit() else None,
                           action_id=int(action_id) if action_id.isdigit() else None)
    messages.success(request, _("De koppeling is weggehaald."))
    return redirect(signal)


@login_required
@require_POST
def signal_redact(request, signal_id):
    signal = _work(request, signal_id, "signals.redact_signal")
    form = RedactForm(request.POST)
    if form.is_valid():
        try:
            services.redact_signal(signal=signal, by=request.user)
        except services.AlreadyRedacted:
            pass
        messages.success(request, _("De tekst van het signaal is weggehaald. In het logboek staat dat u dat deed, "
                                    "niet wat er stond."))
        return redirect(signal)
    return _detail(request, signal, bound={"redact": form}, status=400)

