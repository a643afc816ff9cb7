"""The persona sets and the Case record of the permission matrix (see matrix.py).

Each app adds its cases in `samenplan/<app>/tests/matrix_cases.py` as a list named CASES;
matrix.py gathers them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .world import PERSONAS, World

EVERYONE = frozenset(PERSONAS)
ORG_STAFF = frozenset({"board", "quality", "platform_admin"})
ORG_INSIDERS = frozenset({"board", "quality", "location_manager", "council_member", "council_secretary",
                          "works_council_member", "platform_admin"})
ORG_VIEWERS = ORG_INSIDERS | {"care_office"}
NETWORK = ORG_INSIDERS | {"peer_reviewer", "uninvited_peer"}
PLAN_EDITORS = frozenset({"board", "quality"})
PLAN_READERS = PLAN_EDITORS | {"location_manager", "platform_admin"}
COUNCILS = frozenset({"council_member", "council_secretary", "works_council_member"})
# The world's versions are shared with every council, and the peer organisation is invited to review
# `version` (the second); the other network peer is not invited.
VERSION_READERS = PLAN_READERS | COUNCILS | {"peer_reviewer"}


@dataclass(frozen=True)
class Case:
    route: str
    url: Callable[[World], str]
    allowed: frozenset
    method: str = "get"
    data: Callable[[World], dict] | None = None
    api: bool = False
    allowed_status: frozenset = frozenset()  # when an allowed request answers other than 200/201/302

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.route}"


