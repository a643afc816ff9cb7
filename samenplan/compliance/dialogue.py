"""Rule 19 (WARN, KK): a dialogue session with the care office lists participants from the board,
the client council and the VAR/PAR (or the works council standing in for a missing VAR/PAR).

A pure function like the checker: facts in, findings out. The session page, the API and the
service that records a session as held all ask it, so the rule lives here only.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from samenplan.frameworks.models import FrameworkRules

from .checker import CouncilFacts, Finding, Severity, Target, required_councils

RULE = "R19"
# The three parties of the dialogue, in the order the page names them.
BOARD, CLIENT_COUNCIL, NURSING_COUNCIL = "board", "client_council", "nursing_council"
PARTIES = (BOARD, CLIENT_COUNCIL, NURSING_COUNCIL)
# KK names the board AND the client council AND the VAR/PAR/OR for the dialogue, whatever a
# framework says about consent, so the default settings decide who is required here.
_DIALOGUE_RULES = FrameworkRules()


@dataclass(frozen=True)
class DialogueFacts:
    board_invited: bool
    invited_council_ids: frozenset[int]
    councils: tuple[CouncilFacts, ...]  # every council of the organisation


def required_parties(councils: Iterable[CouncilFacts]) -> dict[str, list[CouncilFacts]]:
    """Per council party, the councils that count for it (the central one where it exists; the
    works council for the VAR/PAR where there is none). An empty list: the organisation has none."""
    required, _missing = required_councils(councils, _DIALOGUE_RULES)
    parties = {CLIENT_COUNCIL: [], NURSING_COUNCIL: []}
    for council in required:
        party = CLIENT_COUNCIL if council.kind == CLIENT_COUNCIL else NURSING_COUNCIL
        parties[party].append(council)
    return parties


def _message(party: str, has_council: bool) -> str:
    if party == BOARD:
        return _("De Raad van Bestuur is nog niet uitgenodigd voor de dialoogsessie.")
    if party == CLIENT_COUNCIL:
        if not has_council:
            return _("De organisatie heeft geen cliëntenraad in Samenplan. Schrijf op wie namens de cliënten "
                     "meepraat.")
        return _("De cliëntenraad is nog niet uitgenodigd voor de dialoogsessie.")
    if not has_council:
        return _("De organisatie heeft geen VAR/PAR en geen ondernemingsraad in Samenplan. Schrijf op wie namens "
                 "de zorgmedewerkers meepraat.")
    return _("De VAR/PAR (of de ondernemingsraad die de VAR/PAR vervangt) is nog niet uitgenodigd voor de "
             "dialoogsessie.")


def missing_parties(facts: DialogueFacts) -> list[str]:
    """The parties of the three that are not invited, in the order of PARTIES."""
    missing = [] if facts.board_invited else [BOARD]
    for party, councils in required_parties(facts.councils).items():
        if not any(c.id in facts.invited_council_ids for c in councils):
            missing.append(party)
    return missing


def check_dialogue(facts: DialogueFacts) -> list[Finding]:
    """One WARN finding per party of the three that is not invited."""
    parties = required_parties(facts.councils)
    return [Finding(RULE, f"dialogue-{party.replace('_', '-')}-not-invited", Severity.WARN,
                    _message(party, bool(parties.get(party, True))), Target("dialogue", key=party))
            for party in missing_parties(facts)]
