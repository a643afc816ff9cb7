"""The demo's consent round and an inventory of the database, for the backup test's child processes.

`test_backup.py` runs these through `manage.py shell -c` against a database of its own, so they
go through the same settings and services as the commands an operator runs.
"""

import hashlib
import io
import json

from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from samenplan.accounts.models import User
from samenplan.audit.models import AuditEvent
from samenplan.consent import services as consent
from samenplan.consent.models import Adoption, ConsentDecision
from samenplan.organisations.models import Organisation
from samenplan.participation import services as participation
from samenplan.participation.models import Comment
from samenplan.plans import services as plans
from samenplan.plans.models import PlanVersion, QualityPlan, VersionPdf


def _sha(text) -> str:
    return hashlib.sha256(text if isinstance(text, bytes) else str(text).encode()).hexdigest()


@transaction.atomic
def consent_round() -> None:
    """This year's demo plan of De Linde from its second version to adoption, through the real services."""
    plan = QualityPlan.objects.filter(organisation__name="Zorggroep De Linde").order_by("-year").first()
    author = User.objects.get(username="kwaliteit")
    version = plans.freeze_version(plan=plan, by=author, note="Compleet, voor instemming")
    participation.invite_peers(version=version, by=author, organisations=list(
        Organisation.objects.filter(name__in=["Stichting Het Anker", "Woonzorg Vijverhof"])))
    for reviewer in ("kwaliteit-anker", "collega"):
        participation.save_peer_review(version=version, by=User.objects.get(username=reviewer), section_feedback={},
                                       summary="Helder plan, goed te lezen.", submit=True)
    first = Comment.objects.get(plan=plan)
    participation.answer_comment(comment=first, by=author, outcome=Comment.Outcome.PROCESSED,
                                 answer="Bewoners gaan nu elke dag naar buiten.", change_version=version)
    requests = consent.request_consent(plan=plan, by=author)
    participation.add_comment(version=version, by=User.objects.get(username="var"), section_key="personeel-beleid",
                              body="Goed dat nieuwe collega's een maatje krijgen.")
    secretaries = {"Centrale cliëntenraad De Linde": "secretaris", "VAR De Linde": "var"}
    for request in requests:
        secretary = User.objects.get(username=secretaries[request.council.name])
        consent.record_consent_decision(request=request, by=secretary, decision=ConsentDecision.Decision.GRANTED,
                                        meeting_date=timezone.localdate())
    consent.adopt_plan(plan=plan, by=User.objects.get(username="bestuurder"))


def _triggers() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return sorted(row[0] for row in cursor.fetchall())


def _version_update_refused() -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE plans_planversion SET note = 'changed'")
    except DatabaseError:
        return True
    return False


def inventory() -> dict:
    """What must come back after a restore, row by row, with the hashes that prove it is the same."""
    everything = json.dumps(json.loads(_dumpdata()), sort_keys=True)
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return {
        "plans": list(QualityPlan.objects.order_by("pk").values_list("pk", "year", "status")),
        "versions": list(PlanVersion.objects.order_by("pk").values_list("pk", "plan_id", "number", "sha256")),
        "decisions": list(ConsentDecision.objects.order_by("pk").values_list("pk", "request_id", "decision",
                                                                            "version_sha256")),
        "adoptions": list(Adoption.objects.order_by("pk").values_list("pk", "version_id")),
        "comments": [(pk, version_id, _sha(body), _sha(answer)) for pk, version_id, body, answer in
                     Comment.objects.order_by("pk").values_list("pk", "version_id", "body", "answer")],
        "audit": list(AuditEvent.objects.order_by("sequence").values_list("sequence", "kind", "sha256")),
        "pdfs": [(version_id, _sha(bytes(content or b""))) for version_id, content in
                 VersionPdf.objects.order_by("pk").values_list("version_id", "content")],
        "rows": counts,
        "triggers": _triggers(),
        "version_update_refused": _version_update_refused(),
        "dumpdata_sha256": _sha(everything),
    }


def _dumpdata() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def print_inventory() -> None:
    print(json.dumps(inventory()))
