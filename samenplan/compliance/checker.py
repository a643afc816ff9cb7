"""The compliance checker: a plan's snapshot in, findings out (DOMAIN §6, DESIGN "One compliance
checker").

`check(snapshot, context)` is a pure function. It reads the canonical snapshot that
`plans.snapshot.build_snapshot` makes (for a draft or a frozen version) and a `CheckContext` with
what surrounds the plan, and returns findings: blocking ones first, then in the order of the plan.
The plan page, the API and the state machine all call it, so a rule lives here and nowhere else.

Which rules apply comes from the plan's framework (its rule settings and its section flags), never
from a theme name or section key written in Python (rule 26).
"""

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from markdown_it import MarkdownIt

from samenplan.frameworks.models import FrameworkRules, FrameworkSection
from samenplan.plans.models import ImprovementAction, StaffingRow
from samenplan.plans.readability import analyse


class Severity(StrEnum):
    BLOCK = "block"  # a HARD rule: the state machine refuses the step
    WARN = "warn"


@dataclass(frozen=True)
class Target:
    """Where to fix a finding; `plans.selectors.finding_url` turns it into a URL."""

    # "section" | "profile" | "staffing" | "paragraph" | "action" | "versions" | "organisation" |
    # "consent" | "peer_review" | "top_points" | "comments"
    kind: str
    key: str = ""  # section key for "section" and "comments"; council id for "consent"
    location_id: int | None = None  # for "paragraph" and "action"; for "staffing" the row concerned
    action_id: int | None = None


@dataclass(frozen=True)
class Finding:
    rule: str  # DOMAIN §6 rule number, e.g. "R10"
    code: str  # finer stable id, e.g. "improvement-paragraph-missing"
    severity: Severity
    message: str  # plain Dutch (B1), translated when the check runs
    target: Target


@dataclass(frozen=True)
class CouncilFacts:
    id: int
    kind: str  # organisations.Council.Kind
    name: str
    location_id: int | None = None  # None: a central council


@dataclass(frozen=True)
class ConsentFacts:
    """The latest consent request to one council, and its decision if there is one."""

    council_id: int
    request_id: int
    request_sha256: str = ""  # the hash of the version the council was asked about
    decision: str = ""  # consent.ConsentDecision.Decision, "" while the council has not decided
    decision_sha256: str = ""  # the version hash the decision was given on
    substitute_consent: bool = False  # the LCvV gave substitute consent after a refusal
    open_conditions: int = 0
    stands_in_for_nursing_council: bool = False


@dataclass(frozen=True)
class ReviewFacts:
    """A submitted peer review of one of the plan's versions."""

    organisation_id: int
    organisation_name: str
    shares_network: bool  # the reviewing organisation is in a learning network with the plan's
    version_sha256: str
    version_number: int


@dataclass(frozen=True)
class TopPointFacts:
    id: int
    title: str
    action_ids: tuple[int, ...] = ()
    answered: bool = False


@dataclass(frozen=True)
class CheckContext:
    """What the checker needs besides the snapshot. Every field has a default, so a caller that
    knows nothing of a later rule keeps working. The rules about councils, reviews, consent and
    comments run only with `process=True` (consent.selectors.check_context_for builds that)."""

    # Rule 11 is skipped when there is no previous quality report to cite.
    previous_report_exists: bool = False
    check_readability: bool = True
    process: bool = False
    organisation_id: int | None = None
    content_sha256: str = ""  # the hash of the snapshot being checked
    latest_version_sha256: str = ""  # "" when no version was frozen yet
    councils: tuple[CouncilFacts, ...] = ()
    consent: tuple[ConsentFacts, ...] = ()
    peer_reviews: tuple[ReviewFacts, ...] = ()
    open_comments: tuple[tuple[str, int], ...] = ()  # (section key, number of unanswered comments)
    top_points: tuple[TopPointFacts, ...] = ()
    # Rule 17 runs only when a submission to the care office is checked (`submitting`), so a plan
    # that is not adopted yet is not told so on every other step. `adopted_sha256` is the hash of
    # the plan's newest adopted version ("" when none was adopted).
    submitting: bool = False
    plan_status: str = ""
    adopted_sha256: str = ""
    # Rule 26: "free" when the care office of the organisation's region accepts a free-form plan
    # for the plan's year (careoffice.CareOfficeYear); "framework" otherwise.
    plan_format: str = "framework"
    # Rule 22: the locations that had a signal or input of a council while the plan was drafted;
    # None when that is not known or the plan is past drafting (the rule is then skipped).
    locations_with_input: frozenset[int] | None = None
    # Rule 23: (action id, quarter) of the actions without an update over the last quarter that is
    # overdue; None when the plan is not being carried out (the rule is then skipped).
    missed_updates: tuple[tuple[int, str], ...] | None = None

    @property
    def free_form(self) -> bool:
        return self.plan_format == "free"


_BLOCK_FIRST = {Severity.BLOCK: 0, Severity.WARN: 1}
# A 40-hour week is 1.11 fte on a 36-hour basis; nobody works more than that. 1.12 leaves room
# for rounding to two decimals.
MAX_FTE_PER_PERSON = Decimal("1.12")
_FTE_PAIRS = [(f"level{n}_fte", f"level{n}_headcount", n) for n in StaffingRow.LEVELS] + [
    ("other_care_fte", "other_care_headcount", "other_care"),
    ("treatment_fte", "treatment_headcount", "treatment"),
]


# --- What counts as text ----------------------------------------------------------------------

# Raw HTML is recognised so that it can be left out: a comment or a lone tag is no policy text.
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# A line that starts with a letter is visible text, unless raw HTML (a comment) or a link
# reference definition hides it; texts with "<" or "[" are therefore parsed in full.
_PROSE_LINE = re.compile(r"^ {0,3}[^\W\d_]", re.MULTILINE)


@functools.lru_cache(maxsize=2048)
def has_words(markdown_text: str) -> bool:
    """Whether a reader sees at least one word: whitespace, "#", "---", an empty list, an image or
    an HTML comment on its own count as empty. Cached on the text: the checker runs on every plan
    page view and most texts are unchanged between views."""
    if not _LETTER_OR_DIGIT.search(markdown_text):
        return False  # the common empty case, without parsing
    if "<" not in markdown_text and "[" not in markdown_text and _PROSE_LINE.search(markdown_text):
        return True  # the common written case, without parsing
    for token in _MARKDOWN.parse(markdown_text):
        if token.type in ("fence", "code_block"):
            if _LETTER_OR_DIGIT.search(token.content):
                return True
        elif token.type == "inline":
            for child in token.children or ():
                # Images (alt text), link targets and raw HTML are not visible words.
                if child.type in ("text", "code_inline") and _LETTER_OR_DIGIT.search(child.content):
                    return True
    return False


@functools.lru_cache(maxsize=512)
def _readability(analyser: Callable, markdown_text: str) -> tuple[bool, float | None, float]:
    # Keyed on the analyser as well, so a test that swaps `analyse` never sees a cached answer.
    # Only the three numbers the rule uses are kept, not the sentences.
    result = analyser(markdown_text)
    return result.meets_target, result.score, result.average_sentence_length


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _decimal(value) -> Decimal:
    try:
        number = Decimal(value) if value not in (None, "") else Decimal(0)
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)
    return number if number.is_finite() else Decimal(0)


def _positive(value) -> bool:
    return _decimal(value) > 0


# --- The plan as the rules read it ------------------------------------------------------------

_END = 10**6  # place for findings whose part the plan does not have


class _Plan:
    """The snapshot, indexed once per check."""

    def __init__(self, snapshot: dict):
        plan = snapshot.get("plan") or {}
        self.year = plan.get("year")
        self.rules = FrameworkRules.from_json((plan.get("framework") or {}).get("rules") or {})
        self.sections = snapshot.get("sections") or []
        self.section_position = {}
        self.kind_position = {}
        for position, section in enumerate(self.sections):
            self.section_position.setdefault(section.get("key"), position)
            self.kind_position.setdefault(section.get("kind"), position)
        self.profile = snapshot.get("organisation_profile") or {}
        self.staffing = snapshot.get("staffing") or {}
        self.locations = sorted(snapshot.get("locations") or [],
                                key=lambda loc: self.location_order(loc["id"], loc.get("name")))
        self.location_names = {loc["id"]: loc.get("name") or "" for loc in self.locations}
        self.paragraphs = snapshot.get("improvement_paragraphs") or []
        for paragraph in self.paragraphs:
            self.location_names.setdefault(paragraph.get("location_id"), paragraph.get("location") or "")

    @property
    def active_locations(self) -> list[dict]:
        return [loc for loc in self.locations if loc.get("is_active")]

    def location_name(self, location_id) -> str:
        return self.location_names.get(location_id) or ""

    @staticmethod
    def location_order(location_id, name) -> tuple:
        # Findings without a location (the organisation as a whole) come before those with one.
        if location_id is None:
            return (0,)
        name = name or ""
        return (1, name.casefold(), name, location_id)

    def place_of_section(self, key: str) -> tuple:
        return (self.section_position.get(key, _END), ())

    def place_of_kind(self, kind: str, location_id=None, item: int = 0) -> tuple:
        location = () if location_id is None and item == 0 else self.location_order(
            location_id, self.location_name(location_id))
        return (self.kind_position.get(kind, _END), location, item)


_Placed = tuple[tuple, Finding]  # (place in the plan, finding)


# --- Rules 10–12: an improvement paragraph per location ---------------------------------------


def _paragraph_counts(paragraph: dict | None) -> bool:
    return paragraph is not None and (has_words(_text(paragraph.get("body"))) or bool(paragraph.get("actions")))


def _filled(value) -> bool:
    return bool(_text(value).strip())


def _improvement_paragraphs(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    kind = FrameworkSection.Kind.IMPROVEMENT_PARAGRAPHS
    by_location = {p.get("location_id"): p for p in plan.paragraphs}

    if plan.rules.improvement_paragraph_per_location:
        # KK: every location registered with the KvK; a closed location plans nothing.
        for location in plan.active_locations:
            if not _paragraph_counts(by_location.get(location["id"])):
                yield plan.place_of_kind(kind, location["id"]), Finding(
                    "R10", "improvement-paragraph-missing", Severity.BLOCK,
                    _("Locatie %(location)s heeft nog geen verbeterparagraaf. Schrijf wat deze locatie in "
                      "%(year)s gaat verbeteren.") % {"location": location.get("name"), "year": plan.year},
                    Target("paragraph", location_id=location["id"]),
                )

    # An empty paragraph is judged as no paragraph: rule 10 reports it where it is needed.
    for paragraph in filter(_paragraph_counts, plan.paragraphs):
        location_id = paragraph.get("location_id")
        names = {"location": plan.location_name(location_id)}
        actions = paragraph.get("actions") or []
        target = Target("paragraph", location_id=location_id)
        place = plan.place_of_kind(kind, location_id)

        if context.previous_report_exists and not any(
            a.get("source") == ImprovementAction.Source.REPORT_FINDING for a in actions
        ):
            yield place, Finding(
                "R11", "paragraph-without-report-finding", Severity.WARN,
                _("De verbeterparagraaf van locatie %(location)s noemt nog geen bevinding uit het "
                  "kwaliteitsverslag van vorig jaar. Voeg een actie toe met als bron „Bevinding uit het "
                  "kwaliteitsverslag”.") % names,
                target,
            )

        if not any(_filled(a.get("owner")) and _filled(a.get("due_quarter")) for a in actions):
            yield place, Finding(
                "R12", "paragraph-without-action-with-owner-and-quarter", Severity.WARN,
                _("De verbeterparagraaf van locatie %(location)s heeft nog geen actie met een trekker en "
                  "een kwartaal. Schrijf bij minstens één actie wie die trekt en wanneer die klaar is.") % names,
                target,
            )

        for index, action in enumerate(actions, start=1):
            if finding := _action_without_owner_or_quarter(plan, location_id, action):
                yield plan.place_of_kind(kind, location_id, index), finding


def _action_without_owner_or_quarter(plan: _Plan, location_id, action: dict) -> Finding | None:
    has_owner, has_quarter = _filled(action.get("owner")), _filled(action.get("due_quarter"))
    if has_owner and has_quarter:
        return None
    names = {
        "action": _text(action.get("title")).strip() or _("zonder naam"),
        "location": plan.location_name(location_id),
        "example": f"{plan.year}-Q2",
    }
    if not has_owner and not has_quarter:
        message = _("Actie „%(action)s” van locatie %(location)s heeft nog geen trekker en geen kwartaal. "
                    "Schrijf op wie zorgt dat het gebeurt en wanneer de actie klaar is, bijvoorbeeld "
                    "%(example)s.") % names
    elif not has_owner:
        message = _("Actie „%(action)s” van locatie %(location)s heeft nog geen trekker. Schrijf op wie "
                    "zorgt dat het gebeurt.") % names
    else:
        message = _("Actie „%(action)s” van locatie %(location)s heeft nog geen kwartaal. Schrijf op "
                    "wanneer de actie klaar is, bijvoorbeeld %(example)s.") % names
    return Finding("R12", "action-without-owner-or-quarter", Severity.WARN, message,
                   Target("action", location_id=location_id, action_id=action.get("id")))


# --- Rule 13: the organisation profile --------------------------------------------------------


def _content_severity(context: CheckContext) -> Severity:
    # Rule 26: a care office that accepts a free form does not require the framework's profile and
    # staffing tables, but the care office still wants to know they are missing: a warning.
    return Severity.WARN if context.free_form else Severity.BLOCK


def _organisation_profile(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    if not plan.rules.organisation_profile_required:
        return
    severity = _content_severity(context)
    place = plan.place_of_kind(FrameworkSection.Kind.ORGANISATION_PROFILE)
    target = Target("profile")
    profile = plan.profile
    if not any(profile.get("target_groups") or ()):
        yield place, Finding(
            "R13", "profile-target-groups-missing", severity,
            _("Het profiel van de organisatie noemt nog geen doelgroep. Kies voor wie u zorgt, bijvoorbeeld "
              "mensen met dementie."),
            target,
        )
    intensity = profile.get("care_intensity") or {}
    if not (isinstance(intensity, dict) and any(_positive(residents) for residents in intensity.values())):
        yield place, Finding(
            "R13", "profile-care-intensity-missing", severity,
            _("Bij het profiel van de organisatie staat nog niet hoeveel zorg de bewoners nodig hebben. Vul "
              "per zorgprofiel in hoeveel bewoners dat profiel hebben."),
            target,
        )
    if not any(profile.get("care_types") or ()):
        yield place, Finding(
            "R13", "profile-care-types-missing", severity,
            _("Het profiel van de organisatie noemt nog geen soort zorg. Kies welke zorg u geeft, "
              "bijvoorbeeld wonen met behandeling."),
            target,
        )


# --- Rule 14: staffing ------------------------------------------------------------------------


def _staffing(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    if not plan.rules.staffing_profile_required:
        return
    severity = _content_severity(context)
    kind = FrameworkSection.Kind.STAFFING
    rows = plan.staffing.get("rows") or []
    totals = plan.staffing.get("totals") or {}
    has_size = _positive(totals.get("care_fte"))
    has_levels = any(_positive(totals.get(f"level{n}_headcount")) for n in StaffingRow.LEVELS)
    place = plan.place_of_kind(kind)

    if not has_size and not has_levels:
        yield place, Finding(
            "R14", "staffing-missing", severity,
            _("De personeelssamenstelling is nog niet ingevuld. Vul per locatie in hoeveel mensen er werken, "
              "op welk niveau, en hoeveel fte dat is."),
            Target("staffing"),
        )
        if not rows:
            return  # one finding says it all; a warning per location would only repeat it
    elif not has_size:
        yield place, Finding(
            "R14", "staffing-size-missing", severity,
            _("Bij de personeelssamenstelling staat nog niet hoeveel fte er werkt. Vul per niveau het "
              "aantal fte in, op basis van 36 uur per week."),
            Target("staffing"),
        )
    elif not has_levels:
        yield place, Finding(
            "R14", "staffing-levels-missing", severity,
            _("Bij de personeelssamenstelling staat nog niet hoeveel mensen er per niveau werken. Vul per "
              "niveau (1 tot en met 5) het aantal medewerkers in."),
            Target("staffing"),
        )

    for row in rows:
        if finding := _more_fte_than_people(plan, row):
            yield plan.place_of_kind(kind, row.get("location_id"), 1), finding

    with_row = {row.get("location_id") for row in rows}
    for location in plan.active_locations:
        if location["id"] not in with_row:
            yield plan.place_of_kind(kind, location["id"], 2), Finding(
                "R14", "staffing-location-missing", Severity.WARN,
                _("Bij de personeelssamenstelling staat nog niets voor locatie %(location)s. Vul in hoeveel "
                  "mensen daar werken.") % {"location": location.get("name")},
                Target("staffing", location_id=location["id"]),
            )


def _level_label(level) -> str:
    if level == "other_care":
        return _("overig zorgpersoneel")
    if level == "treatment":
        return _("behandelaars")
    return _("niveau %(level)s") % {"level": level}


def _more_fte_than_people(plan: _Plan, row: dict) -> Finding | None:
    too_many = []
    for fte_field, headcount_field, level in _FTE_PAIRS:
        fte, people = _decimal(row.get(fte_field)), _decimal(row.get(headcount_field))
        if fte > people * MAX_FTE_PER_PERSON:
            too_many.append(_("%(level)s: %(fte)s fte bij %(people)s mensen") % {
                "level": _level_label(level), "fte": number_format(fte, 2), "people": int(people)})
    if not too_many:
        return None
    location_id = row.get("location_id")
    names = {"levels": "; ".join(too_many), "location": plan.location_name(location_id) or row.get("location")}
    if location_id is None:
        message = _("Bij de personeelssamenstelling van de hele organisatie is het aantal fte hoger dan kan "
                    "bij het aantal mensen (%(levels)s). Eén persoon werkt hooguit 1,11 fte (40 uur per week). "
                    "Kijk de cijfers na.") % names
    else:
        message = _("Bij de personeelssamenstelling van locatie %(location)s is het aantal fte hoger dan kan "
                    "bij het aantal mensen (%(levels)s). Eén persoon werkt hooguit 1,11 fte (40 uur per week). "
                    "Kijk de cijfers na.") % names
    return Finding("R14", "staffing-fte-exceeds-headcount", Severity.WARN, message,
                   Target("staffing", location_id=location_id))


# --- Rules 15, 16 and 25: the texts of the plan -----------------------------------------------


def _sections(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    budget_key = plan.rules.budget_link_section
    year_mention = re.compile(rf"(?<!\d){plan.year}(?!\d)")
    for section in plan.sections:
        key, title = section.get("key") or "", section.get("title") or ""
        is_text = section.get("kind") in FrameworkSection.TEXT_KINDS
        body = _text(section.get("body")) if is_text else ""
        filled = has_words(body)
        place, target, names = plan.place_of_section(key), Target("section", key=key), {"section": title}

        # Rule 15: the framework marks which themes and texts are required.
        empty_and_required = section.get("required") and is_text and not filled
        if empty_and_required and context.free_form:
            # Rule 26: a free-form plan need not follow the framework's themes, so an empty theme
            # says nothing; another required text (the budget link, say) is still worth a warning.
            if section.get("kind") != FrameworkSection.Kind.THEME:
                yield place, Finding(
                    "R15", "section-empty", Severity.WARN,
                    _("Het onderdeel „%(section)s” is nog leeg. Het zorgkantoor accepteert een plan in vrije "
                      "vorm, maar leest hier graag wat u doet en wat u wilt verbeteren.") % names,
                    target,
                )
        elif empty_and_required:
            if section.get("kind") == FrameworkSection.Kind.THEME:
                # KK asks policy and measures per theme: what is done and what will improve.
                message = _("Het onderdeel „%(section)s” is verplicht, maar nog leeg. Schrijf wat u doet en "
                            "wat u wilt verbeteren.") % names
            else:
                message = _("Het onderdeel „%(section)s” is verplicht, maar nog leeg. Bij het onderdeel staat "
                            "uitgelegd wat erin hoort.") % names
            yield place, Finding("R15", "section-empty", Severity.BLOCK, message, target)

        # Rule 16: the framework names the section that links the plan to budget and year plan.
        if budget_key and key == budget_key and not empty_and_required:
            names["year"] = plan.year
            if not filled:
                yield place, Finding(
                    "R16", "budget-link-missing", Severity.WARN,
                    _("Het onderdeel „%(section)s” is nog leeg. Schrijf hoe dit plan past bij de begroting "
                      "en het jaarplan van %(year)s.") % names,
                    target,
                )
            elif not year_mention.search(body):
                yield place, Finding(
                    "R16", "budget-link-year-missing", Severity.WARN,
                    _("In het onderdeel „%(section)s” staat het jaar %(year)s nog niet. Schrijf bij welke "
                      "begroting en welk jaarplan van %(year)s dit plan hoort.") % names,
                    target,
                )

        # Rule 28: the councils read the plan first through the author's summary in plain language,
        # so a council is not asked to consent to a text it only gets in policy language.
        if is_text and filled:
            summary = _text(section.get("summary"))
            if not has_words(summary):
                yield place, Finding(
                    "R28", "summary-missing", Severity.BLOCK,
                    _("Het onderdeel „%(section)s” heeft nog geen korte samenvatting in gewone taal. Schrijf in "
                      "een paar zinnen wat erin staat. De raden lezen die eerst; zonder samenvatting kunt u de "
                      "raden niet om instemming vragen.") % names,
                    target,
                )
            elif context.check_readability and not _readability(analyse, summary)[0]:
                yield place, Finding(
                    "R25", "summary-hard-to-read", Severity.WARN,
                    _("De samenvatting van „%(section)s” is nog moeilijk te lezen. Schrijf korte zinnen met "
                      "gewone woorden (taalniveau B1).") % names,
                    target,
                )

        # Rule 25: B1 is the target for every text, required or not.
        if context.check_readability and filled:
            meets_target, score, sentence_length = _readability(analyse, body)
            if not meets_target:
                names.update(score="–" if score is None else round(score), length=round(sentence_length))
                yield place, Finding(
                    "R25", "section-hard-to-read", Severity.WARN,
                    _("Het onderdeel „%(section)s” is nog moeilijk te lezen (leesscore %(score)s, gemiddeld "
                      "%(length)s woorden per zin). Maak de zinnen korter en kies gewone woorden, zodat "
                      "iedereen het kan lezen (taalniveau B1).") % names,
                    target,
                )


# --- Rules 1–9, 21 and 27: what surrounds the plan ----------------------------------------------

UNFROZEN = "unfrozen-changes"


def _process_place(item: int, sub: int = 0) -> tuple:
    return (_END, (item,), sub)


def _unfrozen_changes(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    # Rule 4: councils, peers and the board decide on a frozen version, never on a moving draft.
    if not context.latest_version_sha256:
        yield _process_place(0), Finding(
            "R4", UNFROZEN, Severity.BLOCK,
            _("Er is nog geen versie vastgelegd. Leg een versie vast voordat u het plan voorlegt."),
            Target("versions"),
        )
    elif context.content_sha256 and context.content_sha256 != context.latest_version_sha256:
        yield _process_place(0), Finding(
            "R4", UNFROZEN, Severity.BLOCK,
            _("Het plan is veranderd sinds de laatste versie. Leg een nieuwe versie vast, zodat iedereen "
              "over dezelfde tekst beslist."),
            Target("versions"),
        )


def required_councils(councils: Iterable[CouncilFacts], rules: FrameworkRules) -> tuple[list[CouncilFacts], list[str]]:
    """Which councils must consent (DOMAIN rule 2), and which required kinds have no council at all.

    Per kind the central council is asked where one exists, otherwise every local one. Without a
    nursing council the works council stands in when the framework says so (KK footnote).
    """
    by_kind: dict[str, list[CouncilFacts]] = {}
    for council in councils:
        by_kind.setdefault(council.kind, []).append(council)
    required, missing = [], []
    for kind in rules.consenting_councils:
        candidates = by_kind.get(kind) or []
        if not candidates and kind == "nursing_council" and rules.works_council_replaces_nursing_council:
            candidates = by_kind.get("works_council") or []
        if not candidates:
            missing.append(kind)
            continue
        central = [c for c in candidates if c.location_id is None]
        required.extend(central or candidates)
    return required, missing


def _consent(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    required, missing = required_councils(context.councils, plan.rules)
    for index, kind in enumerate(missing):
        message = {
            "client_council": _("Uw organisatie heeft nog geen cliëntenraad in Samenplan. De cliëntenraad moet "
                                "instemmen met het plan. Voeg de raad toe bij uw organisatie."),
            "nursing_council": _("Uw organisatie heeft geen VAR/PAR en geen ondernemingsraad in Samenplan. Een van "
                                 "beide moet instemmen met het plan. Voeg de raad toe bij uw organisatie."),
        }.get(kind, _("Een raad die moet instemmen ontbreekt nog bij uw organisatie."))
        yield _process_place(1, index), Finding("R2", "council-missing", Severity.BLOCK, message,
                                                Target("organisation"))
    latest = {facts.council_id: facts for facts in context.consent}
    for index, council in enumerate(required, start=len(missing)):
        place, target = _process_place(1, index), Target("consent", key=str(council.id))
        names = {"council": council.name}
        facts = latest.get(council.id)
        if facts is None:
            yield place, Finding("R1", "consent-not-requested", Severity.BLOCK,
                                 _("%(council)s is nog niet om instemming gevraagd.") % names, target)
            continue
        if facts.stands_in_for_nursing_council:
            yield place, Finding(
                "R3", "works-council-stands-in", Severity.WARN,
                _("%(council)s beslist in plaats van een VAR/PAR. Vraag de raad te kijken naar de inhoud van de "
                  "zorg, niet naar arbeidsvoorwaarden.") % names, target)
        if not facts.decision and facts.request_sha256 and context.content_sha256 \
                and facts.request_sha256 != context.content_sha256:
            yield place, Finding("R1", "consent-not-requested", Severity.BLOCK,
                                 _("%(council)s is nog niet om instemming gevraagd voor de nieuwste tekst van het "
                                   "plan.") % names, target)
        elif not facts.decision:
            yield place, Finding("R1", "consent-pending", Severity.BLOCK,
                                 _("%(council)s heeft nog geen besluit genomen.") % names, target)
        elif context.content_sha256 and facts.decision_sha256 != context.content_sha256:
            yield place, Finding(
                "R4", "consent-stale", Severity.BLOCK,
                _("Het besluit van %(council)s gaat over een eerdere tekst van het plan. Vraag de raad om "
                  "instemming met de nieuwe versie.") % names, target)
        elif facts.decision == "refused" and not facts.substitute_consent:
            yield place, Finding(
                "R5", "consent-refused", Severity.BLOCK,
                _("%(council)s heeft niet ingestemd. Pas het plan aan en vraag opnieuw om instemming, of leg de "
                  "uitspraak van de Landelijke Commissie van Vertrouwenslieden vast.") % names, target)
        elif facts.open_conditions:
            yield place, Finding(
                "R7", "conditions-open", Severity.WARN,
                ngettext("%(council)s stemde in met een voorwaarde die nog open staat. Koppel die aan een "
                         "verbeteractie of geef een schriftelijk antwoord.",
                         "%(council)s stemde in met %(count)s voorwaarden die nog open staan. Koppel ze aan een "
                         "verbeteractie of geef een schriftelijk antwoord.", facts.open_conditions)
                % {**names, "count": facts.open_conditions}, target)


def _peer_reviews(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    # KK: peer feedback must come from other organisations in the learning network, so our own
    # reviews do not count, and two reviews from one organisation count as one.
    counted = {r.organisation_id for r in context.peer_reviews
               if r.shares_network and r.organisation_id != context.organisation_id}
    needed = max(plan.rules.min_peer_reviews, plan.rules.min_peer_organisations)
    if len(counted) < needed:
        yield _process_place(2), Finding(
            "R8", "peer-reviews-missing", Severity.BLOCK,
            _("Het plan heeft feedback nodig van minstens %(needed)s collega-organisaties uit uw lerend netwerk. "
              "Er is nu feedback van %(count)s.") % {"needed": needed, "count": len(counted)},
            Target("peer_review"),
        )
    for index, review in enumerate(sorted(context.peer_reviews, key=lambda r: (r.organisation_name, r.version_number))):
        if context.content_sha256 and review.version_sha256 != context.content_sha256:
            yield _process_place(2, index + 1), Finding(
                "R9", "peer-review-outdated", Severity.WARN,
                _("De feedback van %(organisation)s ging over versie %(number)s. Het plan is daarna veranderd; "
                  "kijk of de feedback nog klopt.") % {"organisation": review.organisation_name,
                                                       "number": review.version_number},
                Target("peer_review"),
            )


SUBMISSION_RULE = "R17"


def _submission(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    # Rule 17: only the adopted version goes to the care office, with exactly the adopted hash.
    if not context.submitting:
        return
    place, target = _process_place(4), Target("versions")
    if not context.adopted_sha256:
        message = _("Het plan is nog niet vastgesteld. Alleen een vastgesteld plan kan naar het zorgkantoor.")
        code = "not-adopted"
    elif context.plan_status == "submitted":
        message = _("Het plan is al ingediend bij het zorgkantoor.")
        code = "already-submitted"
    elif context.plan_status != "adopted":
        message = _("Het plan wordt herzien. Stel de nieuwe versie eerst vast; dan kunt u die indienen.")
        code = "not-adopted"
    elif context.latest_version_sha256 != context.adopted_sha256 or (
            context.content_sha256 and context.content_sha256 != context.adopted_sha256):
        message = _("De tekst van het plan is niet meer gelijk aan de vastgestelde versie. Alleen de vastgestelde "
                    "tekst kan naar het zorgkantoor.")
        code = "hash-differs-from-adopted"
    else:
        return
    yield place, Finding(SUBMISSION_RULE, code, Severity.BLOCK, message, target)


def _locations_without_input(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    # Rule 22: every location's residents, relatives and staff are heard, not only the largest's.
    if context.locations_with_input is None:
        return
    for location in plan.active_locations:
        if location["id"] in context.locations_with_input:
            continue
        yield plan.place_of_kind(FrameworkSection.Kind.IMPROVEMENT_PARAGRAPHS, location["id"]), Finding(
            "R22", "location-without-input", Severity.WARN,
            _("Over %(location)s is nog geen signaal van bewoners, naasten of medewerkers binnengekomen, en ook "
              "geen inbreng van een raad. Vraag hen wat er goed gaat en wat beter kan, bijvoorbeeld met de poster "
              "met de QR-code van de locatie.") % {"location": location.get("name") or ""},
            Target("paragraph", location_id=location["id"]),
        )


def _missed_updates(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    # Rule 23: a plan is followed through the year, so every action tells each quarter how it goes.
    missed = dict(context.missed_updates or ())
    if not missed:
        return
    for paragraph in plan.paragraphs:
        location_id = paragraph.get("location_id")
        for index, action in enumerate(paragraph.get("actions") or (), start=1):
            quarter = missed.get(action.get("id"))
            if quarter is None:
                continue
            yield plan.place_of_kind(FrameworkSection.Kind.IMPROVEMENT_PARAGRAPHS, location_id, index), Finding(
                "R23", "action-without-update", Severity.WARN,
                _("Bij de actie „%(action)s” staat nog niet hoe het ging in %(quarter)s. Vraag de trekker om het "
                  "op te schrijven.") % {"action": action.get("title") or "", "quarter": quarter},
                Target("action", location_id=location_id, action_id=action.get("id")),
            )


def _top_points(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    action_ids = {a.get("id") for p in plan.paragraphs for a in p.get("actions") or ()}
    for index, point in enumerate(context.top_points):
        if point.answered or action_ids.intersection(point.action_ids):
            continue
        yield _process_place(3, index), Finding(
            "R21", "top-point-not-covered", Severity.WARN,
            _("Het verbeterpunt „%(point)s” uit de top 3 van de cliëntenraad staat nog bij geen enkele actie. "
              "Koppel er een actie aan of geef een schriftelijk antwoord.") % {"point": point.title},
            Target("top_points"),
        )


def _open_comments(plan: _Plan, context: CheckContext) -> Iterator[_Placed]:
    titles = {s.get("key"): s.get("title") or "" for s in plan.sections}
    for key, count in sorted(context.open_comments, key=lambda item: plan.place_of_section(item[0])):
        if not count:
            continue
        # A comment on no section of the plan is about the plan as a whole.
        names = {"section": titles.get(key) or _("het hele plan"), "count": count}
        yield plan.place_of_section(key), Finding(
            "R27", "comments-open", Severity.WARN,
            ngettext("Bij „%(section)s” staat een reactie die nog geen antwoord heeft.",
                     "Bij „%(section)s” staan %(count)s reacties die nog geen antwoord hebben.", count) % names,
            Target("comments", key=key),
        )


# --- The checker ------------------------------------------------------------------------------

# Each rule reads the plan and the context and yields findings with their place in the plan.
_CONTENT_RULES: tuple[Callable[[_Plan, CheckContext], Iterable[_Placed]], ...] = (
    _organisation_profile,  # R13
    _staffing,  # R14
    _sections,  # R15, R16, R25
    _improvement_paragraphs,  # R10, R11, R12
)
_PROCESS_RULES: tuple[Callable[[_Plan, CheckContext], Iterable[_Placed]], ...] = (
    _unfrozen_changes,  # R4
    _consent,  # R1, R2, R3, R4, R5, R7
    _peer_reviews,  # R8, R9
    _top_points,  # R21
    _locations_without_input,  # R22
    _missed_updates,  # R23
    _open_comments,  # R27
    _submission,  # R17
)
# Content rules whose blocking findings already stop a consent request: a council should not be
# asked to consent to a version that could never be adopted unchanged.
CONTENT_RULES = frozenset({"R10", "R13", "R14", "R15", "R28"})


def check(snapshot: dict, context: CheckContext = CheckContext()) -> list[Finding]:
    """All findings for a plan: blocking first, then in the order of the plan (its sections, and
    within the improvement paragraphs and staffing, its locations by name)."""
    plan = _Plan(snapshot)
    rules = (*_CONTENT_RULES, *_PROCESS_RULES) if context.process else _CONTENT_RULES
    placed = [item for rule in rules for item in rule(plan, context)]
    # sorted() is stable: findings at the same place keep the order their rule gave them.
    placed.sort(key=lambda item: (_BLOCK_FIRST[item[1].severity], item[0]))
    return [finding for _place, finding in placed]


def blocking(findings: Iterable[Finding], stage: str = "adopted") -> list[Finding]:
    """The findings that stop the plan from reaching `stage` (a QualityPlan.Status value).

    Adoption needs every blocking finding gone. Asking consent needs a frozen, complete version.
    Asking peers for feedback only needs a frozen version: peers may well see an unfinished plan.
    Going back to draft needs nothing: that is how an author fixes what blocks the other steps.
    Submitting to the care office needs every blocking finding gone, rule 17's included.
    """
    if stage == "draft":
        return []
    found = [finding for finding in findings if finding.severity == Severity.BLOCK]
    if stage == "submitted":
        # Submitting needs everything adoption needed, and rule 17 on top.
        return found
    found = [f for f in found if f.rule != SUBMISSION_RULE]
    if stage == "consent":
        return [f for f in found if f.rule in CONTENT_RULES or f.code == UNFROZEN]
    if stage == "peer_review":
        return [f for f in found if f.code == UNFROZEN]
    return found
