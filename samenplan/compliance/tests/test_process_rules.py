"""The process rules of the checker (DOMAIN §6: R1–R5, R7–R9, R21, R27) on plain data: no database.

`ready()` is the context of a plan that may be adopted: frozen, both councils granted on this
exact hash, two network peers reviewed it. Each test changes one thing and looks at what the
checker says.
"""

import dataclasses

import pytest
from django.utils import translation

from samenplan.compliance import (
    CheckContext,
    ConsentFacts,
    CouncilFacts,
    ReviewFacts,
    Severity,
    Target,
    TopPointFacts,
    blocking,
    check,
    required_councils,
)
from samenplan.compliance.tests.test_checker import make_snapshot, with_section
from samenplan.frameworks.models import FrameworkRules

OWN_ORGANISATION = 1
HASH = "a" * 64
OLD_HASH = "b" * 64

CLIENT_COUNCIL = CouncilFacts(id=1, kind="client_council", name="Centrale cliëntenraad")
NURSING_COUNCIL = CouncilFacts(id=2, kind="nursing_council", name="VAR")
WORKS_COUNCIL = CouncilFacts(id=3, kind="works_council", name="OR")
LOCAL_CLIENT_COUNCIL = CouncilFacts(id=4, kind="client_council", name="Cliëntenraad De Linde", location_id=10)
OTHER_LOCAL_CLIENT_COUNCIL = CouncilFacts(id=5, kind="client_council", name="Cliëntenraad Wilgenhof", location_id=11)


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def granted(council, **overrides) -> ConsentFacts:
    facts = {"council_id": council.id, "request_id": 100 + council.id, "decision": "granted", "decision_sha256": HASH}
    return ConsentFacts(**(facts | overrides))


def review(organisation_id, *, name=None, shares_network=True, sha256=HASH, number=2) -> ReviewFacts:
    return ReviewFacts(organisation_id=organisation_id, organisation_name=name or f"Organisatie {organisation_id}",
                       shares_network=shares_network, version_sha256=sha256, version_number=number)


def ready(**overrides) -> CheckContext:
    """The context of a plan that may be adopted; keyword arguments replace one part of it."""
    context = CheckContext(
        check_readability=False, process=True, organisation_id=OWN_ORGANISATION, content_sha256=HASH,
        latest_version_sha256=HASH, councils=(CLIENT_COUNCIL, NURSING_COUNCIL, WORKS_COUNCIL),
        consent=(granted(CLIENT_COUNCIL), granted(NURSING_COUNCIL)),
        peer_reviews=(review(2, name="Het Anker"), review(3, name="Vijverhof")),
    )
    return dataclasses.replace(context, **overrides)


def findings_for(context, snapshot=None):
    return check(snapshot or make_snapshot(), context)


def codes(findings):
    return [(f.rule, f.code) for f in findings]


def test_a_plan_ready_for_adoption_has_no_findings():
    assert findings_for(ready()) == []


def test_process_rules_do_not_run_without_process():
    bare = ready(process=False, latest_version_sha256="", councils=(), consent=(), peer_reviews=(),
                 open_comments=(("veiligheid", 3),), top_points=(TopPointFacts(id=1, title="Buiten"),))
    assert findings_for(bare) == []


# --- R1: every required council consents ------------------------------------------------------


def test_r1_blocks_a_council_not_yet_asked():
    findings = findings_for(ready(consent=(granted(CLIENT_COUNCIL),)))
    assert codes(findings) == [("R1", "consent-not-requested")]
    (finding,) = findings
    assert finding.severity == Severity.BLOCK
    assert finding.target == Target("consent", key=str(NURSING_COUNCIL.id))
    assert "VAR" in finding.message


def test_r1_blocks_a_council_that_has_not_decided():
    pending = granted(NURSING_COUNCIL, decision="", decision_sha256="")
    findings = findings_for(ready(consent=(granted(CLIENT_COUNCIL), pending)))
    assert codes(findings) == [("R1", "consent-pending")]
    assert findings[0].severity == Severity.BLOCK


def test_r1_passes_with_consent_with_conditions():
    conditional = granted(NURSING_COUNCIL, decision="granted_with_conditions")
    assert findings_for(ready(consent=(granted(CLIENT_COUNCIL), conditional))) == []


def test_r1_does_not_ask_an_extra_works_council():
    # The works council may be added to the round, but its consent is not required.
    extra = granted(WORKS_COUNCIL, decision="", decision_sha256="")
    assert findings_for(ready(consent=(granted(CLIENT_COUNCIL), granted(NURSING_COUNCIL), extra))) == []


# --- R2: which councils must consent ----------------------------------------------------------


def required_ids(councils, **rules):
    required, missing = required_councils(councils, FrameworkRules(**rules))
    return [c.id for c in required], missing


def test_r2_requires_the_client_council_and_the_nursing_council():
    assert required_ids([CLIENT_COUNCIL, NURSING_COUNCIL, WORKS_COUNCIL]) == ([1, 2], [])


def test_r2_prefers_the_central_client_council_over_local_ones():
    councils = [LOCAL_CLIENT_COUNCIL, CLIENT_COUNCIL, OTHER_LOCAL_CLIENT_COUNCIL, NURSING_COUNCIL]
    assert required_ids(councils) == ([1, 2], [])


def test_r2_requires_every_local_client_council_without_a_central_one():
    councils = [LOCAL_CLIENT_COUNCIL, OTHER_LOCAL_CLIENT_COUNCIL, NURSING_COUNCIL]
    assert required_ids(councils) == ([4, 5, 2], [])


def test_r2_asks_the_works_council_without_a_nursing_council():
    assert required_ids([CLIENT_COUNCIL, WORKS_COUNCIL]) == ([1, 3], [])


def test_r2_leaves_the_works_council_out_when_the_framework_does_not_let_it_stand_in():
    assert required_ids([CLIENT_COUNCIL, WORKS_COUNCIL], works_council_replaces_nursing_council=False) == (
        [1], ["nursing_council"])


def test_r2_follows_the_councils_the_framework_names():
    assert required_ids([CLIENT_COUNCIL, NURSING_COUNCIL], consenting_councils=("client_council",)) == ([1], [])


def test_r2_reports_kinds_without_any_council():
    assert required_ids([NURSING_COUNCIL]) == ([2], ["client_council"])
    assert required_ids([CLIENT_COUNCIL]) == ([1], ["nursing_council"])


def test_r2_blocks_a_missing_client_council():
    findings = findings_for(ready(councils=(NURSING_COUNCIL, WORKS_COUNCIL), consent=(granted(NURSING_COUNCIL),)))
    assert codes(findings) == [("R2", "council-missing")]
    assert findings[0].severity == Severity.BLOCK
    assert findings[0].target == Target("organisation")
    assert "cliëntenraad" in findings[0].message


def test_r2_blocks_without_a_nursing_council_and_a_works_council():
    findings = findings_for(ready(councils=(CLIENT_COUNCIL,), consent=(granted(CLIENT_COUNCIL),)))
    assert codes(findings) == [("R2", "council-missing")]
    assert "VAR/PAR" in findings[0].message


def test_r2_asks_consent_of_the_works_council_in_place_of_the_nursing_council():
    context = ready(councils=(CLIENT_COUNCIL, WORKS_COUNCIL), consent=(granted(CLIENT_COUNCIL),))
    findings = findings_for(context)
    assert codes(findings) == [("R1", "consent-not-requested")]
    assert findings[0].target == Target("consent", key=str(WORKS_COUNCIL.id))


def test_r2_asks_the_local_client_councils_when_there_is_no_central_one():
    context = ready(councils=(LOCAL_CLIENT_COUNCIL, OTHER_LOCAL_CLIENT_COUNCIL, NURSING_COUNCIL),
                    consent=(granted(LOCAL_CLIENT_COUNCIL), granted(NURSING_COUNCIL)))
    findings = findings_for(context)
    assert codes(findings) == [("R1", "consent-not-requested")]
    assert findings[0].target == Target("consent", key=str(OTHER_LOCAL_CLIENT_COUNCIL.id))


# --- R3: a works council standing in ----------------------------------------------------------


def test_r3_warns_when_the_works_council_stands_in():
    context = ready(councils=(CLIENT_COUNCIL, WORKS_COUNCIL),
                    consent=(granted(CLIENT_COUNCIL), granted(WORKS_COUNCIL, stands_in_for_nursing_council=True)))
    findings = findings_for(context)
    assert codes(findings) == [("R3", "works-council-stands-in")]
    assert findings[0].severity == Severity.WARN
    assert blocking(findings) == []


def test_r3_says_nothing_of_a_works_council_that_does_not_stand_in():
    context = ready(councils=(CLIENT_COUNCIL, WORKS_COUNCIL),
                    consent=(granted(CLIENT_COUNCIL), granted(WORKS_COUNCIL)))
    assert findings_for(context) == []


# --- R4: a frozen version, and decisions on this exact content --------------------------------


def test_r4_blocks_a_plan_without_any_version():
    findings = findings_for(ready(latest_version_sha256=""))
    assert codes(findings) == [("R4", "unfrozen-changes")]
    assert findings[0].target == Target("versions")
    assert findings[0].severity == Severity.BLOCK


def test_r4_blocks_a_draft_that_differs_from_its_latest_version():
    # The councils decided on the latest version; the draft has moved on since.
    context = ready(latest_version_sha256=OLD_HASH,
                    consent=(granted(CLIENT_COUNCIL, decision_sha256=OLD_HASH),
                             granted(NURSING_COUNCIL, decision_sha256=OLD_HASH)),
                    peer_reviews=(review(2, sha256=OLD_HASH), review(3, sha256=OLD_HASH)))
    assert ("R4", "unfrozen-changes") in codes(findings_for(context))


def test_r4_passes_when_the_draft_is_the_latest_version():
    assert "R4" not in {f.rule for f in findings_for(ready())}


def test_r4_counts_a_decision_on_other_content_as_stale():
    stale = granted(NURSING_COUNCIL, decision_sha256=OLD_HASH)
    findings = findings_for(ready(consent=(granted(CLIENT_COUNCIL), stale)))
    assert codes(findings) == [("R4", "consent-stale")]
    assert findings[0].severity == Severity.BLOCK
    assert findings[0].target == Target("consent", key=str(NURSING_COUNCIL.id))


def test_r4_a_stale_refusal_is_reported_as_stale_not_as_refused():
    stale_refusal = granted(NURSING_COUNCIL, decision="refused", decision_sha256=OLD_HASH)
    assert codes(findings_for(ready(consent=(granted(CLIENT_COUNCIL), stale_refusal)))) == [("R4", "consent-stale")]


# --- R5: a refusal blocks unless the LCvV gave substitute consent -----------------------------


def test_r5_blocks_a_refusal():
    refused = granted(NURSING_COUNCIL, decision="refused")
    findings = findings_for(ready(consent=(granted(CLIENT_COUNCIL), refused)))
    assert codes(findings) == [("R5", "consent-refused")]
    assert findings[0].severity == Severity.BLOCK


def test_r5_lets_substitute_consent_of_the_lcvv_replace_the_refusal():
    refused = granted(NURSING_COUNCIL, decision="refused", substitute_consent=True)
    assert findings_for(ready(consent=(granted(CLIENT_COUNCIL), refused))) == []


# --- R7: open conditions ----------------------------------------------------------------------


def test_r7_warns_about_open_conditions():
    conditional = granted(CLIENT_COUNCIL, decision="granted_with_conditions", open_conditions=2)
    findings = findings_for(ready(consent=(conditional, granted(NURSING_COUNCIL))))
    assert codes(findings) == [("R7", "conditions-open")]
    assert findings[0].severity == Severity.WARN
    assert "2 voorwaarden" in findings[0].message
    assert blocking(findings) == []


def test_r7_passes_when_every_condition_is_met():
    conditional = granted(CLIENT_COUNCIL, decision="granted_with_conditions", open_conditions=0)
    assert findings_for(ready(consent=(conditional, granted(NURSING_COUNCIL)))) == []


# --- R8: peer reviews from distinct organisations in the network ------------------------------


def test_r8_passes_with_reviews_from_two_network_organisations():
    assert "R8" not in {f.rule for f in findings_for(ready())}


def test_r8_counts_two_reviews_from_one_organisation_as_one():
    findings = findings_for(ready(peer_reviews=(review(2), review(2))))
    assert codes(findings) == [("R8", "peer-reviews-missing")]
    assert findings[0].severity == Severity.BLOCK
    assert "minstens 2" in findings[0].message and "feedback van 1" in findings[0].message


def test_r8_does_not_count_the_plans_own_organisation():
    findings = findings_for(ready(peer_reviews=(review(2), review(OWN_ORGANISATION))))
    assert codes(findings) == [("R8", "peer-reviews-missing")]


def test_r8_does_not_count_an_organisation_outside_the_network():
    findings = findings_for(ready(peer_reviews=(review(2), review(9, shares_network=False))))
    assert codes(findings) == [("R8", "peer-reviews-missing")]


def test_r8_takes_the_number_from_the_framework():
    one_is_enough = make_snapshot(rules={"min_peer_reviews": 1, "min_peer_organisations": 1})
    assert findings_for(ready(peer_reviews=(review(2),)), one_is_enough) == []

    three_needed = make_snapshot(rules={"min_peer_reviews": 3, "min_peer_organisations": 2})
    findings = findings_for(ready(), three_needed)
    assert codes(findings) == [("R8", "peer-reviews-missing")]
    assert "minstens 3" in findings[0].message

    findings = findings_for(ready(), make_snapshot(rules={"min_peer_reviews": 1, "min_peer_organisations": 3}))
    assert "minstens 3" in findings[0].message


def test_r8_counts_a_review_of_an_earlier_version():
    # Rule 8 asks for earlier reviews; that the plan changed since is rule 9's warning.
    findings = findings_for(ready(peer_reviews=(review(2, sha256=OLD_HASH, number=1), review(3))))
    assert codes(findings) == [("R9", "peer-review-outdated")]


# --- R9: a review of an earlier text ----------------------------------------------------------


def test_r9_warns_about_a_review_of_other_content():
    findings = findings_for(ready(peer_reviews=(review(2, name="Het Anker", sha256=OLD_HASH, number=1), review(3))))
    (finding,) = findings
    assert (finding.rule, finding.code, finding.severity) == ("R9", "peer-review-outdated", Severity.WARN)
    assert "Het Anker" in finding.message and "versie 1" in finding.message
    assert finding.target == Target("peer_review")


def test_r9_passes_when_reviews_are_of_this_content():
    assert "R9" not in {f.rule for f in findings_for(ready())}


# --- R21: the client council's top 3 ----------------------------------------------------------


def test_r21_passes_when_a_point_is_covered_by_an_action_of_the_plan():
    # make_snapshot has actions 11 (Het Wilgenhof) and 21 (De Linde).
    points = (TopPointFacts(id=1, title="Meer buiten", action_ids=(21,)),)
    assert findings_for(ready(top_points=points)) == []


def test_r21_passes_when_a_point_is_answered_in_writing():
    points = (TopPointFacts(id=1, title="Meer buiten", answered=True),)
    assert findings_for(ready(top_points=points)) == []


def test_r21_warns_about_a_point_without_an_action_or_answer():
    points = (TopPointFacts(id=1, title="Meer buiten"), TopPointFacts(id=2, title="Vaste gezichten", action_ids=(11,)))
    findings = findings_for(ready(top_points=points))
    assert codes(findings) == [("R21", "top-point-not-covered")]
    assert findings[0].severity == Severity.WARN
    assert "Meer buiten" in findings[0].message
    assert findings[0].target == Target("top_points")


def test_r21_does_not_count_an_action_the_plan_no_longer_has():
    points = (TopPointFacts(id=1, title="Meer buiten", action_ids=(999,)),)
    assert codes(findings_for(ready(top_points=points))) == [("R21", "top-point-not-covered")]


# --- R27: open comments per section -----------------------------------------------------------


def test_r27_warns_per_section_with_open_comments_in_plan_order():
    findings = findings_for(ready(open_comments=(("veiligheid", 2), ("persoonsgerichte-zorg", 1),
                                                 ("begroting", 0))))
    assert [(f.code, f.target) for f in findings] == [
        ("comments-open", Target("comments", key="persoonsgerichte-zorg")),
        ("comments-open", Target("comments", key="veiligheid")),
    ]
    assert all(f.severity == Severity.WARN for f in findings)
    assert "„Persoonsgerichte zorg”" in findings[0].message
    assert "„Veiligheid”" in findings[1].message and "2 reacties" in findings[1].message


def test_r27_passes_without_open_comments():
    assert findings_for(ready(open_comments=())) == []


# --- What blocks which step -------------------------------------------------------------------


def test_blocking_depends_on_the_step():
    snapshot = with_section(make_snapshot(), "veiligheid", body="")
    context = ready(latest_version_sha256=OLD_HASH, consent=(granted(CLIENT_COUNCIL),),
                    peer_reviews=(review(2),), open_comments=(("veiligheid", 1),))
    findings = check(snapshot, context)
    assert codes(findings) == [
        ("R15", "section-empty"),
        ("R4", "unfrozen-changes"),
        ("R1", "consent-not-requested"),
        ("R8", "peer-reviews-missing"),
        ("R27", "comments-open"),
    ]
    # Peers may see an unfinished plan, but only a frozen version.
    assert codes(blocking(findings, "peer_review")) == [("R4", "unfrozen-changes")]
    # Councils are asked about a frozen version that is complete.
    assert codes(blocking(findings, "consent")) == [("R15", "section-empty"), ("R4", "unfrozen-changes")]
    # Adoption needs every blocking finding gone; warnings never block.
    assert codes(blocking(findings, "adopted")) == codes(findings)[:4]
    assert codes(blocking(findings)) == codes(findings)[:4]
    # Going back to draft is how the author fixes all this, so nothing stops it.
    assert blocking(findings, "draft") == []


def test_a_plan_ready_for_adoption_has_nothing_blocking_any_step():
    findings = findings_for(ready(top_points=(TopPointFacts(id=1, title="Buiten"),)))
    for stage in ("peer_review", "consent", "adopted"):
        assert blocking(findings, stage) == []
