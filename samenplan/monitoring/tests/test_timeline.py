"""Progress and the quality report read as sentences in the plan's timeline."""

import pytest

from samenplan.audit import timeline
from samenplan.audit.models import AuditEvent

Kind = AuditEvent.Kind


@pytest.mark.parametrize(("kind", "data", "sentence"), [
    (Kind.PROGRESS_RECORDED, {"action": "Elke dag naar buiten", "quarter": "2027-Q2", "status": "delayed"},
     "Sanne Jansen legde de voortgang van „Elke dag naar buiten” over 2027-Q2 vast: vertraagd."),
    (Kind.PROGRESS_RECORDED, {"action": "Elke dag naar buiten", "quarter": "2027-Q2", "status": "done",
                              "corrected": True},
     "Sanne Jansen verbeterde de voortgang van „Elke dag naar buiten” over 2027-Q2: klaar."),
    (Kind.REPORT_COMMENTED, {"kind": "quarterly", "quarter": "2027-Q3", "council": "Centrale cliëntenraad"},
     "Centrale cliëntenraad reageerde op de kwartaalrapportage 2027-Q3."),
    (Kind.REPORT_ADOPTED, {"year": 2027}, "Sanne Jansen stelde het kwaliteitsverslag 2027 vast."),
    (Kind.YOU_SAID_PUBLISHED, {"year": 2027, "location": "De Linde"},
     "Sanne Jansen maakte „U zei, wij deden” 2027 van De Linde openbaar."),
])
def test_each_event_of_the_year_reads_as_a_sentence(kind, data, sentence):
    event = AuditEvent(kind=kind, actor_name="Sanne Jansen", data=data)
    assert timeline.describe(event) == sentence
