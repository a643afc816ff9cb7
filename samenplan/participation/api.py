"""Comments with their answers, and peer feedback, over the JSON API. Every write calls the same
service as the pages do."""

import datetime
from contextlib import contextmanager
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from samenplan.core.permissions import require
from samenplan.organisations.models import Organisation
from samenplan.plans import selectors as plan_selectors
from samenplan.plans.rules import invited_peer_organisation_ids

from . import selectors, services
from .models import Comment, PeerReview

router = Router(tags=["participation"])


@contextmanager
def input_names(**names):
    """Services name their errors after model fields; the API answers with its own input names."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError({names.get(key, key): value for key, value in error.error_dict.items()}) from None


class NamedOut(Schema):
    id: int
    name: str


class VersionRefOut(Schema):
    id: int
    number: int


class CommentOut(Schema):
    id: int
    version: VersionRefOut
    section_key: str
    quote: str
    body: str
    author: str
    council: NamedOut | None = Field(description="The council the author spoke for")
    peer_organisation: NamedOut | None = Field(description="The peer organisation the author spoke for")
    created_at: datetime.datetime
    outcome: Literal[tuple(Comment.Outcome.values)] | None = Field(  # type: ignore[valid-type]
        description="null while the comment is open")
    answer: str
    change_version: VersionRefOut | None = Field(description="For `processed`: the version holding the change")
    answered_at: datetime.datetime | None


def _named(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _version_ref(version) -> dict | None:
    return {"id": version.pk, "number": version.number} if version is not None else None


def comment_json(comment: Comment) -> dict:
    return {
        "id": comment.pk, "version": _version_ref(comment.version), "section_key": comment.section_key,
        "quote": comment.quote, "body": comment.body, "author": str(comment.author),
        "council": _named(comment.council), "peer_organisation": _named(comment.peer_organisation),
        "created_at": comment.created_at, "outcome": comment.outcome or None, "answer": comment.answer,
        "change_version": _version_ref(comment.change_version), "answered_at": comment.answered_at,
    }


def _plan_for_comments(user, plan_id):
    """Comments are made on versions, so whoever may read a version of the plan may list its
    comments (the selector narrows what they see); nobody else learns that the plan exists."""
    plan = plan_selectors.plans_for_user(user).filter(pk=plan_id).first()
    if plan is not None:
        return plan
    version = plan_selectors.versions_for_user(user).filter(plan_id=plan_id).first()
    if version is None:
        raise Http404
    return version.plan


@router.get("/plans/{plan_id}/comments", response=list[CommentOut], summary="The comments on a plan the caller may see",
            description="The organisation's plan readers see every comment. Members of a council that a version was "
                        "put before see their council's comments (and their own); peer reviewers of an invited "
                        "organisation see their organisation's. Anyone who may read no version of the plan gets "
                        "404. Ordered by section, then oldest first.")
def list_comments(request, plan_id: int):
    plan = _plan_for_comments(request.user, plan_id)
    return [comment_json(c) for c in selectors.comments_for_user(request.user, plan)]


class CommentIn(Schema):
    section_key: str = Field(max_length=80, description="The key of a section in this version, or `hele-plan` "
                                                        "for a comment on the plan as a whole")
    body: str = Field(max_length=5000)
    quote: str = Field("", max_length=2000, description="The passage the comment is about (optional)")


@router.post("/versions/{version_id}/comments", response={201: CommentOut}, summary="Comment on a section of a version",
             description="For the organisation's plan readers, members of a council the version was put before and "
                         "peer reviewers of an organisation invited to review it. The comment is made for the "
                         "author's council or peer organisation.")
def add_comment(request, version_id: int, data: CommentIn):
    version = plan_selectors.get_version_for_user(request.user, version_id)
    comment = services.add_comment(version=version, by=request.user, section_key=data.section_key, body=data.body,
                                   quote=data.quote)
    return Status(201, comment_json(comment))


class AnswerIn(Schema):
    outcome: Literal[tuple(Comment.Outcome.values)]  # type: ignore[valid-type]
    answer: str = Field("", max_length=5000, description="Required for `partly_processed` and `not_processed`")
    change_version_id: int | None = Field(None, description="Required for `processed`: a later version of the plan")


@router.post("/comments/{comment_id}/answer", response=CommentOut, summary="Answer a comment with its outcome",
             description="For the plan's authors (board, quality staff). `processed` names the later version that "
                         "holds the change; the other outcomes give a reason. An answer may be corrected; the audit "
                         "trail keeps both.")
def answer_comment(request, comment_id: int, data: AnswerIn):
    comment = selectors.get_comment_for_user(request.user, comment_id)
    # Asked before looking at the input, so a caller without the right hears 403, not a field error.
    require(request.user, "participation.answer_comment", comment.plan)
    change_version = None
    if data.change_version_id is not None:
        change_version = comment.plan.versions.filter(pk=data.change_version_id).first()
        if change_version is None:
            raise ValidationError({"change_version_id": _("Kies een versie van dit plan.")})
    with input_names(change_version="change_version_id"):
        comment = services.answer_comment(comment=comment, by=request.user, outcome=data.outcome, answer=data.answer,
                                          change_version=change_version)
    return comment_json(selectors.comments_for_user(request.user, comment.plan).get(pk=comment.pk))


class InvitationsIn(Schema):
    version_id: int | None = Field(None, description="The frozen version to review; the latest one when left out")
    organisation_ids: list[int] = Field(max_length=100, description="Organisations of the plan's learning network")
    respond_by: datetime.date | None = Field(
        None, description="The date the feedback is asked by: today or later, within a year. Four weeks from "
                          "today when left out. The peers are reminded 7 days and 1 day before it.")


class InvitationOut(Schema):
    id: int
    version: VersionRefOut
    organisation: NamedOut
    invited_by: str
    invited_at: datetime.datetime
    respond_by: datetime.date = Field(description="The date the feedback is asked by")
    review_submitted: bool


@router.post("/plans/{plan_id}/peer-review-invitations", response={201: list[InvitationOut]},
             summary="Invite peer organisations to review a version",
             description="For the plan's authors. Only organisations sharing a learning network with the plan's "
                         "organisation can be invited. Inviting an organisation twice for one version changes "
                         "nothing (not its `respond_by` either); the answer lists the invitations for every "
                         "organisation asked.")
def invite_peers(request, plan_id: int, data: InvitationsIn):
    plan = plan_selectors.get_plan_for_user(request.user, plan_id)
    require(request.user, "participation.invite_peers", plan)
    versions = plan.versions.select_related("plan__organisation")
    chosen = versions.filter(pk=data.version_id) if data.version_id is not None else versions.order_by("-number")
    version = chosen.first()
    if version is None:
        field = "version_id" if data.version_id is not None else "body"
        raise ValidationError({field: _("Leg eerst een versie van het plan vast. Collega's lezen altijd een "
                                        "vastgelegde versie.")})
    organisations = list(Organisation.objects.filter(pk__in=[i for i in data.organisation_ids if 0 < i < 2**63]))
    if len(organisations) != len(set(data.organisation_ids)):
        raise ValidationError({"organisation_ids": _("Een of meer organisaties bestaan niet.")})
    with input_names(organisations="organisation_ids"):
        invitations = services.invite_peers(version=version, organisations=organisations, by=request.user,
                                            respond_by=data.respond_by)
    ids = [i.pk for i in invitations]
    found = {i.pk: i for i in selectors.invitations_of_plan(plan).filter(pk__in=ids)}
    return Status(201, [_invitation_json(found[pk]) for pk in ids])


def _invitation_json(invitation) -> dict:
    review = invitation.review if _has_review(invitation) else None
    return {"id": invitation.pk, "version": _version_ref(invitation.version),
            "organisation": _named(invitation.organisation), "invited_by": str(invitation.invited_by),
            "invited_at": invitation.invited_at, "respond_by": invitation.respond_by,
            "review_submitted": bool(review and review.is_submitted)}


def _has_review(invitation) -> bool:
    try:
        return invitation.review is not None
    except PeerReview.DoesNotExist:
        return False


class PeerReviewIn(Schema):
    section_feedback: dict[str, str] = Field(default_factory=dict, description="Feedback per section key")
    summary: str = Field("", max_length=10000, description="The overall feedback; required to submit")
    submit: bool = Field(False, description="Hand the feedback in; after that it can no longer change")


class PeerReviewOut(Schema):
    id: int
    version: VersionRefOut
    organisation: NamedOut
    reviewer: str
    section_feedback: dict[str, str]
    summary: str
    submitted_at: datetime.datetime | None
    updated_at: datetime.datetime


@router.post("/versions/{version_id}/peer-reviews", response={200: PeerReviewOut, 201: PeerReviewOut},
             summary="Save or submit the caller's peer feedback on a version",
             description="For peer reviewers of an organisation invited to review this version. 201 when the "
                         "feedback is new, 200 when a saved draft is updated. Submitted feedback cannot change.")
def save_peer_review(request, version_id: int, data: PeerReviewIn):
    version = plan_selectors.get_version_for_user(request.user, version_id)
    organisation_ids = invited_peer_organisation_ids(request.user, version)
    # The service works under the first invited organisation; so does this question.
    existed = bool(organisation_ids) and PeerReview.objects.filter(
        version=version, organisation_id=min(organisation_ids)).exists()
    review = services.save_peer_review(version=version, by=request.user, section_feedback=data.section_feedback,
                                       summary=data.summary, submit=data.submit)
    body = {"id": review.pk, "version": _version_ref(version), "organisation": _named(review.organisation),
            "reviewer": str(review.reviewer), "section_feedback": review.section_feedback, "summary": review.summary,
            "submitted_at": review.submitted_at, "updated_at": review.updated_at}
    return Status(200 if existed else 201, body)


# --- The learning network's library -----------------------------------------------------------


class LibraryNoteOut(Schema):
    who_took_part: str
    how_signals: str
    do_differently: str


class LibraryEntryOut(Schema):
    id: int
    network: NamedOut
    organisation: NamedOut
    year: int
    version: VersionRefOut
    sha256: str
    shared_at: datetime.datetime
    note: LibraryNoteOut
    themes: dict[str, str] = Field(description="The sections with text: {key: title}")
    comment_count: int


class LibraryCommentOut(Schema):
    id: int
    author: str
    organisation: NamedOut | None
    body: str
    created_at: datetime.datetime


class LibraryEntryDetailOut(LibraryEntryOut):
    content: dict = Field(description="The shared version's canonical snapshot, as GET /versions/{id} gives it")
    comments: list[LibraryCommentOut]


def _entry_json(entry, *, comment_count: int) -> dict:
    return {"id": entry.pk, "network": _named(entry.network), "organisation": _named(entry.organisation),
            "year": entry.year, "version": _version_ref(entry.version), "sha256": entry.version.sha256,
            "shared_at": entry.shared_at,
            "note": {"who_took_part": entry.who_took_part, "how_signals": entry.how_signals,
                     "do_differently": entry.do_differently},
            "themes": entry.theme_titles or {}, "comment_count": comment_count}


def _library_comment_json(comment) -> dict:
    return {"id": comment.pk, "author": str(comment.author), "organisation": _named(comment.organisation),
            "body": comment.body, "created_at": comment.created_at}


@router.get("/networks/{network_id}/library", response=list[LibraryEntryOut],
            summary="The shared plans in a learning network's library",
            description="For the board, quality staff, location managers and peer reviewers of member organisations "
                        "(and the platform admin); everyone else gets 404. Withdrawn entries are left out. Filter "
                        "with `year` and `theme` (a section key).")
def list_library(request, network_id: int, year: int | None = None, theme: str = ""):
    network = selectors.get_library_network_for_user(request.user, network_id)
    entries = selectors.library_entries(network, year=year, theme=theme).select_related("network")
    return [_entry_json(e, comment_count=e.comment_count) for e in entries]


@router.get("/library/{entry_id}", response=LibraryEntryDetailOut, summary="A shared plan with its note and comments")
def get_library_entry(request, entry_id: int):
    entry = selectors.get_library_entry_for_user(request.user, entry_id)
    comments = [_library_comment_json(c) for c in selectors.library_comments(entry)]
    return {**_entry_json(entry, comment_count=len(comments)), "content": entry.version.snapshot,
            "comments": comments}


class LibraryShareIn(Schema):
    who_took_part: str = Field("", max_length=3000, description="Who took part in making the plan")
    how_signals: str = Field("", max_length=3000, description="How signals were gathered")
    do_differently: str = Field("", max_length=3000, description="What they would do differently; at least one "
                                                                 "of the three is required")
    network_ids: list[int] | None = Field(None, description="The networks to share in; all of the organisation's "
                                                            "when left out")


@router.post("/plans/{plan_id}/library", response={201: list[LibraryEntryOut]},
             summary="Share the plan's adopted version in the learning network's library",
             description="For the board and quality staff. Only an adopted version can be shared (the newest "
                         "adopted one); otherwise 400 naming `version`. Sharing again replaces the version and the "
                         "note in that network.")
def share_in_library(request, plan_id: int, data: LibraryShareIn):
    from samenplan.organisations.models import LearningNetwork

    plan = plan_selectors.get_plan_for_user(request.user, plan_id)
    require(request.user, "participation.share_in_library", plan)
    networks = None
    if data.network_ids is not None:
        # Ids beyond the database's range match nothing; left out so the query cannot overflow.
        networks = list(LearningNetwork.objects.filter(pk__in=[i for i in data.network_ids if 0 < i < 2**63]))
        if len(networks) != len(set(data.network_ids)):
            raise ValidationError({"network_ids": _("Een of meer netwerken bestaan niet.")})
    with input_names(networks="network_ids"):
        entries = services.share_in_library(plan=plan, by=request.user, who_took_part=data.who_took_part,
                                            how_signals=data.how_signals, do_differently=data.do_differently,
                                            networks=networks)
    return Status(201, [_entry_json(e, comment_count=e.comments.count()) for e in entries])


class LibraryCommentIn(Schema):
    body: str = Field(max_length=3000)


@router.post("/library/{entry_id}/comments", response={201: LibraryCommentOut},
             summary="Comment on a shared plan",
             description="For peers of member organisations (not the platform admin, who speaks for none).")
def comment_in_library(request, entry_id: int, data: LibraryCommentIn):
    entry = selectors.get_library_entry_for_user(request.user, entry_id)
    comment = services.comment_in_library(entry=entry, by=request.user, body=data.body)
    return Status(201, _library_comment_json(comment))


class LibraryCopyIn(Schema):
    section_key: str = Field(max_length=80, description="The section of the shared plan to copy")
    plan_id: int = Field(description="One of the caller's editable plans; the text is appended to its section of "
                                     "the same key")
    base_revision: int | None = Field(None, description="The revision of the target section the caller last saw; "
                                                        "409 when it was saved since")


class LibraryCopyOut(Schema):
    id: int
    section_key: str
    source_organisation: str
    source_year: int
    plan_id: int
    revision: int
    copied_at: datetime.datetime


class LibraryConflictOut(Schema):
    message: str
    revision: int
    body: str


@router.post("/library/{entry_id}/copy", response={201: LibraryCopyOut, 409: LibraryConflictOut},
             summary="Copy a section's text from a shared plan into the caller's own draft",
             description="Appends the text to the same section of the target plan through the same save as the "
                         "section editor (revision check, audit). The copy is recorded and shown on the section.")
def copy_from_library(request, entry_id: int, data: LibraryCopyIn):
    from samenplan.plans.services import EditConflict

    entry = selectors.get_library_entry_for_user(request.user, entry_id)
    # Whoever may edit no plan at all hears 403, not a field error.
    if not selectors.copy_targets_for_user(request.user):
        raise PermissionDenied
    target = plan_selectors.plans_for_user(request.user).filter(pk=data.plan_id).first()
    if target is None:
        raise ValidationError({"plan_id": _("Kies een plan van uw eigen organisatie.")})
    try:
        with input_names(plan="plan_id"):
            copy = services.copy_from_library(entry=entry, by=request.user, section_key=data.section_key,
                                              target_plan=target, base_revision=data.base_revision)
    except EditConflict as clash:
        return Status(409, {"message": _("Iemand anders sloeg dit onderdeel intussen op. Er is niets veranderd."),
                            "revision": clash.section.revision, "body": clash.section.body})
    revision = target.sections.get(key=copy.target_section_key).revision
    return Status(201, {"id": copy.pk, "section_key": copy.section_key, "source_organisation": copy.source_organisation,
                        "source_year": copy.source_year, "plan_id": target.pk, "revision": revision,
                        "copied_at": copy.copied_at})
