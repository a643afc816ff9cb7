"""The plan pages: query counts that do not grow, inert markup, readability while writing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.core.tests.world import login
from samenplan.core.tests.xss import active_content
from samenplan.organisations.tests.factories import CouncilFactory, LocationFactory, OrganisationFactory
from samenplan.plans import services

pytestmark = pytest.mark.shared_world

XSS = [
    "<script>alert('x')</script>",
    "[klik](javascript:alert('x'))",
    "<img src=x onerror=alert('x')>",
    "<svg onload=alert('x')><circle/></svg>",
    '<a href="#" onclick="alert(1)">link</a>',
]


def _big_plan(world, locations=40, actions_per_location=10):
    organisation = OrganisationFactory(name="Grote Zorggroep", region=world.organisation.region)
    for n in range(locations):
        LocationFactory(organisation=organisation, name=f"Locatie {n:02d}")
    CouncilFactory(organisation=organisation, name="Cliëntenraad Groot")
    author = UserFactory(username="groot")
    add_membership(user=author, role=Role.QUALITY_STAFF, organisation=organisation)
    plan = services.create_plan(organisation=organisation, year=2027, framework=world.plan.framework, by=author)
    for paragraph in plan.improvement_paragraphs.select_related("location"):
        for n in range(actions_per_location):
            services.save_action(plan=plan, location=paragraph.location, by=author, title=f"Actie {n}",
                                 owner="Teamleider", due_quarter="2027-Q3")
    version = services.freeze_version(plan=plan, by=author)
    services.update_section(plan=plan, key="veiligheid", body="Anders.", base_revision=0, by=author)
    second = services.freeze_version(plan=plan, by=author)
    return plan, version, second, author


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = {
    "plan": lambda plan, v1, v2, loc: reverse("plans:detail", args=[plan.pk]),
    "version": lambda plan, v1, v2, loc: reverse("plans:version", args=[v2.pk]),
    "diff": lambda plan, v1, v2, loc: reverse("plans:version_diff", args=[v2.pk]) + f"?met={v1.pk}",
    "section": lambda plan, v1, v2, loc: reverse("plans:section", args=[plan.pk, "veiligheid"]),
    "staffing": lambda plan, v1, v2, loc: reverse("plans:staffing", args=[plan.pk]),
    "paragraph": lambda plan, v1, v2, loc: reverse("plans:paragraph", args=[plan.pk, loc]),
    "api-plan": lambda plan, v1, v2, loc: f"/api/v1/plans/{plan.pk}",
    "api-findings": lambda plan, v1, v2, loc: f"/api/v1/plans/{plan.pk}/findings",
}


# At most this many queries. The plan page: the plan, its versions, the draft (the plan, four
# prefetches and its actions), the checker's context (seven, rule 22's one included), the care
# office's dialogues and agreements (two), and what every page reads (second
# factor, memberships, unread notifications, and the session and the person's row when they are
# not in the cache).
MAX_QUERIES = {"plan": 22}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_the_same_for_2_and_40_locations(page, world, client):
    small_plan = world.plan
    login(client, world.people["quality"])
    small = _queries(client, PAGES[page](small_plan, world.first_version, world.version, world.location.pk))

    plan, v1, v2, author = _big_plan(world)
    client.logout()
    login(client, author)
    location = plan.improvement_paragraphs.first().location_id
    large = _queries(client, PAGES[page](plan, v1, v2, location))
    assert large == small, f"{page}: {small} queries with 2 locations, {large} with 40"
    assert large <= MAX_QUERIES.get(page, large), f"{page}: {large} queries, at most {MAX_QUERIES[page]} expected"


def test_markup_in_plan_texts_is_inert_on_every_page(world, client):
    quality = world.people["quality"]
    body = "\n\n".join(XSS)
    services.update_section(plan=world.plan, key="veiligheid", body=body, base_revision=0, by=quality)
    services.save_action(plan=world.plan, location=world.location, by=quality, title="Actie zonder tekens",
                         goal=XSS[0], owner="Team")
    services.update_paragraph(plan=world.plan, location=world.location, by=quality, body=body)
    version = services.freeze_version(plan=world.plan, by=quality)
    login(client, quality)
    assert active_content(client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()) == []
    for url in [reverse("plans:section", args=[world.plan.pk, "veiligheid"]),
                reverse("plans:paragraph", args=[world.plan.pk, world.location.pk]),
                reverse("plans:version", args=[version.pk]),
                reverse("plans:version_diff", args=[version.pk]) + f"?met={world.version.pk}"]:
        content = client.get(url).content.decode()
        assert active_content(content) == [], url
        assert "alert(" in content  # the text is shown, only never run


def test_an_action_title_with_markup_is_refused(world, client):
    login(client, world.people["quality"])
    url = reverse("plans:paragraph", args=[world.plan.pk, world.location.pk])
    response = client.post(url, {"add_action": "1", "title": XSS[0], "status": "planned", "source": "own"})
    assert response.status_code == 400
    assert "Gebruik geen &lt; of &gt; in een naam" in response.content.decode()


def test_the_readability_score_follows_the_text(world, client):
    login(client, world.people["quality"])
    url = reverse("plans:section_readability", args=[world.plan.pk, "veiligheid"])
    easy = client.post(url, {"body": "Wij letten goed op. Bewoners voelen zich veilig."}).content.decode()
    hard = client.post(url, {"body": (
        "In het kader van de implementatie van het multidisciplinaire veiligheidsbeleid wordt door de organisatie "
        "geïnvesteerd in het structureel borgen van de deskundigheidsbevordering van alle medewerkers.")}).content.decode()
    assert "Goed te lezen (B1)" in easy
    assert "Moeilijk" in hard and "<mark>" in hard
    assert "implementeren" in hard.lower() or "borgen" in hard


def test_the_plan_page_shows_the_readability_of_the_saved_texts(world, client):
    login(client, world.people["quality"])
    url = reverse("plans:detail", args=[world.plan.pk])
    revision = world.plan.sections.get(key="veiligheid").revision
    services.update_section(plan=world.plan, key="veiligheid", base_revision=revision, by=world.people["quality"],
                            body="Wij letten goed op. Bewoners voelen zich veilig.")
    easy = client.get(url).content.decode()
    services.update_section(plan=world.plan, key="veiligheid", base_revision=revision + 1, by=world.people["quality"],
                            body=("In het kader van de implementatie van het multidisciplinaire veiligheidsbeleid wordt "
                                  "door de organisatie geïnvesteerd in het structureel borgen van de "
                                  "deskundigheidsbevordering van alle medewerkers."))
    hard = client.get(url).content.decode()

    def row(page):  # the section's row in the table of sections
        start = page.index(reverse("plans:section", args=[world.plan.pk, "veiligheid"]) + '">Veiligheid</a>')
        return page[start:page.index("</tr>", start)]

    assert "Goed te lezen (B1)" in row(easy) and "Moeilijk" in row(hard)
    assert "implementeren" not in easy and "implementeren" in hard  # the plan's jargon list


def test_the_checklist_links_to_the_place_to_fix_it(world, client):
    login(client, world.people["quality"])
    page = client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()
    assert reverse("plans:section", args=[world.plan.pk, "veiligheid"]) in page
    assert reverse("plans:profile", args=[world.plan.pk]) in page
    assert reverse("plans:paragraph", args=[world.plan.pk, world.other_location.pk]) not in page


def test_findings_api(world, client):
    login(client, world.people["quality"])
    findings = client.get(f"/api/v1/plans/{world.plan.pk}/findings").json()
    codes = {f["code"] for f in findings}
    assert "section-empty" in codes and "profile-target-groups-missing" in codes
    empty = next(f for f in findings if f["code"] == "section-empty")
    assert empty["severity"] == "block" and empty["url"].startswith(f"/plannen/{world.plan.pk}/onderdelen/")


def test_a_version_says_by_name_which_councils_it_was_put_before(world, client):
    login(client, world.people["quality"])
    page = client.get(reverse("plans:version", args=[world.version.pk])).content.decode()
    shared_with = page.split("Gedeeld met")[1].split("</dd>")[0]
    assert world.client_council.name in shared_with and world.nursing_council.name in shared_with
    assert "CouncilShare" not in page
