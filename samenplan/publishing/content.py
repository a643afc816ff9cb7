"""What the public gets of a published version: an allow-list of the snapshot's fields, never the
snapshot as it is. New fields in the snapshot stay private until they are added here.

Left out on purpose (DOMAIN rule 24): who made the version and its note, who published it, the
owner of each action and the note on an action's source (both may name a person). Comments,
decisions and council members are not in a snapshot at all.

The same document is the page (`publishing:plan`), the API (`GET /api/v1/public/plans/{id}`) and
each line of the bulk export.
"""

import json

from django.urls import reverse

from samenplan.core.markdown import render_markdown_blocks
from samenplan.plans.models import ImprovementAction, StaffingRow

SECTION_FIELDS = ("key", "kind", "title", "group", "required")
STAFFING_ROW_FIELDS = (*StaffingRow.FTE_FIELDS, *StaffingRow.COUNT_FIELDS, "location_id", "location", "inflow",
                       "outflow", "sickness_rate")
STAFFING_TOTAL_FIELDS = (*StaffingRow.FTE_FIELDS, *StaffingRow.COUNT_FIELDS, "care_fte", "care_headcount")
ACTION_FIELDS = ("id", "title", "goal", "measurable_result", "theme_key", "due_quarter", "source")


def _pick(data: dict, fields) -> dict:
    return {name: data.get(name) for name in fields}


def _action(action: dict, live_statuses: dict[int, str]) -> dict:
    earlier = action.get("carried_over_from") or {}
    return {
        **_pick(action, ACTION_FIELDS),
        # The action's status today (the plan is followed through the year), and as adopted.
        "status": live_statuses.get(action.get("id"), action.get("status")),
        "status_in_plan": action.get("status"),
        "carried_over_from_year": earlier.get("year"),
    }


def public_document(*, plan_id: int, year: int, organisation: dict, version_number: int, sha256: str,
                    published_at, content: str, live_statuses: dict[int, str]) -> dict:
    """The published version as plain data. `content` is the version's canonical JSON, `organisation`
    is {"id", "name", "kvk_number", "region", "learning_networks"} as it is today."""
    snapshot = json.loads(content)
    framework = (snapshot.get("plan") or {}).get("framework") or {}
    profile = snapshot.get("organisation_profile") or {}
    staffing = snapshot.get("staffing") or {}
    return {
        "id": plan_id,
        "year": year,
        "organisation": organisation,
        "version": {"number": version_number, "sha256": sha256},
        "published_at": published_at.isoformat(),
        "framework": {"key": framework.get("key"), "name": framework.get("name"),
                      "version": framework.get("version")},
        "links": {"html": reverse("publishing:plan", args=[plan_id]),
                  "pdf": reverse("publishing:plan_pdf", args=[plan_id])},
        "sections": [{**_pick(section, SECTION_FIELDS), "summary": section.get("summary", ""),
                      "text": section.get("body", "")} for section in snapshot.get("sections", [])],
        "organisation_profile": {"target_groups": list(profile.get("target_groups") or []),
                                 "care_types": list(profile.get("care_types") or []),
                                 "care_intensity": dict(profile.get("care_intensity") or {}),
                                 "text": profile.get("text", "")},
        "staffing": {"reference_date": staffing.get("reference_date"), "note": staffing.get("note", ""),
                     "basis_hours_per_week": 36,
                     "rows": [_pick(row, STAFFING_ROW_FIELDS) for row in staffing.get("rows", [])],
                     "totals": _pick(staffing.get("totals") or {}, STAFFING_TOTAL_FIELDS)},
        "locations": [_pick(location, ("id", "name", "is_active", "places"))
                      for location in snapshot.get("locations", [])],
        "improvement_paragraphs": [
            {"location_id": paragraph.get("location_id"), "location": paragraph.get("location", ""),
             "text": paragraph.get("body", ""),
             "actions": [_action(action, live_statuses) for action in paragraph.get("actions", [])]}
            for paragraph in snapshot.get("improvement_paragraphs", [])],
    }


def action_ids(content_or_snapshot) -> list[int]:
    snapshot = json.loads(content_or_snapshot) if isinstance(content_or_snapshot, str) else content_or_snapshot
    return [action["id"] for paragraph in snapshot.get("improvement_paragraphs", [])
            for action in paragraph.get("actions", []) if action.get("id")]


STATUS_LABELS = dict(ImprovementAction.Status.choices)


def location_summaries(document: dict) -> list[dict]:
    """Per location, for the organisation's public page: the first block of its improvement
    paragraph (the authors open with what they want; the whole text is on the plan's page) and
    its actions with their status today, without owners."""
    summaries = []
    for paragraph in document["improvement_paragraphs"]:
        blocks = render_markdown_blocks(paragraph["text"])
        counts = {}
        for action in paragraph["actions"]:
            counts[action["status"]] = counts.get(action["status"], 0) + 1
        summaries.append({
            "location": paragraph["location"], "location_id": paragraph["location_id"],
            "summary_html": blocks[0] if blocks else "",
            "actions": [{**action, "status_label": STATUS_LABELS.get(action["status"], action["status"])}
                        for action in paragraph["actions"]],
            "counts": [(STATUS_LABELS[status], counts[status]) for status in ImprovementAction.Status.values
                       if counts.get(status)],
        })
    return summaries
