"""A frozen plan version as a PDF: cover, table of contents, every part of the plan.

Built from the canonical snapshot only, so the PDF of a version never changes with later edits.
Texts go through render_markdown (the same allow-list as the pages); everything else is escaped
by the template. WeasyPrint is imported inside the render function: importing it costs about a
second, which no web request that does not make a PDF should pay; the task worker pays it once,
when it starts (`load_renderer`, plans/management/commands/db_worker.py).
"""

import gc
import ssl
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from samenplan.core import formats
from samenplan.core.markdown import render_markdown
from samenplan.frameworks.models import FrameworkSection

from .models import (
    CARE_TYPES,
    TARGET_GROUPS,
    ImprovementAction,
    StaffingRow,
    care_intensity_label,
    short_hash,
)

TEMPLATE = "plans/pdf/version.html"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


NOTHING = "–"  # the figure of a group without anyone; the page says what the dash means


def _number(value, places: int = 2) -> str:
    """A figure in the reader's format ("3,25"); a dash for none, not "0,00"."""
    return NOTHING if formats.is_none(value) else formats.number(value, places)


def _fte_and_people(fte, heads) -> str:
    if formats.is_none(fte) and formats.is_none(heads):
        return NOTHING
    return f"{formats.number(fte or 0)} / {formats.number(heads or 0, 0)}"


def _staffing_row(row: dict, name: str, *, total: bool = False) -> dict:
    groups = [(f"level{n}_fte", f"level{n}_headcount") for n in StaffingRow.LEVELS]
    groups += [("other_care_fte", "other_care_headcount"), ("treatment_fte", "treatment_headcount")]
    care_fte = row.get("care_fte")
    if care_fte is None:
        care_fte = sum((Decimal(str(row.get(f"level{n}_fte") or 0)) for n in StaffingRow.LEVELS), Decimal(0))
        care_fte += Decimal(str(row.get("other_care_fte") or 0))
    care_heads = row.get("care_headcount")
    if care_heads is None:
        care_heads = sum(int(row.get(f"level{n}_headcount") or 0) for n in StaffingRow.LEVELS)
        care_heads += int(row.get("other_care_headcount") or 0)
    return {
        "name": name, "total": total,
        "groups": [_fte_and_people(row.get(fte), row.get(heads)) for fte, heads in groups],
        "care": _fte_and_people(care_fte, care_heads),
        "trainees": _number(row.get("trainees"), 0), "volunteers": _number(row.get("volunteers"), 0),
        "inflow": _number(row.get("inflow"), 0), "outflow": _number(row.get("outflow"), 0),
        "sickness_rate": _number(row.get("sickness_rate")),
    }


def _staffing(snapshot: dict) -> dict:
    staffing = snapshot.get("staffing") or {}
    rows = staffing.get("rows") or []
    return {
        "reference_date": formats.long_date(staffing.get("reference_date")),
        "note_html": render_markdown(staffing.get("note", "")),
        "rows": [_staffing_row(row, row.get("location") or _("Hele organisatie")) for row in rows],
        "totals": _staffing_row(staffing.get("totals") or {}, _("Totaal"), total=True) if rows else None,
    }


def _profile(snapshot: dict) -> dict:
    profile = snapshot.get("organisation_profile") or {}
    groups, types = dict(TARGET_GROUPS), dict(CARE_TYPES)
    intensity = profile.get("care_intensity") or {}
    return {
        "target_groups": [groups.get(key, key) for key in profile.get("target_groups", [])],
        "care_types": [types.get(key, key) for key in profile.get("care_types", [])],
        # Profiles without residents are left out; each code says what it means.
        "care_intensity": [(care_intensity_label(code), formats.number(count, 0))
                           for code, count in intensity.items() if not formats.is_none(count)],
        "residents": formats.number(sum(int(count or 0) for count in intensity.values()), 0),
        "text_html": render_markdown(profile.get("text", "")),
        "locations": snapshot.get("locations") or [],
    }


def _paragraphs(snapshot: dict) -> list[dict]:
    statuses, sources = dict(ImprovementAction.Status.choices), dict(ImprovementAction.Source.choices)
    themes = {s["key"]: s.get("title", "") for s in snapshot.get("sections", [])}
    paragraphs = []
    for paragraph in snapshot.get("improvement_paragraphs", []):
        actions = []
        for action in paragraph.get("actions", []):
            earlier = action.get("carried_over_from") or {}
            actions.append({
                **action,
                "theme": themes.get(action.get("theme_key") or "", action.get("theme_key") or ""),
                "status_label": statuses.get(action.get("status"), action.get("status") or ""),
                "source_label": sources.get(action.get("source"), action.get("source") or ""),
                "carried_over_year": earlier.get("year"),
            })
        paragraphs.append({
            "anchor": f"locatie-{paragraph.get('location_id')}", "location": paragraph.get("location", ""),
            "body_html": render_markdown(paragraph.get("body", "")), "actions": actions,
        })
    return paragraphs


def _parts(snapshot: dict) -> list[dict]:
    """The plan in the framework's order; the profile, staffing and improvement paragraphs come
    from the snapshot's data where the framework places them, or at the end if it does not."""
    builders = {
        FrameworkSection.Kind.ORGANISATION_PROFILE: ("profile", _profile),
        FrameworkSection.Kind.STAFFING: ("staffing", _staffing),
        FrameworkSection.Kind.IMPROVEMENT_PARAGRAPHS: ("paragraphs", _paragraphs),
    }
    parts, done = [], set()
    for index, section in enumerate(snapshot.get("sections", [])):
        kind = section.get("kind")
        if kind in FrameworkSection.TEXT_KINDS:
            parts.append({"kind": "text", "anchor": f"onderdeel-{index}", "title": section.get("title", ""),
                          "group": section.get("group", ""), "html": render_markdown(section.get("body", "")),
                          "empty": not (section.get("body") or "").strip(), "summary": section.get("summary", "")})
        elif kind in builders and kind not in done:
            done.add(kind)
            name, build = builders[kind]
            parts.append({"kind": name, "anchor": name, "title": section.get("title") or FrameworkSection.Kind(kind).label,
                          "group": section.get("group", ""), name: build(snapshot)})
    for kind, (name, build) in builders.items():
        if kind not in done:
            data = build(snapshot)
            has_content = {"profile": lambda d: d["target_groups"] or d["care_types"] or d["care_intensity"],
                           "staffing": lambda d: d["rows"], "paragraphs": bool}[name](data)
            if has_content:
                parts.append({"kind": name, "anchor": name, "title": kind.label, "group": "", name: data})
    return parts


# What names or may name a person in a snapshot's actions: left out of the public PDF (DOMAIN rule 24).
PERSONAL_ACTION_FIELDS = ("owner", "source_note")


def _without_people(snapshot: dict) -> dict:
    paragraphs = [{**paragraph, "actions": [{k: v for k, v in action.items() if k not in PERSONAL_ACTION_FIELDS}
                                            for action in paragraph.get("actions", [])]}
                  for paragraph in snapshot.get("improvement_paragraphs", [])]
    return {**snapshot, "improvement_paragraphs": paragraphs}


def render_version_html(snapshot: dict, *, version_number: int, sha256: str, created_at: datetime,
                        created_by: str, note: str = "", public: bool = False) -> str:
    """The HTML that becomes the PDF (also useful to check what goes in). `public` is the copy for
    anyone (publishing/): without the author, the version's note and the actions' owners."""
    plan = snapshot.get("plan") or {}
    if public:
        snapshot, created_by, note = _without_people(snapshot), "", ""
    return render_to_string(TEMPLATE, {
        "plan": plan, "organisation": plan.get("organisation") or {}, "framework": plan.get("framework") or {},
        "parts": _parts(snapshot), "version_number": version_number, "sha256": sha256,
        "short_hash": short_hash(sha256),
        "created_at": created_at, "created_by": created_by, "note": note, "public": public,
    })


def load_renderer() -> None:
    """Imports WeasyPrint now rather than with the first PDF (for the task worker, at its start)."""
    import weasyprint  # noqa: F401


def render_version_pdf(snapshot: dict, *, version_number: int, sha256: str, created_at: datetime,
                       created_by: str, note: str = "", public: bool = False) -> bytes:
    # Importing WeasyPrint and rendering build hundreds of thousands of objects that stay alive
    # until the PDF is written, so the cyclic garbage collector keeps walking them and finds no
    # garbage: some 0.3 s for a large plan. What is left behind is collected after the render.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _render_pdf(snapshot, version_number=version_number, sha256=sha256, created_at=created_at,
                           created_by=created_by, note=note, public=public)
    finally:
        if collecting:
            gc.enable()


def _render_pdf(snapshot: dict, **version) -> bytes:
    return html_to_pdf(render_version_html(snapshot, **version))


def html_to_pdf(html: str) -> bytes:
    """Any page of ours made print-ready as a PDF (the plan version, the quarterly report, ...)."""
    from weasyprint import HTML, URLFetcher

    # Nothing is fetched: no fonts, images or stylesheets from the network or the disk. A link
    # someone typed in a text stays a link in the PDF but is never loaded while rendering. The
    # fetcher would otherwise load the system's certificates for HTTPS it is never allowed to use.
    offline = URLFetcher(allowed_protocols=set(), ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=offline).write_pdf()
