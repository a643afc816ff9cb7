"""Nothing personal is ever public (DOMAIN rule 24): no names of people, no e-mail addresses, no
comment texts, in any field of any open-data answer, any line of the bulk export, the text of any
public page or the public PDF.

The world's plan is made to hold such things where a plan could leak them: an action's owner is
a member of staff by name and e-mail, the note on its source names a council member, the adopted
version's note names the board member who asked for it; council members commented.
"""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from samenplan.accounts.models import User
from samenplan.participation import services as participation
from samenplan.participation.models import Comment
from samenplan.plans.models import ImprovementAction
from samenplan.plans.pdf import render_version_html

from .helpers import publish_world_plan

pytestmark = pytest.mark.shared_world

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Names that occur nowhere in a plan by chance, so a hit is a leak and never a coincidence.
FIRST_NAMES = ["Hendrika", "Berend", "Aaltje", "Wopke", "Geertruida", "Sjoerd", "Froukje", "Tjeerd", "Hiltje",
               "Reinier", "Jantina", "Douwe", "Wietske", "Harmen", "Grietje", "Folkert", "Ybeltje", "Lammert"]
LAST_NAMES = ["Oosterhuis", "Brouwersma", "Terpstra", "Veenstra", "Wijnbergen", "Kloosterboer", "Hoogeveen",
              "Dijkhuizen", "Zandbergen", "Ruitenbeek", "Scholtens", "Haverkamp"]


def _name_people():
    for index, user in enumerate(User.objects.order_by("pk")):
        user.first_name = FIRST_NAMES[index % len(FIRST_NAMES)]
        user.last_name = f"{LAST_NAMES[index % len(LAST_NAMES)]}-{LAST_NAMES[index // len(LAST_NAMES) % len(LAST_NAMES)]}"
        user.save(update_fields=["first_name", "last_name"])


@pytest.fixture
def leaky_world(world):
    """The world, its people named, with personal data in the plan wherever it can go; adopted
    and published."""
    _name_people()
    staff = User.objects.get(pk=world.people["location_manager"].pk)
    member = User.objects.get(pk=world.people["council_member"].pk)
    board = User.objects.get(pk=world.people["board"].pk)
    ImprovementAction.objects.filter(pk=world.action.pk).update(
        owner=f"{staff.get_full_name()} ({staff.email})",
        source_note=f"Idee van {member.get_full_name()}, {member.email}")
    participation.add_comment(version=world.version, by=world.people["works_council_member"],
                              section_key="veiligheid", body="Wie helpt ’s nachts bij het opstaan op de afdeling?")
    adoption, publication = publish_world_plan(world, note=f"Gevraagd door {board.get_full_name()}")
    return world, adoption


def _forbidden() -> list[str]:
    people = User.objects.values_list("first_name", "last_name")
    names = {part.strip() for first, last in people for part in (first, last) if part.strip()}
    comments = {body.strip() for body in Comment.objects.values_list("body", flat=True) if body.strip()}
    return sorted(names | comments)


def _leaks(text: str, forbidden: list[str]) -> list[str]:
    found = [word for word in forbidden if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)]
    found += [match.group(0) for match in EMAIL.finditer(text)]
    return found


def _strings(value):
    """Every string in a JSON value, keys included, however deep."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)
    elif value is not None:
        yield str(value)


def test_the_world_really_holds_personal_data_the_plan_could_leak(leaky_world):
    world, adoption = leaky_world
    snapshot_text = adoption.version.content
    forbidden = _forbidden()
    assert _leaks(snapshot_text, forbidden), "the adopted version should hold a name and an e-mail address"
    assert Comment.objects.count() >= 2
    private_html = render_version_html(adoption.version.snapshot, version_number=adoption.version.number,
                                       sha256=adoption.version.sha256, created_at=adoption.version.created_at,
                                       created_by=str(adoption.version.created_by), note=adoption.version.note)
    assert _leaks(private_html, forbidden), "the organisation's own PDF names people; the public one must not"


def test_no_open_data_answer_holds_personal_data(leaky_world, client):
    world, _adoption = leaky_world
    forbidden = _forbidden()
    answers = [client.get("/api/v1/public/organisations").json()]
    for organisation in answers[0]["results"]:
        plans = client.get(f"/api/v1/public/organisations/{organisation['id']}/plans").json()
        answers.append(plans)
        answers += [client.get(plan["url"]).json() for plan in plans["plans"]]
    assert len(answers) == 3
    leaks = [leak for answer in answers for text in _strings(answer) for leak in _leaks(text, forbidden)]
    assert leaks == []


def test_no_line_of_the_bulk_export_holds_personal_data(leaky_world, client):
    forbidden = _forbidden()
    response = client.get("/api/v1/public/plans.jsonl", {"year": 2027})
    import json

    lines = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert len(lines) == 1
    assert [leak for line in lines for text in _strings(line) for leak in _leaks(text, forbidden)] == []


def test_no_public_page_holds_personal_data(leaky_world, client):
    world, _adoption = leaky_world
    forbidden = _forbidden()
    pages = [reverse("publishing:home"), reverse("publishing:plans"),
             reverse("publishing:organisation", args=[world.organisation.pk]),
             reverse("publishing:plan", args=[world.plan.pk])]
    leaks = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = _leaks(response.content.decode(), forbidden)
        if found:
            leaks[url] = found
    assert leaks == {}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_public_pdf_holds_no_personal_data(leaky_world, client, tmp_path):
    world, _adoption = leaky_world
    response = client.get(reverse("publishing:plan_pdf", args=[world.plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "openbaar.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Samen koken op de afdeling" in text  # the action is there, its owner is not
    assert _leaks(text, _forbidden()) == []
