"""The compliance checker on plain snapshot dicts: no database.

`make_snapshot()` builds a complete plan that meets every rule; each test breaks one thing.
"""

import copy
import dataclasses
import statistics
import time
from types import SimpleNamespace

import pytest
from django.utils import translation

from samenplan.compliance import CheckContext, Finding, Severity, Target, blocking, check
from samenplan.compliance import checker
from samenplan.frameworks.loader import framework_files, read_framework_file
from samenplan.frameworks.models import FrameworkRules
from samenplan.plans import readability
from samenplan.plans.snapshot import staffing_totals

YEAR = 2027
EASY = ("Wij kennen de wensen van elke bewoner. De zorg past bij wat iemand wil. "
        "Dit jaar praten we vaker met familie.")
BUDGET = ("Dit plan past bij de begroting van 2027. Ook het jaarplan van 2027 hoort erbij. "
          "We kijken elk kwartaal of het lukt.")
SUMMARY = "Hier staat kort wat we doen. Zo weet iedereen het."
HARD = ("In het kader van de implementatie van de multidisciplinaire methodiek ten behoeve van "
        "persoonsgerichte zorgverlening wordt geïnvesteerd in deskundigheidsbevordering van medewerkers, "
        "teamleiders en behandelaars op alle locaties van de organisatie.")
NO_READABILITY = CheckContext(check_readability=False)


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


# --- Builder ----------------------------------------------------------------------------------


def section(key, kind="theme", *, title=None, required=True, body=None, group="", summary=None):
    is_text = kind in ("theme", "text")
    if body is None:
        body = EASY if is_text else ""
    data = {"key": key, "kind": kind, "title": title or key.replace("-", " ").capitalize(), "group": group,
            "required": required, "body": body}
    if summary is None and is_text and body:
        summary = SUMMARY
    if summary:
        data["summary"] = summary
    return data


def location(location_id, name, *, active=True, places=40):
    return {"id": location_id, "name": name, "kvk_establishment_number": f"{location_id:012d}",
            "is_active": active, "places": places}


def action(action_id, **overrides):
    data = {
        "id": action_id, "title": f"Actie {action_id}", "goal": "Bewoners gaan vaker naar buiten.",
        "measurable_result": "Elke bewoner is elke week buiten geweest.", "theme_key": "",
        "owner": "Teamleider", "due_quarter": f"{YEAR}-Q2", "status": "planned", "source": "report_finding",
        "source_note": "", "carried_over_from": None,
    }
    data.update(overrides)
    return data


def paragraph(loc, *actions, body="Deze locatie gaat meer tijd maken voor een goede dag."):
    return {"location_id": loc["id"], "location": loc["name"], "body": body, "actions": list(actions)}


def staffing_row(loc, **overrides):
    row = {f"level{n}_fte": "0.00" for n in (1, 2, 3, 4, 5)}
    row.update(other_care_fte="0.00", treatment_fte="0.00")
    row.update({f"level{n}_headcount": 0 for n in (1, 2, 3, 4, 5)})
    row.update(other_care_headcount=0, treatment_headcount=0, trainees=2, volunteers=10)
    row.update(level2_fte="4.50", level2_headcount=6, level3_fte="12.00", level3_headcount=15,
               level4_fte="3.20", level4_headcount=4)
    row.update(location_id=loc["id"] if loc else None, location=loc["name"] if loc else None,
               inflow=3, outflow=2, sickness_rate="6.10")
    row.update(overrides)
    return row


WILGENHOF = location(1, "Het Wilgenhof")
LINDE = location(2, "De Linde")
CLOSED = location(3, "Oude Hof", active=False)


def default_sections():
    return [
        section("profiel", "organisation_profile", title="Profiel van de organisatie"),
        section("personeel", "staffing", title="Personeelssamenstelling"),
        section("persoonsgerichte-zorg", title="Persoonsgerichte zorg"),
        section("veiligheid", title="Veiligheid"),
        section("eigen-thema", title="Een eigen thema", required=False),
        section("begroting", "text", title="Samenhang met begroting en jaarplan", body=BUDGET),
        section("verbeterparagrafen", "improvement_paragraphs", title="Verbeterparagrafen per locatie"),
    ]


def make_snapshot(*, year=YEAR, rules=None, sections=None, locations=None, paragraphs=None, profile=None,
                  staffing_rows=None):
    """A complete plan that meets every rule; keyword arguments replace one part of it."""
    locations = [WILGENHOF, LINDE, CLOSED] if locations is None else locations
    if paragraphs is None:
        paragraphs = [paragraph(loc, action(10 * loc["id"] + 1)) for loc in locations if loc["is_active"]]
    if staffing_rows is None:
        staffing_rows = [staffing_row(loc) for loc in locations if loc["is_active"]]
    framework_rules = FrameworkRules(budget_link_section="begroting").to_json() | (rules or {})
    return {
        "schema": 1,
        "plan": {
            "id": 7, "year": year,
            "organisation": {"id": 1, "name": "Zorggroep De Horst", "kvk_number": "12345678"},
            "framework": {"id": 1, "key": "kader", "name": "Kader", "version": "1", "rules": framework_rules},
        },
        "sections": default_sections() if sections is None else sections,
        "organisation_profile": {
            "target_groups": ["psychogeriatrie", "somatiek"], "care_types": ["verblijf-met-behandeling"],
            "care_intensity": {"VV5": 40, "VV7": 25}, "text": "",
        } | (profile or {}),
        "staffing": {"reference_date": f"{year - 1}-12-31", "note": "", "rows": staffing_rows,
                     "totals": staffing_totals(staffing_rows)},
        "locations": locations,
        "improvement_paragraphs": paragraphs,
    }


def with_section(snapshot, key, **changes):
    for item in snapshot["sections"]:
        if item["key"] == key:
            item.update(changes)
            return snapshot
    raise KeyError(key)


def by_rule(findings, rule):
    return [f for f in findings if f.rule == rule]


def codes(findings):
    return [(f.rule, f.code) for f in findings]


# --- The whole plan ---------------------------------------------------------------------------


def test_a_complete_plan_has_no_findings():
    assert check(make_snapshot()) == []


def test_a_complete_plan_has_no_findings_with_a_previous_report_either():
    assert check(make_snapshot(), CheckContext(previous_report_exists=True)) == []


def test_context_defaults_keep_old_callers_working():
    context = CheckContext()
    assert context.previous_report_exists is False
    assert context.check_readability is True
    assert check(make_snapshot()) == check(make_snapshot(), context)


def test_findings_and_targets_are_frozen():
    finding = Finding("R10", "x", Severity.BLOCK, "m", Target("section", key="a"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.rule = "R11"
    assert Target("paragraph", location_id=1) == Target("paragraph", location_id=1)
    assert Severity.BLOCK == "block" and Severity.WARN == "warn"


def test_blocking_keeps_only_blocking_findings():
    snapshot = make_snapshot(profile={"care_types": []})
    with_section(snapshot, "begroting", body="Dit plan past bij de begroting.")
    findings = check(snapshot, NO_READABILITY)
    assert codes(findings) == [("R13", "profile-care-types-missing"), ("R16", "budget-link-year-missing")]
    assert codes(blocking(findings)) == [("R13", "profile-care-types-missing")]
    assert blocking([]) == []


def test_findings_come_blocking_first_then_in_plan_order():
    zonnehof = location(4, "Zonnehof")
    locations = [WILGENHOF, LINDE, zonnehof, CLOSED]
    snapshot = make_snapshot(
        locations=locations,
        paragraphs=[paragraph(WILGENHOF, action(11, owner=""), action(12))],
        profile={"care_types": []},
        staffing_rows=[staffing_row(loc) for loc in (WILGENHOF, LINDE)]
        + [staffing_row(zonnehof, level3_fte="20.00", level3_headcount=10)],
    )
    with_section(snapshot, "veiligheid", body="")
    with_section(snapshot, "begroting", body="Dit plan past bij de begroting.")

    findings = check(snapshot, NO_READABILITY)

    assert [(f.code, f.target) for f in findings] == [
        ("profile-care-types-missing", Target("profile")),
        ("section-empty", Target("section", key="veiligheid")),
        ("improvement-paragraph-missing", Target("paragraph", location_id=LINDE["id"])),
        ("improvement-paragraph-missing", Target("paragraph", location_id=zonnehof["id"])),
        ("staffing-fte-exceeds-headcount", Target("staffing", location_id=zonnehof["id"])),
        ("budget-link-year-missing", Target("section", key="begroting")),
        ("action-without-owner-or-quarter", Target("action", location_id=WILGENHOF["id"], action_id=11)),
    ]


def test_locations_are_ordered_by_name_whatever_the_snapshot_order():
    locations = [location(5, "Zonnehof"), location(6, "de Beuk"), location(7, "Amstelhof")]
    findings = check(make_snapshot(locations=locations, paragraphs=[]), NO_READABILITY)
    assert [f.target.location_id for f in findings] == [7, 6, 5]


def test_a_finding_on_a_part_the_plan_lacks_comes_after_the_rest():
    sections = [s for s in default_sections() if s["kind"] != "organisation_profile"]
    snapshot = make_snapshot(sections=sections, profile={"target_groups": []})
    with_section(snapshot, "veiligheid", body="")
    findings = check(snapshot, NO_READABILITY)
    assert codes(findings) == [("R15", "section-empty"), ("R13", "profile-target-groups-missing")]


# --- R10: an improvement paragraph for each active location -----------------------------------


def test_r10_passes_when_each_active_location_has_a_paragraph():
    assert by_rule(check(make_snapshot()), "R10") == []


def test_r10_blocks_a_location_without_a_paragraph():
    snapshot = make_snapshot(paragraphs=[paragraph(WILGENHOF, action(11))])
    [finding] = check(snapshot)
    assert finding == Finding(
        "R10", "improvement-paragraph-missing", Severity.BLOCK,
        "Locatie De Linde heeft nog geen verbeterparagraaf. Schrijf wat deze locatie in 2027 gaat verbeteren.",
        Target("paragraph", location_id=LINDE["id"]),
    )


def test_r10_counts_a_paragraph_with_only_text_or_only_an_action():
    snapshot = make_snapshot(paragraphs=[
        paragraph(WILGENHOF, body="We gaan samen met bewoners koken."),
        paragraph(LINDE, action(21), body=""),
    ])
    assert by_rule(check(snapshot), "R10") == []


@pytest.mark.parametrize("body", ["", "   \n\t", "#\n\n---\n\n- \n", "<!-- nog invullen -->", "![](foto.png)"])
def test_r10_does_not_count_a_paragraph_without_words_or_actions(body):
    snapshot = make_snapshot(paragraphs=[paragraph(WILGENHOF, action(11)), paragraph(LINDE, body=body)])
    findings = check(snapshot)
    assert codes(findings) == [("R10", "improvement-paragraph-missing")]
    assert findings[0].target.location_id == LINDE["id"]


def test_r10_asks_nothing_of_an_inactive_location():
    snapshot = make_snapshot(locations=[WILGENHOF, CLOSED],
                             paragraphs=[paragraph(WILGENHOF, action(11))])
    assert check(snapshot) == []


def test_r10_is_off_when_the_framework_does_not_ask_a_paragraph_per_location():
    snapshot = make_snapshot(rules={"improvement_paragraph_per_location": False}, paragraphs=[])
    assert check(snapshot) == []


# --- R11: paragraphs cite a finding of the previous quality report ----------------------------

WITH_REPORT = CheckContext(previous_report_exists=True)


def test_r11_passes_when_a_paragraph_has_an_action_from_a_report_finding():
    snapshot = make_snapshot(paragraphs=[
        paragraph(WILGENHOF, action(11, source="signal"), action(12, source="report_finding")),
        paragraph(LINDE, action(21)),
    ])
    assert check(snapshot, WITH_REPORT) == []


def test_r11_warns_about_a_paragraph_without_a_report_finding():
    snapshot = make_snapshot(paragraphs=[
        paragraph(WILGENHOF, action(11, source="client_council")),
        paragraph(LINDE, action(21)),
    ])
    [finding] = check(snapshot, WITH_REPORT)
    assert (finding.rule, finding.code, finding.severity) == ("R11", "paragraph-without-report-finding",
                                                              Severity.WARN)
    assert finding.target == Target("paragraph", location_id=WILGENHOF["id"])
    assert "Het Wilgenhof" in finding.message
    assert "kwaliteitsverslag" in finding.message


def test_r11_is_skipped_without_a_previous_report():
    snapshot = make_snapshot(paragraphs=[
        paragraph(WILGENHOF, action(11, source="own")), paragraph(LINDE, action(21, source="own")),
    ])
    assert check(snapshot) == []


# --- R12: actions with an owner and a due quarter ---------------------------------------------


def test_r12_passes_when_every_action_has_an_owner_and_a_quarter():
    snapshot = make_snapshot(paragraphs=[
        paragraph(WILGENHOF, action(11), action(12, owner="Locatiemanager", due_quarter="2027-Q4")),
        paragraph(LINDE, action(21)),
    ])
    assert check(snapshot) == []


def test_r12_warns_about_a_paragraph_without_any_action():
    snapshot = make_snapshot(paragraphs=[paragraph(WILGENHOF), paragraph(LINDE, action(21))])
    [finding] = check(snapshot)
    assert (finding.rule, finding.code, finding.severity) == ("R12", "paragraph-without-action-with-owner-and-quarter",
                                                              Severity.WARN)
    assert finding.target == Target("paragraph", location_id=WILGENHOF["id"])
    assert "Het Wilgenhof" in finding.message


def test_r12_warns_per_action_without_owner_or_quarter():
    snapshot = make_snapshot(paragraphs=[
        paragraph(WILGENHOF, action(11), action(12, owner="  "), action(13, due_quarter=""),
                  action(14, title="Samen eten", owner="", due_quarter="")),
        paragraph(LINDE, action(21)),
    ])
    findings = check(snapshot)
    assert codes(findings) == [("R12", "action-without-owner-or-quarter")] * 3
    assert {f.severity for f in findings} == {Severity.WARN}
    assert [f.target for f in findings] == [
        Target("action", location_id=WILGENHOF["id"], action_id=action_id) for action_id in (12, 13, 14)
    ]
    owner, quarter, both = (f.message for f in findings)
    assert owner == ("Actie „Actie 12” van locatie Het Wilgenhof heeft nog geen trekker. "
                     "Schrijf op wie zorgt dat het gebeurt.")
    assert "nog geen kwartaal" in quarter and "2027-Q2" in quarter and "trekker" not in quarter
    assert "„Samen eten”" in both and "trekker en geen kwartaal" in both


def test_r12_warns_about_the_paragraph_too_when_no_action_is_complete():
    snapshot = make_snapshot(paragraphs=[
        paragraph(WILGENHOF, action(11, owner=""), action(12, due_quarter="")),
        paragraph(LINDE, action(21)),
    ])
    assert codes(check(snapshot)) == [
        ("R12", "paragraph-without-action-with-owner-and-quarter"),
        ("R12", "action-without-owner-or-quarter"),
        ("R12", "action-without-owner-or-quarter"),
    ]


def test_r11_and_r12_leave_a_missing_paragraph_to_r10():
    snapshot = make_snapshot(paragraphs=[paragraph(WILGENHOF, action(11)), paragraph(LINDE, body="")])
    assert codes(check(snapshot, WITH_REPORT)) == [("R10", "improvement-paragraph-missing")]


def test_r12_checks_a_paragraph_even_when_the_framework_asks_none_per_location():
    snapshot = make_snapshot(rules={"improvement_paragraph_per_location": False},
                             paragraphs=[paragraph(WILGENHOF, action(11, owner=""))])
    assert codes(check(snapshot)) == [("R12", "paragraph-without-action-with-owner-and-quarter"),
                                      ("R12", "action-without-owner-or-quarter")]


# --- R13: the organisation profile ------------------------------------------------------------


def test_r13_passes_with_target_group_care_intensity_and_care_type():
    assert by_rule(check(make_snapshot()), "R13") == []


@pytest.mark.parametrize(("profile", "code", "words"), [
    ({"target_groups": []}, "profile-target-groups-missing", "doelgroep"),
    ({"care_intensity": {}}, "profile-care-intensity-missing", "zorgprofiel"),
    ({"care_intensity": {"VV5": 0, "VV7": 0}}, "profile-care-intensity-missing", "zorgprofiel"),
    ({"care_types": []}, "profile-care-types-missing", "soort zorg"),
])
def test_r13_blocks_each_missing_part(profile, code, words):
    [finding] = check(make_snapshot(profile=profile))
    assert (finding.rule, finding.code, finding.severity, finding.target) == (
        "R13", code, Severity.BLOCK, Target("profile"))
    assert words in finding.message


def test_r13_gives_one_finding_per_missing_part():
    snapshot = make_snapshot(profile={"target_groups": [], "care_types": [], "care_intensity": {}})
    assert codes(check(snapshot)) == [("R13", "profile-target-groups-missing"),
                                      ("R13", "profile-care-intensity-missing"),
                                      ("R13", "profile-care-types-missing")]


def test_r13_is_off_when_the_framework_does_not_ask_a_profile():
    snapshot = make_snapshot(rules={"organisation_profile_required": False},
                             profile={"target_groups": [], "care_types": [], "care_intensity": {}})
    assert check(snapshot) == []


# --- R14: staffing ----------------------------------------------------------------------------


def test_r14_passes_with_size_and_levels_for_every_active_location():
    assert by_rule(check(make_snapshot()), "R14") == []


def test_r14_blocks_once_when_staffing_is_empty():
    [finding] = check(make_snapshot(staffing_rows=[]))
    assert (finding.rule, finding.code, finding.severity, finding.target) == (
        "R14", "staffing-missing", Severity.BLOCK, Target("staffing"))


def test_r14_blocks_rows_with_only_zeros():
    zeros = {f"level{n}_{kind}": value for n in (2, 3, 4) for kind, value in (("fte", "0.00"), ("headcount", 0))}
    findings = check(make_snapshot(staffing_rows=[staffing_row(WILGENHOF, **zeros), staffing_row(LINDE, **zeros)]))
    assert codes(findings) == [("R14", "staffing-missing")]


def test_r14_blocks_staffing_without_fte():
    no_fte = {"level2_fte": "0.00", "level3_fte": "0.00", "level4_fte": "0.00"}
    findings = check(make_snapshot(staffing_rows=[staffing_row(WILGENHOF, **no_fte), staffing_row(LINDE, **no_fte)]))
    assert codes(findings) == [("R14", "staffing-size-missing")]
    assert "fte" in findings[0].message


def test_r14_blocks_staffing_without_people_per_level():
    # Everyone entered as "other care staff": there is a size, but no qualification levels.
    rows = [staffing_row(loc, level2_fte="0.00", level2_headcount=0, level3_fte="0.00", level3_headcount=0,
                         level4_fte="0.00", level4_headcount=0, other_care_fte="10.00", other_care_headcount=12)
            for loc in (WILGENHOF, LINDE)]
    findings = check(make_snapshot(staffing_rows=rows))
    assert codes(findings) == [("R14", "staffing-levels-missing")]
    assert findings[0].severity == Severity.BLOCK


def test_r14_allows_up_to_1_12_fte_per_person():
    # 40 hours a week is 1.11 fte on a 36-hour basis.
    rows = [staffing_row(WILGENHOF, level5_fte="1.12", level5_headcount=1), staffing_row(LINDE)]
    assert check(make_snapshot(staffing_rows=rows)) == []


def test_r14_warns_when_a_level_has_more_fte_than_people_can_work():
    rows = [staffing_row(WILGENHOF, level3_fte="17.00", level3_headcount=15, level5_fte="1.00",
                         level5_headcount=0),
            staffing_row(LINDE)]
    [finding] = check(make_snapshot(staffing_rows=rows))
    assert (finding.rule, finding.code, finding.severity) == ("R14", "staffing-fte-exceeds-headcount",
                                                              Severity.WARN)
    assert finding.target == Target("staffing", location_id=WILGENHOF["id"])
    assert "locatie Het Wilgenhof" in finding.message
    assert "niveau 3: 17,00 fte bij 15 mensen" in finding.message
    assert "niveau 5: 1,00 fte bij 0 mensen" in finding.message


def test_r14_checks_other_care_staff_and_the_organisation_wide_row_too():
    rows = [staffing_row(WILGENHOF), staffing_row(LINDE),
            staffing_row(None, level2_fte="0.00", level2_headcount=0, level3_fte="0.00", level3_headcount=0,
                         level4_fte="0.00", level4_headcount=0, treatment_fte="3.00", treatment_headcount=2)]
    [finding] = check(make_snapshot(staffing_rows=rows))
    assert finding.code == "staffing-fte-exceeds-headcount"
    assert finding.target == Target("staffing")
    assert "hele organisatie" in finding.message and "behandelaars: 3,00 fte bij 2 mensen" in finding.message


def test_r14_warns_about_an_active_location_without_a_staffing_row():
    [finding] = check(make_snapshot(staffing_rows=[staffing_row(WILGENHOF)]))
    assert (finding.rule, finding.code, finding.severity) == ("R14", "staffing-location-missing", Severity.WARN)
    assert finding.target == Target("staffing", location_id=LINDE["id"])
    assert "De Linde" in finding.message


def test_r14_asks_no_staffing_row_of_an_inactive_location():
    snapshot = make_snapshot()
    assert CLOSED["id"] not in {row["location_id"] for row in snapshot["staffing"]["rows"]}
    assert check(snapshot) == []


def test_r14_is_off_when_the_framework_does_not_ask_staffing():
    assert check(make_snapshot(rules={"staffing_profile_required": False}, staffing_rows=[])) == []


# --- R15: required themes and texts are written -----------------------------------------------


def test_r15_passes_when_every_required_text_is_written():
    assert by_rule(check(make_snapshot()), "R15") == []


@pytest.mark.parametrize("body", ["", "  \n \n", "## \n\n---\n\n* \n\n> ", "| |\n|-|\n| |", "<br>\n<!-- -->"])
def test_r15_blocks_a_required_theme_without_words(body):
    snapshot = with_section(make_snapshot(), "veiligheid", body=body)
    [finding] = check(snapshot)
    assert finding == Finding(
        "R15", "section-empty", Severity.BLOCK,
        "Het onderdeel „Veiligheid” is verplicht, maar nog leeg. Schrijf wat u doet en wat u wilt verbeteren.",
        Target("section", key="veiligheid"),
    )


def test_r15_blocks_a_required_text_section_too():
    sections = default_sections() + [section("lerend-netwerk", "text", title="Lerend netwerk", body="")]
    [finding] = check(make_snapshot(sections=sections))
    assert (finding.code, finding.target) == ("section-empty", Target("section", key="lerend-netwerk"))
    assert finding.message == ("Het onderdeel „Lerend netwerk” is verplicht, maar nog leeg. Bij het onderdeel "
                               "staat uitgelegd wat erin hoort.")


def test_r15_lets_a_theme_that_is_not_required_stay_empty():
    assert check(with_section(make_snapshot(), "eigen-thema", body="")) == []


def test_r15_follows_the_required_flag_not_the_section_key():
    snapshot = with_section(make_snapshot(), "veiligheid", body="", required=False)
    with_section(snapshot, "eigen-thema", body="", required=True)
    assert [f.target.key for f in check(snapshot)] == ["eigen-thema"]


def test_r15_counts_a_short_text_or_a_list_as_written():
    snapshot = with_section(make_snapshot(), "veiligheid", body="- Minder vallen\n- Goede medicijnen")
    assert by_rule(check(snapshot, NO_READABILITY), "R15") == []


# --- R16: the plan refers to the budget and year plan of the same year ------------------------


def test_r16_passes_when_the_budget_section_names_the_plan_year():
    assert by_rule(check(make_snapshot()), "R16") == []


@pytest.mark.parametrize("body", ["Dit plan past bij de begroting.", "Dit plan past bij de begroting 2026.",
                                  "Dit plan hoort bij dossier 202712."])
def test_r16_warns_when_the_budget_section_does_not_name_the_plan_year(body):
    [finding] = check(with_section(make_snapshot(), "begroting", body=body), NO_READABILITY)
    assert (finding.rule, finding.code, finding.severity) == ("R16", "budget-link-year-missing", Severity.WARN)
    assert finding.target == Target("section", key="begroting")
    assert "„Samenhang met begroting en jaarplan”" in finding.message and "2027" in finding.message


def test_r16_follows_the_plan_year():
    snapshot = make_snapshot(year=2028)
    assert codes(check(snapshot, NO_READABILITY)) == [("R16", "budget-link-year-missing")]
    with_section(snapshot, "begroting", body="De begroting van 2028 en het jaarplan 2028 passen bij dit plan.")
    assert check(snapshot, NO_READABILITY) == []


def test_r16_leaves_an_empty_required_budget_section_to_r15():
    assert codes(check(with_section(make_snapshot(), "begroting", body=""))) == [("R15", "section-empty")]


def test_r16_warns_about_an_empty_budget_section_that_is_not_required():
    [finding] = check(with_section(make_snapshot(), "begroting", body="", required=False))
    assert (finding.rule, finding.code, finding.severity) == ("R16", "budget-link-missing", Severity.WARN)
    assert "2027" in finding.message


def test_r16_reads_the_section_the_framework_names():
    snapshot = make_snapshot(rules={"budget_link_section": "persoonsgerichte-zorg"})
    assert [(f.code, f.target.key) for f in check(snapshot)] == [
        ("budget-link-year-missing", "persoonsgerichte-zorg")]


def test_r16_is_off_when_the_framework_names_no_budget_section():
    snapshot = with_section(make_snapshot(rules={"budget_link_section": ""}), "begroting", body=EASY)
    assert check(snapshot) == []


# --- R25: readability -------------------------------------------------------------------------


@pytest.fixture
def fake_analyse(monkeypatch):
    """Replaces readability.analyse; texts containing "moeilijk" miss the target."""
    calls = []

    def analyse(text):
        calls.append(text)
        hard = "moeilijk" in text
        return SimpleNamespace(meets_target=not hard, score=42.4 if hard else 75.0,
                               average_sentence_length=21.6 if hard else 9.0)

    monkeypatch.setattr(checker, "analyse", analyse)
    return calls


def test_r25_passes_when_every_text_meets_the_target(fake_analyse):
    assert check(make_snapshot()) == []
    # The theme and text sections (three share a text, analysed once) and their summaries, not the
    # profile or staffing.
    assert sorted(fake_analyse) == sorted([BUDGET, EASY, SUMMARY])


def test_r25_warns_about_a_text_that_misses_the_target(fake_analyse):
    snapshot = with_section(make_snapshot(), "eigen-thema", body="Een moeilijk verhaal.")
    [finding] = check(snapshot)
    assert finding == Finding(
        "R25", "section-hard-to-read", Severity.WARN,
        "Het onderdeel „Een eigen thema” is nog moeilijk te lezen (leesscore 42, gemiddeld 22 woorden per zin). "
        "Maak de zinnen korter en kies gewone woorden, zodat iedereen het kan lezen (taalniveau B1).",
        Target("section", key="eigen-thema"),
    )


def test_r25_does_not_analyse_empty_sections(fake_analyse):
    snapshot = with_section(make_snapshot(), "eigen-thema", body="  ")
    assert check(snapshot) == []
    assert "  " not in fake_analyse


def test_r25_is_off_when_the_context_says_so(fake_analyse):
    snapshot = with_section(make_snapshot(), "veiligheid", body="Een moeilijk verhaal.")
    assert check(snapshot, NO_READABILITY) == []
    assert fake_analyse == []


def test_r25_with_the_real_analysis():
    snapshot = with_section(make_snapshot(), "veiligheid", body=HARD)
    [finding] = check(snapshot)
    assert (finding.rule, finding.code, finding.target) == ("R25", "section-hard-to-read",
                                                            Target("section", key="veiligheid"))
    assert "„Veiligheid”" in finding.message
    assert readability.analyse(EASY).meets_target is True


# --- R26: frameworks decide -------------------------------------------------------------------


def snapshot_for_framework(spec, *, body=""):
    sections = [section(s.key, s.kind, title=s.title, required=s.required, group=s.group, body=body)
                for s in spec.sections]
    snapshot = make_snapshot(sections=sections, paragraphs=[], staffing_rows=[],
                             profile={"target_groups": [], "care_types": [], "care_intensity": {}})
    snapshot["plan"]["framework"]["rules"] = spec.rules.to_json()
    return snapshot


@pytest.mark.parametrize("path", framework_files(), ids=lambda path: path.stem)
def test_an_empty_plan_is_judged_by_its_framework_file(path):
    spec = read_framework_file(path)
    findings = check(snapshot_for_framework(spec), NO_READABILITY)

    assert [f.target.key for f in by_rule(findings, "R15")] == [
        s.key for s in spec.sections if s.required and s.kind in ("theme", "text")]
    assert bool(by_rule(findings, "R10")) is spec.rules.improvement_paragraph_per_location
    assert bool(by_rule(findings, "R13")) is spec.rules.organisation_profile_required
    assert bool(by_rule(findings, "R14")) is spec.rules.staffing_profile_required
    assert by_rule(findings, "R16") == []  # an empty required budget section is R15's


@pytest.mark.parametrize("path", framework_files(), ids=lambda path: path.stem)
def test_a_written_plan_passes_the_text_rules_of_its_framework_file(path):
    spec = read_framework_file(path)
    findings = check(snapshot_for_framework(spec, body=BUDGET))
    assert {f.rule for f in findings} <= {"R10", "R13", "R14"}


# --- Speed ------------------------------------------------------------------------------------


def varied_text(n):
    sentences = [
        f"Op locatie {n} eten bewoners samen aan tafel.", "Familie is altijd welkom.",
        f"Elke week komen er {n + 3} vrijwilligers.", "We letten goed op de medicijnen.",
        "Teams bespreken elke maand wat beter kan.", f"In kwartaal {n % 4 + 1} kijken we wat het oplevert.",
        "Bewoners kiezen zelf wanneer ze opstaan.", "We gaan vaker naar buiten, ook in de winter.",
    ]
    return "\n\n".join(" ".join(sentences[i:] + sentences[:i]) for i in range(6))


def large_snapshot(*, complete=True):
    locations = [location(i, f"Locatie {i:02d}") for i in range(1, 41)]
    paragraphs = [
        paragraph(loc, *(action(100 * loc["id"] + j, owner="" if not complete and j % 2 else "Teamleider")
                         for j in range(10)), body=varied_text(loc["id"]))
        for loc in locations
    ]
    sections = default_sections()[:2] + [
        section(f"thema-{n}", title=f"Thema {n}", body=varied_text(100 + n)) for n in range(17)
    ] + [section("begroting", "text", title="Begroting", body=BUDGET + "\n\n" + varied_text(200)),
         default_sections()[-1]]
    return make_snapshot(locations=locations, paragraphs=paragraphs, sections=sections)


def _median_ms(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _clear_caches():
    checker.has_words.cache_clear()
    checker._readability.cache_clear()
    # The readability module's own caches too, if it has them (it is free to change them).
    for name in ("_syllables", "_word_syllables"):
        if hasattr(cached := getattr(readability, name, None), "cache_clear"):
            cached.cache_clear()


def test_a_plan_with_40_locations_and_400_actions_is_checked_quickly(capsys):
    snapshot = large_snapshot()
    assert sum(len(p["actions"]) for p in snapshot["improvement_paragraphs"]) == 400
    check(make_snapshot())  # warm up imports (textstat loads nltk on first use)

    _clear_caches()
    cold_plain = _median_ms(lambda: check(snapshot, NO_READABILITY), 1)
    warm_plain = _median_ms(lambda: check(snapshot, NO_READABILITY), 50)
    _clear_caches()
    cold_full = _median_ms(lambda: check(snapshot), 1)
    warm_full = _median_ms(lambda: check(snapshot), 50)
    fresh_copy = copy.deepcopy(snapshot)  # new string objects, as after json.loads of a version
    warm_fresh = _median_ms(lambda: check(fresh_copy), 1)
    draft = large_snapshot(complete=False)
    findings = check(draft)
    warm_draft = _median_ms(lambda: check(draft), 50)

    assert check(snapshot) == []
    assert codes(findings) == [("R12", "action-without-owner-or-quarter")] * 200
    with capsys.disabled():
        print(f"\ncompliance check, 40 locations / 400 actions / 19 texts: "
              f"without readability {cold_plain:.1f} ms cold, {warm_plain:.2f} ms warm; "
              f"with readability {cold_full:.1f} ms cold, {warm_full:.2f} ms warm, {warm_fresh:.2f} ms on a "
              f"fresh copy; draft with {len(findings)} findings {warm_draft:.2f} ms")


# --- What counts as written -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("", False), (" \n\t", False), ("# \n\n---\n\n- \n", False), ("1.\n2.", False),
    ("<!-- nog invullen\nstraks -->", False), ("![foto van de tuin](tuin.png)", False),
    ("[](https://example.nl)", False), ("[plan]: https://example.nl", False), ("<br>", False),
    ("Tekst", True), ("2027", True), ("  - Minder vallen", True), ("<b>Vet</b>", True),
    ("[Lees meer](https://example.nl)", True), ("```\nnotitie\n```", True), ("| a |\n|---|\n| b |", True),
])
def test_what_counts_as_written(text, expected):
    assert checker.has_words(text) is expected


# --- R28: a plain-language summary of each written text, before the councils are asked ---------


def test_r28_blocks_a_written_text_without_summary():
    snapshot = make_snapshot()
    # A version frozen before summaries existed has no "summary" key at all.
    del next(s for s in snapshot["sections"] if s["key"] == "veiligheid")["summary"]
    [finding] = check(snapshot)
    assert finding == Finding(
        "R28", "summary-missing", Severity.BLOCK,
        "Het onderdeel „Veiligheid” heeft nog geen korte samenvatting in gewone taal. Schrijf in een paar zinnen "
        "wat erin staat. De raden lezen die eerst; zonder samenvatting kunt u de raden niet om instemming vragen.",
        Target("section", key="veiligheid"),
    )
    # It stops the consent request and the adoption, not the peer review.
    assert blocking([finding], "consent") == [finding]
    assert blocking([finding], "adopted") == [finding]
    assert blocking([finding], "peer_review") == []


@pytest.mark.parametrize("summary", ["", "   ", "#", "<!-- later -->"])
def test_r28_counts_a_summary_without_words_as_missing(summary):
    snapshot = with_section(make_snapshot(), "eigen-thema", summary=summary)
    assert codes(check(snapshot)) == [("R28", "summary-missing")]


def test_r28_asks_nothing_of_an_empty_section():
    snapshot = with_section(make_snapshot(), "eigen-thema", body="", summary="")
    assert check(snapshot) == []


def test_r28_warns_about_a_summary_that_is_hard_to_read(fake_analyse):
    snapshot = with_section(make_snapshot(), "eigen-thema", summary="Een moeilijke samenvatting.")
    [finding] = check(snapshot)
    assert (finding.rule, finding.code, finding.severity) == ("R25", "summary-hard-to-read", Severity.WARN)
    assert "„Een eigen thema”" in finding.message
