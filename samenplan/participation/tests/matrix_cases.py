"""Permission-matrix cases of this app (gathered by samenplan/core/tests/matrix.py).

In the test world both versions are shared with every council, so every council member may read
and comment on them; only the peer organisation is invited, and only for `world.version`.
"""

from django.urls import reverse

from samenplan.core.tests.cases import COUNCILS, PLAN_EDITORS, PLAN_READERS, VERSION_READERS, Case

# The platform admin reads everything but speaks for nobody, so cannot comment.
COMMENTERS = VERSION_READERS - {"platform_admin"}
CLIENT_COUNCIL = frozenset({"council_member", "council_secretary"})
# The learning network's library: staff and peer reviewers of member organisations; never the councils.
LIBRARY_READERS = frozenset({"board", "quality", "location_manager", "peer_reviewer", "uninvited_peer",
                             "platform_admin"})
LIBRARY_COMMENTERS = LIBRARY_READERS - {"platform_admin"}


def library_entry_of(w):
    """A shared entry of the world's organisation in the network, made directly: the matrix is about
    who may reach it, not about the round that adopts a plan (participation/tests/test_library.py)."""
    from samenplan.participation.models import LibraryEntry

    return LibraryEntry.objects.create(
        network=w.network, version=w.version, plan=w.plan, organisation=w.organisation, year=w.plan.year,
        theme_keys="|wonen-en-welzijn|", theme_titles={"wonen-en-welzijn": "Wonen en welzijn"},
        who_took_part="De cliëntenraad schreef mee.", shared_by=w.people["quality"])


def adopted(w):
    """The world's second version marked adopted, directly, so that it may be shared."""
    from samenplan.consent.models import Adoption

    Adoption.objects.get_or_create(plan=w.plan, version=w.version, defaults={"adopted_by": w.people["board"]})


def _share_data(w):
    adopted(w)
    return {"who_took_part": "De cliëntenraad en de VAR.", "how_signals": "", "do_differently": "",
            "networks": [w.network.pk]}


def _entry_url(name):
    return lambda w: reverse(f"participation:{name}", args=[library_entry_of(w).pk])


def _version_comments(version):
    return lambda w: reverse("participation:version_comments", args=[getattr(w, version).pk])


def _comment_answer(w):
    return reverse("participation:comment_answer", args=[w.comment.pk])


def _answer_data(w):
    prefix = f"reactie-{w.comment.pk}"
    return {f"{prefix}-outcome": "not_processed", f"{prefix}-answer": "Dat past dit jaar niet in het budget."}


CASES = [
    Case("participation:plan_comments", lambda w: reverse("participation:plan_comments", args=[w.plan.pk]),
         PLAN_READERS),
    Case("participation:version_comments", _version_comments("version"), VERSION_READERS),
    Case("participation:version_comments", _version_comments("version"), COMMENTERS, "post",
         lambda w: {"section_key": "wonen-en-welzijn", "quote": "", "body": "Mooi dat bewoners samen eten."}),
    # The peer organisation was invited for the second version only.
    Case("participation:version_comments", _version_comments("first_version"), PLAN_READERS | COUNCILS),
    Case("participation:version_comments", _version_comments("first_version"), PLAN_EDITORS | COUNCILS
         | {"location_manager"}, "post",
         lambda w: {"section_key": "wonen-en-welzijn", "body": "Kan dit concreter?"}),
    Case("participation:comment_answer", _comment_answer, PLAN_EDITORS),
    Case("participation:comment_answer", _comment_answer, PLAN_EDITORS, "post", _answer_data),
    Case("participation:top_points", lambda w: reverse("participation:top_points", args=[w.plan.pk]),
         PLAN_READERS | COUNCILS),
    Case("participation:top_points", lambda w: reverse("participation:top_points", args=[w.plan.pk]),
         CLIENT_COUNCIL, "post",
         lambda w: {"council": w.client_council.pk, "location": "", "title_1": "Meer buiten zijn",
                    "explanation_1": "Elke dag even naar buiten.", "title_2": "Vaste gezichten"}),
    Case("participation:top_point_answer",
         lambda w: reverse("participation:top_point_answer", args=[w.top_point.pk]), PLAN_EDITORS),
    Case("participation:top_point_answer",
         lambda w: reverse("participation:top_point_answer", args=[w.top_point.pk]), PLAN_EDITORS, "post",
         lambda w: {"action_ids": [w.action.pk], "answer": "De tuin gaat elke dag open."}),
    Case("participation:plan_peer_reviews",
         lambda w: reverse("participation:plan_peer_reviews", args=[w.plan.pk]), PLAN_READERS),
    Case("participation:plan_peer_reviews",
         lambda w: reverse("participation:plan_peer_reviews", args=[w.plan.pk]), PLAN_EDITORS, "post",
         lambda w: {"version": w.version.pk, "organisations": [w.second_peer_organisation.pk]}),
    Case("participation:peer_review", lambda w: reverse("participation:peer_review", args=[w.version.pk]),
         frozenset({"peer_reviewer"})),
    Case("participation:peer_review", lambda w: reverse("participation:peer_review", args=[w.version.pk]),
         frozenset({"peer_reviewer"}), "post",
         lambda w: {"feedback_wonen-en-welzijn": "Mooi concreet.", "summary": "Een helder plan.",
                    "action": "submit"}),
    # Nobody reviews a version their organisation was not invited for (a GET case needs someone
    # allowed for core/tests/test_query_counts.py; test_peer_review_pages.py covers the GET).
    Case("participation:peer_review", lambda w: reverse("participation:peer_review", args=[w.first_version.pk]),
         frozenset(), "post", lambda w: {"summary": "Een helder plan.", "action": "submit"}),
    Case("participation:library", lambda w: reverse("participation:library", args=[w.network.pk]), LIBRARY_READERS),
    Case("participation:library_entry", _entry_url("library_entry"), LIBRARY_READERS),
    Case("participation:library_entry", _entry_url("library_entry"), LIBRARY_COMMENTERS, "post",
         lambda w: {"body": "Mooi hoe de cliëntenraad meeschreef."}),
    # Copying writes into one's own draft: only those who may edit a plan.
    Case("participation:library_copy", _entry_url("library_copy"), PLAN_EDITORS),
    Case("participation:library_copy", _entry_url("library_copy"), PLAN_EDITORS, "post",
         lambda w: {"section_key": "wonen-en-welzijn", "plan": w.plan.pk}),
    Case("participation:library_withdraw", _entry_url("library_withdraw"), PLAN_EDITORS, "post"),
    Case("participation:library_share", lambda w: reverse("participation:library_share", args=[w.plan.pk]),
         PLAN_EDITORS),
    Case("participation:library_share", lambda w: reverse("participation:library_share", args=[w.plan.pk]),
         PLAN_EDITORS, "post", _share_data),
]
