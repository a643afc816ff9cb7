"""The canonical content of a plan: what a version freezes, what diffs compare and what the
compliance checker reads. One function builds it, from a draft or for a version.

Decimals are written as strings so the JSON (and its SHA-256) is the same on every database.
"""

from decimal import Decimal

from django.db.models import F, Prefetch

from samenplan.frameworks.models import FrameworkSection

from .models import ImprovementAction, ImprovementParagraph, QualityPlan, StaffingRow

SCHEMA = 1


def _decimal(value) -> str | None:
    if value is None:
        return None
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


# Read as rows, not model instances: a plan has hundreds of actions, and building an instance of each
# was the larger part of every plan page (which checks the draft).
_ACTION_FIELDS = ("id", "paragraph_id", "title", "goal", "measurable_result", "theme_key", "owner", "due_quarter",
                  "status", "source", "source_note", "carried_over_from_id")


def load_plan_for_snapshot(plan_id: int) -> QualityPlan:
    plan = (
        QualityPlan.objects.select_related("organisation", "framework", "profile", "staffing")
        .prefetch_related(
            "sections",
            Prefetch("staffing__rows", queryset=StaffingRow.objects.select_related("location")),
            Prefetch("improvement_paragraphs", queryset=ImprovementParagraph.objects.select_related("location")),
            "organisation__locations",
        )
        .get(pk=plan_id)
    )
    plan.action_rows = {}
    for row in (ImprovementAction.objects.filter(paragraph__plan_id=plan_id)
                .values(*_ACTION_FIELDS, earlier_year=F("carried_over_from__paragraph__plan__year"),
                        earlier_status=F("carried_over_from__status")).order_by("order", "pk")):
        plan.action_rows.setdefault(row["paragraph_id"], []).append(row)
    return plan


def staffing_row_json(row: StaffingRow) -> dict:
    data = {name: _decimal(getattr(row, name)) for name in StaffingRow.FTE_FIELDS}
    data.update({name: getattr(row, name) for name in StaffingRow.COUNT_FIELDS})
    data.update({
        "location_id": row.location_id,
        "location": row.location.name if row.location else None,
        "inflow": row.inflow, "outflow": row.outflow, "sickness_rate": _decimal(row.sickness_rate),
    })
    return data


def staffing_totals(rows: list[dict]) -> dict:
    totals = {name: _decimal(sum((Decimal(r[name]) for r in rows), Decimal(0))) for name in StaffingRow.FTE_FIELDS}
    totals.update({name: sum(r[name] for r in rows) for name in StaffingRow.COUNT_FIELDS})
    totals["care_fte"] = _decimal(sum(Decimal(totals[f"level{n}_fte"]) for n in StaffingRow.LEVELS)
                                  + Decimal(totals["other_care_fte"]))
    totals["care_headcount"] = sum(totals[f"level{n}_headcount"] for n in StaffingRow.LEVELS) + totals[
        "other_care_headcount"]
    return totals


def _action_json(row: dict) -> dict:
    return {
        "id": row["id"], "title": row["title"], "goal": row["goal"],
        "measurable_result": row["measurable_result"], "theme_key": row["theme_key"], "owner": row["owner"],
        "due_quarter": row["due_quarter"], "status": row["status"], "source": row["source"],
        "source_note": row["source_note"],
        "carried_over_from": {"id": row["carried_over_from_id"], "year": row["earlier_year"],
                              "status": row["earlier_status"]}
        if row["carried_over_from_id"] else None,
    }


def _section_json(section) -> dict:
    data = {"key": section.key, "kind": section.kind, "title": section.title, "group": section.group,
            "required": section.required, "body": section.body if section.kind in FrameworkSection.TEXT_KINDS else ""}
    # Only when written: a version frozen before summaries existed keeps its hash, and so does a
    # draft whose author wrote none (a council's decision on it stays valid).
    if section.summary and section.kind in FrameworkSection.TEXT_KINDS:
        data["summary"] = section.summary
    return data


def build_snapshot(plan: QualityPlan) -> dict:
    """`plan` must come from load_plan_for_snapshot (everything prefetched)."""
    framework = plan.framework
    profile = getattr(plan, "profile", None)
    staffing = getattr(plan, "staffing", None)
    rows = [staffing_row_json(row) for row in staffing.rows.all()] if staffing else []
    paragraphs = {p.location_id: p for p in plan.improvement_paragraphs.all()}
    return {
        "schema": SCHEMA,
        "plan": {
            "id": plan.pk, "year": plan.year,
            "organisation": {"id": plan.organisation_id, "name": plan.organisation.name,
                             "kvk_number": plan.organisation.kvk_number},
            "framework": {"id": framework.pk, "key": framework.key, "name": framework.name,
                          "version": framework.version_label, "rules": framework.rule_settings.to_json()},
        },
        "sections": [_section_json(s) for s in plan.sections.all()],
        "organisation_profile": {
            "target_groups": sorted(profile.target_groups) if profile else [],
            "care_types": sorted(profile.care_types) if profile else [],
            "care_intensity": dict(sorted((profile.care_intensity or {}).items())) if profile else {},
            "text": profile.text if profile else "",
        },
        "staffing": {
            "reference_date": staffing.reference_date.isoformat() if staffing and staffing.reference_date else None,
            "note": staffing.note if staffing else "",
            "rows": rows,
            "totals": staffing_totals(rows),
        },
        "locations": [
            {"id": loc.pk, "name": loc.name, "kvk_establishment_number": loc.kvk_establishment_number,
             "is_active": loc.is_active, "places": loc.places}
            for loc in sorted(plan.organisation.locations.all(), key=lambda loc: loc.name)
        ],
        "improvement_paragraphs": [
            {"location_id": location_id, "location": paragraph.location.name, "body": paragraph.body,
             "actions": [_action_json(row) for row in plan.action_rows.get(paragraph.pk, [])]}
            for location_id, paragraph in sorted(paragraphs.items(), key=lambda item: item[1].location.name)
        ],
    }
