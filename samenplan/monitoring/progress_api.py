"""Progress over the JSON API: recording an action's quarterly update and reading the quarterly
report. Both call the same services and selectors as the pages."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from samenplan.core.schemas import ErrorOut

from . import selectors, services
from .models import ActionProgress

router = Router(tags=["monitoring"])

_STATUSES = Literal[tuple(ActionProgress.Status.values)]  # type: ignore[valid-type]
_QUARTER = Field(pattern=r"^20\d\d-Q[1-4]$", description='A quarter of the plan\'s year, e.g. "2027-Q2"')


class ProgressIn(Schema):
    quarter: str = _QUARTER
    status: _STATUSES = Field(description="How the action is doing in that quarter")
    explanation: str = Field(max_length=5000, description="A few sentences on what was done and what comes next "
                                                          "(at most 1000 characters are accepted)")
    figure: str = Field("", max_length=500, description="Optional: a figure that shows how far it got, e.g. "
                                                        "\"8 of 12 teams\" (at most 100 characters)")
    story: str = Field("", max_length=10000, description="Optional: a short story from the floor, without names "
                                                         "(at most 2000 characters)")


class ProgressOut(Schema):
    id: int
    action_id: int
    quarter: str = Field(description='"2027-Q2"')
    status: str = Field(description="not_started, on_track, delayed, done or stopped")
    status_label: str = Field(description="The status in the reader's language")
    explanation: str
    figure: str
    story: str
    recorded_at: datetime.datetime


class QuarterlyActionOut(Schema):
    id: int
    title: str
    owner: str = Field(description="Who leads the action (a role, as written in the plan)")
    progress: ProgressOut | None = Field(description="The update over the quarter; null when there is none")
    previous_status: str = Field(description="The status in the quarter before (\"\" when none or Q1)")
    missed: bool = Field(description="Rule 23: no update over the newest overdue quarter")


class QuarterlyLocationOut(Schema):
    id: int
    name: str
    counts: dict[str, int] = Field(description="Number of actions per status in the quarter, and 'none' for "
                                               "those without an update")
    actions: list[QuarterlyActionOut]


class TrackedOut(Schema):
    kind: str = Field(description="action, condition, agreement or top_point")
    kind_label: str
    title: str
    status_label: str
    location: str
    missed: bool
    url: str = Field(description="The page where the item is kept")


class CommentOut(Schema):
    id: int
    council: str
    location_id: int | None
    body: str
    created_at: datetime.datetime


class QuarterlyReportOut(Schema):
    plan_id: int
    year: int
    quarter: str
    previous_quarter: str = Field(description="The quarter compared with (\"\" for Q1)")
    overdue_quarter: str = Field(description="The newest quarter whose update is overdue (rule 23), or \"\"")
    counts: dict[str, int] = Field(description="Number of actions per status for the whole organisation")
    locations: list[QuarterlyLocationOut]
    tracked: list[TrackedOut] = Field(description="Actions, council conditions, care-office agreements and "
                                                  "top-3 points, each with its status")
    comments: list[CommentOut] | None = Field(description="The councils' comments on this quarter's report; null "
                                                          "for a reader who may not read them")


def _progress(progress: ActionProgress | None) -> dict | None:
    if progress is None:
        return None
    return {"id": progress.pk, "action_id": progress.action_id, "quarter": progress.quarter,
            "status": progress.status, "status_label": progress.get_status_display(),
            "explanation": progress.explanation, "figure": progress.figure, "story": progress.story,
            "recorded_at": progress.recorded_at}


@router.post("/actions/{action_id}/progress", response={201: ProgressOut, 400: ErrorOut, 403: ErrorOut,
                                                        404: ErrorOut, 422: ErrorOut},
             summary="Record an action's progress over a quarter",
             description="Board, quality staff and the manager of the action's location record how an action of "
                         "a plan being carried out (adopted, submitted, in progress) did in a quarter of the "
                         "plan's year that has begun. A second update over the same quarter corrects the first. "
                         "400 names the field (a future quarter, a plan not carried out, a text too long); 403 for "
                         "someone who may read but not record; 404 for another organisation's action.")
def record_progress(request, action_id: int, data: ProgressIn):
    action = selectors.get_action_for_user(request.user, action_id)
    progress = services.record_progress(action=action, by=request.user, quarter=data.quarter, status=data.status,
                                        explanation=data.explanation, figure=data.figure, story=data.story)
    return Status(201, _progress(progress))


@router.get("/plans/{plan_id}/quarterly-report", response={200: QuarterlyReportOut, 400: ErrorOut, 404: ErrorOut},
            summary="The quarterly report of a plan",
            description="Per location per action the quarter's update, the counts per status, the tracked list and "
                        "the councils' comments. Without `quarter`: the current quarter (the last one once the "
                        "plan's year is over). 404 for another organisation's plan.")
def quarterly_report(request, plan_id: int,
                     quarter: str = Query("", description='"2027-Q2"; a quarter of the plan\'s year')):
    plan = selectors.get_plan_for_progress(request.user, plan_id, "monitoring.view_report")
    today = timezone.localdate()
    if not quarter:
        quarter = selectors.default_quarter(plan.year, today)
    elif problem := services.quarter_problem(quarter, plan, today, begun=False):
        raise ValidationError({"quarter": problem})
    overview = selectors.overview(plan, quarter=quarter, today=today)
    # Today everyone who reads the report reads the comments too; the rule may part them later.
    may_read_comments = request.user.has_perm("monitoring.comment_report", plan) or request.user.has_perm(
        "monitoring.view_report", plan)
    return {
        "plan_id": plan.pk, "year": plan.year, "quarter": quarter,
        "previous_quarter": selectors.previous_quarter(quarter), "overdue_quarter": overview.due_quarter,
        "counts": {row.key: row.count for row in overview.counts},
        "locations": [{
            "id": row.location.pk, "name": row.location.name,
            "counts": {**{value: n for value, _label, n in row.counts}, "none": row.without_update},
            "actions": [{"id": item.action.pk, "title": item.action.title, "owner": item.action.owner,
                         "progress": _progress(item.current),
                         "previous_status": item.previous.status if item.previous else "", "missed": item.missed}
                        for item in row.actions]}
            for row in overview.locations],
        "tracked": [{"kind": t.kind, "kind_label": t.kind_label, "title": t.title, "status_label": t.status_label,
                     "location": t.location, "missed": t.missed, "url": t.url} for t in overview.tracked],
        "comments": [{"id": c.pk, "council": c.council.name, "location_id": c.location_id, "body": c.body,
                      "created_at": c.created_at} for c in selectors.quarterly_comments(plan, quarter)]
        if may_read_comments else None,
    }
