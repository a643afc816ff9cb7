"""What changed between two versions, told in words for the councils.

The side-by-side diff (plans.diff) shows every typed word; a council member who decided on an
earlier version, or who reads this year's plan beside last year's, first wants to know *which parts*
changed and *how*, in sentences. This works on the same canonical snapshots, so any two versions
(of one plan, or of last year's and this year's plan) can be compared. Every text here is plain:
the template escapes it.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samenplan.core.formats import long_date, number
from samenplan.frameworks.models import FrameworkSection

from . import readability
from .models import CARE_TYPES, TARGET_GROUPS, ImprovementAction, care_intensity_label
from .snapshot import staffing_totals

CHANGED, ADDED, REMOVED = "changed", "added", "removed"
# A long rewrite is told in numbers; the first new sentences are quoted so a reader sees its tone.
QUOTED_SENTENCES = 5


@dataclass(frozen=True)
class Change:
    key: str  # the section key, or "profile", "staffing", "paragraph-<location_id>"
    title: str
    state: str  # CHANGED, ADDED or REMOVED
    summary: str = ""  # the author's summary of the new text, when there is one
    points: list[str] = field(default_factory=list)  # what changed, one plain sentence each
    new_sentences: list[str] = field(default_factory=list)  # quoted from the new text


@dataclass(frozen=True)
class Changes:
    changed: list[Change]
    unchanged: list[str]  # titles of the parts that stayed the same


def _sentences(markdown_text: str) -> list[str]:
    return [sentence.text for sentence in readability.analyse(markdown_text or "").sentences]


def _text_change(key: str, title: str, old: dict | None, new: dict | None) -> Change | None:
    if old is None:
        return Change(key, title, ADDED, summary=new.get("summary", ""),
                      points=[_("Dit onderdeel is nieuw.")], new_sentences=_sentences(new.get("body"))[:QUOTED_SENTENCES])
    if new is None:
        return Change(key, title, REMOVED, points=[_("Dit onderdeel staat niet meer in het plan.")])
    old_body, new_body = old.get("body") or "", new.get("body") or ""
    old_summary, new_summary = old.get("summary") or "", new.get("summary") or ""
    if old_body == new_body and old_summary == new_summary and old.get("title") == new.get("title"):
        return None
    points = []
    if old.get("title") != new.get("title"):
        points.append(_("De titel was „%(old)s”.") % {"old": old.get("title", "")})
    before, after = _sentences(old_body), _sentences(new_body)
    kept = set(before)
    added = [sentence for sentence in after if sentence not in kept]
    removed = [sentence for sentence in before if sentence not in set(after)]
    if added:
        points.append(ngettext("Er is %(count)s zin nieuw of anders geschreven.",
                               "Er zijn %(count)s zinnen nieuw of anders geschreven.", len(added))
                      % {"count": len(added)})
    if removed:
        points.append(ngettext("%(count)s zin van eerst staat er niet meer.",
                               "%(count)s zinnen van eerst staan er niet meer.", len(removed))
                      % {"count": len(removed)})
    if old_body != new_body and not added and not removed:
        points.append(_("Alleen de opmaak of de volgorde van de tekst is veranderd."))
    if old_summary != new_summary:
        points.append(_("De samenvatting is aangepast.") if old_summary else _("Er is een samenvatting bij gekomen."))
    return Change(key, title, CHANGED, summary=new_summary, points=points, new_sentences=added[:QUOTED_SENTENCES])


def _listed(choices, keys) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(key, key)) for key in keys)


def _profile_change(title: str, old: dict, new: dict) -> Change | None:
    points = []
    for name, choices, added_text, removed_text in (
        ("target_groups", TARGET_GROUPS, _("Nieuwe doelgroep: %(items)s."), _("Niet meer genoemd als doelgroep: %(items)s.")),
        ("care_types", CARE_TYPES, _("Nieuwe soort zorg: %(items)s."), _("Niet meer genoemd als soort zorg: %(items)s.")),
    ):
        before, after = old.get(name) or [], new.get(name) or []
        if gained := [key for key in after if key not in before]:
            points.append(added_text % {"items": _listed(choices, gained)})
        if lost := [key for key in before if key not in after]:
            points.append(removed_text % {"items": _listed(choices, lost)})
    old_intensity, new_intensity = old.get("care_intensity") or {}, new.get("care_intensity") or {}
    for profile in sorted(set(old_intensity) | set(new_intensity)):
        before, after = old_intensity.get(profile, 0), new_intensity.get(profile, 0)
        if before != after:
            points.append(_("Bewoners met zorgprofiel %(profile)s: eerst %(old)s, nu %(new)s.")
                          % {"profile": care_intensity_label(profile), "old": number(before, 0),
                             "new": number(after, 0)})
    if (old.get("text") or "") != (new.get("text") or ""):
        points.append(_("De toelichting is aangepast."))
    return Change("profile", title, CHANGED, points=points) if points else None


def _care(totals: dict) -> str:
    return _("%(fte)s fte, %(people)s mensen") % {"fte": number(totals.get("care_fte") or 0),
                                                   "people": number(totals.get("care_headcount") or 0, 0)}


def _staffing_change(title: str, old: dict, new: dict) -> Change | None:
    points = []
    if old.get("reference_date") != new.get("reference_date") and new.get("reference_date"):
        points.append(_("De cijfers gelden nu op %(date)s.") % {"date": long_date(new["reference_date"])})
    old_rows = {row.get("location_id"): row for row in old.get("rows") or []}
    new_rows = {row.get("location_id"): row for row in new.get("rows") or []}
    for location_id in [*new_rows, *(key for key in old_rows if key not in new_rows)]:
        before, after = old_rows.get(location_id), new_rows.get(location_id)
        name = (after or before).get("location") or _("Niet aan één locatie verbonden")
        before_care = _care(staffing_totals([before])) if before else ""
        after_care = _care(staffing_totals([after])) if after else ""
        if before is None:
            points.append(_("%(name)s: nieuw in de cijfers, zorgpersoneel %(new)s.") % {"name": name, "new": after_care})
        elif after is None:
            points.append(_("%(name)s: staat niet meer in de cijfers.") % {"name": name})
        elif before_care != after_care:
            points.append(_("%(name)s: zorgpersoneel eerst %(old)s, nu %(new)s.")
                          % {"name": name, "old": before_care, "new": after_care})
        elif before != after:
            points.append(_("%(name)s: andere cijfers per opleidingsniveau, even veel zorgpersoneel.") % {"name": name})
    if points and old_rows and new_rows:
        points.append(_("In totaal: zorgpersoneel eerst %(old)s, nu %(new)s.")
                      % {"old": _care(old.get("totals") or {}), "new": _care(new.get("totals") or {})})
    if (old.get("note") or "") != (new.get("note") or ""):
        points.append(_("De toelichting is aangepast."))
    return Change("staffing", title, CHANGED, points=points) if points else None


def _action_words(action: dict) -> str:
    details = [part for part in (action.get("owner"), action.get("due_quarter")) if part]
    title = "„%s”" % action.get("title", "")
    return f"{title} ({', '.join(details)})" if details else title


def _paragraph_change(location_id, old: dict | None, new: dict | None) -> Change | None:
    present = new or old
    title = _("Verbeterparagraaf %(location)s") % {"location": present.get("location", "")}
    key = f"paragraph-{location_id}"
    if old is None or new is None:
        state = ADDED if old is None else REMOVED
        words = _("Deze locatie is nieuw in het plan.") if old is None else _("Deze locatie staat niet meer in het plan.")
        return Change(key, title, state, points=[words])
    points = []
    if (old.get("body") or "") != (new.get("body") or ""):
        points.append(_("De tekst is aangepast."))
    statuses = dict(ImprovementAction.Status.choices)
    before = {action.get("id"): action for action in old.get("actions") or []}
    after = {action.get("id"): action for action in new.get("actions") or []}
    matched = set()
    for action_id, action in after.items():
        earlier = before.get(action_id)
        # Next year's plan carries an unfinished action over as a new row that points at the old one.
        carried = (action.get("carried_over_from") or {}).get("id")
        if earlier is None and carried in before:
            matched.add(carried)
            points.append(_("%(action)s loopt door uit het vorige plan.") % {"action": _action_words(action)})
            continue
        matched.add(action_id)
        if earlier is None:
            points.append(_("Nieuwe actie: %(action)s.") % {"action": _action_words(action)})
        elif earlier.get("status") != action.get("status"):
            points.append(_("%(action)s: was %(old)s, nu %(new)s.") % {
                "action": _action_words(action), "old": str(statuses.get(earlier.get("status"), "")).lower(),
                "new": str(statuses.get(action.get("status"), "")).lower()})
        elif earlier != action:
            points.append(_("De actie %(action)s is aangepast.") % {"action": _action_words(action)})
    for action_id, action in before.items():
        if action_id in matched:
            continue
        if action.get("status") == ImprovementAction.Status.DONE:
            points.append(_("De actie %(action)s is klaar en staat er daarom niet meer in.")
                          % {"action": _action_words(action)})
        else:
            points.append(_("De actie %(action)s staat er niet meer in.") % {"action": _action_words(action)})
    return Change(key, title, CHANGED, points=points) if points else None


def explain_changes(old: dict, new: dict) -> Changes:
    """The parts of the plan that changed from `old` to `new`, in the order of the new version."""
    old_sections = {s["key"]: s for s in old.get("sections", [])}
    new_sections = {s["key"]: s for s in new.get("sections", [])}
    order = [*new_sections, *(key for key in old_sections if key not in new_sections)]
    changed, unchanged = [], []
    for key in order:
        section = new_sections.get(key) or old_sections[key]
        title, kind = section.get("title", ""), section["kind"]
        if kind in FrameworkSection.TEXT_KINDS:
            found = [_text_change(key, title, old_sections.get(key), new_sections.get(key))]
        elif kind == FrameworkSection.Kind.ORGANISATION_PROFILE:
            found = [_profile_change(title, old.get("organisation_profile") or {}, new.get("organisation_profile") or {})]
        elif kind == FrameworkSection.Kind.STAFFING:
            found = [_staffing_change(title, old.get("staffing") or {}, new.get("staffing") or {})]
        elif kind == FrameworkSection.Kind.IMPROVEMENT_PARAGRAPHS:
            before = {p["location_id"]: p for p in old.get("improvement_paragraphs", [])}
            after = {p["location_id"]: p for p in new.get("improvement_paragraphs", [])}
            found = [_paragraph_change(location_id, before.get(location_id), after.get(location_id))
                     for location_id in [*after, *(k for k in before if k not in after)]]
        else:
            continue
        found = [change for change in found if change is not None]
        changed.extend(found)
        if not found:
            unchanged.append(title)
    return Changes(changed=changed, unchanged=unchanged)
