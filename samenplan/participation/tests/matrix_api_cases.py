"""Permission-matrix cases of this app's API (gathered by samenplan/core/tests/matrix.py)."""

from samenplan.core.tests.cases import PLAN_EDITORS, VERSION_READERS, Case

from .matrix_cases import LIBRARY_COMMENTERS, LIBRARY_READERS, adopted, library_entry_of


def _share(w):
    adopted(w)
    return {"who_took_part": "De cliëntenraad en de VAR."}

CASES = [
    # Whoever reads a version of the plan lists its comments (narrowed to what they may see).
    Case("GET /api/v1/plans/{plan_id}/comments", lambda w: f"/api/v1/plans/{w.plan.pk}/comments", VERSION_READERS,
         api=True),
    # The platform admin reads every version but speaks for no one in the organisation.
    Case("POST /api/v1/versions/{version_id}/comments", lambda w: f"/api/v1/versions/{w.version.pk}/comments",
         VERSION_READERS - {"platform_admin"}, "post",
         lambda w: {"section_key": "wonen-en-welzijn", "body": "Mooi plan.", "quote": ""}, api=True),
    Case("POST /api/v1/comments/{comment_id}/answer", lambda w: f"/api/v1/comments/{w.comment.pk}/answer",
         PLAN_EDITORS, "post", lambda w: {"outcome": "not_processed", "answer": "Dat past niet in dit jaar."},
         api=True),
    Case("POST /api/v1/plans/{plan_id}/peer-review-invitations",
         lambda w: f"/api/v1/plans/{w.plan.pk}/peer-review-invitations", PLAN_EDITORS, "post",
         lambda w: {"organisation_ids": [w.second_peer_organisation.pk]}, api=True),
    Case("POST /api/v1/versions/{version_id}/peer-reviews", lambda w: f"/api/v1/versions/{w.version.pk}/peer-reviews",
         frozenset({"peer_reviewer"}), "post",
         lambda w: {"section_feedback": {"wonen-en-welzijn": "Helder."}, "summary": "", "submit": False}, api=True),
    Case("GET /api/v1/networks/{network_id}/library", lambda w: f"/api/v1/networks/{w.network.pk}/library",
         LIBRARY_READERS, api=True),
    Case("GET /api/v1/library/{entry_id}", lambda w: f"/api/v1/library/{library_entry_of(w).pk}", LIBRARY_READERS,
         api=True),
    Case("POST /api/v1/plans/{plan_id}/library", lambda w: f"/api/v1/plans/{w.plan.pk}/library", PLAN_EDITORS,
         "post", _share, api=True),
    Case("POST /api/v1/library/{entry_id}/comments", lambda w: f"/api/v1/library/{library_entry_of(w).pk}/comments",
         LIBRARY_COMMENTERS, "post", lambda w: {"body": "Mooi gedaan."}, api=True),
    Case("POST /api/v1/library/{entry_id}/copy", lambda w: f"/api/v1/library/{library_entry_of(w).pk}/copy",
         PLAN_EDITORS, "post", lambda w: {"section_key": "wonen-en-welzijn", "plan_id": w.plan.pk}, api=True),
]
