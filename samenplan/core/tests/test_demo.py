import json

from django.core.management import call_command
from django.utils import timezone

from samenplan.accounts.models import Role, User
from samenplan.organisations.models import Council, LearningNetwork, Organisation


def _counts():
    return (Organisation.objects.count(), User.objects.count(), Council.objects.count())


def test_the_demo_tells_the_story_and_loads_twice_without_duplicates(db, capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first

    network = LearningNetwork.objects.get()
    members = list(network.organisations.all())
    assert len(members) == 3
    without_var = [o for o in members if not o.councils.filter(kind=Council.Kind.NURSING_COUNCIL).exists()]
    assert len(without_var) == 1
    assert without_var[0].councils.filter(kind=Council.Kind.WORKS_COUNCIL).exists()
    outside = Organisation.objects.exclude(pk__in=[o.pk for o in members])
    # De Horst, and De Populier that the care office's part of the demo adds to the region.
    assert outside.count() == 2
    for organisation in Organisation.objects.all():
        assert 2 <= organisation.locations.count() <= 4
        assert organisation.councils.filter(kind=Council.Kind.CLIENT_COUNCIL).exists()
    assert len({o.region_id for o in Organisation.objects.all()}) == 1

    capsys.readouterr()
    call_command("demo_accounts", "--json")
    accounts = json.loads(capsys.readouterr().out)
    assert {r["role"] for a in accounts for r in a["roles"]} == set(Role.values)
    for account in accounts:
        assert User.objects.get(username=account["username"]).check_password(account["password"])


def test_every_demo_account_can_open_its_dashboard(db, client, settings):
    settings.DEMO = True
    call_command("load_demo")
    for user in User.objects.filter(is_demo=True):
        client.force_login(user)
        assert client.get("/").status_code == 200, user.username


def test_with_the_frameworks_loaded_the_demo_has_two_years_of_plans(db):
    from samenplan.plans.models import ImprovementAction, QualityPlan

    call_command("load_frameworks")
    call_command("load_demo")
    call_command("load_demo")
    plans = QualityPlan.objects.filter(organisation__name="Zorggroep De Linde").order_by("year")
    assert plans.count() == 2
    last, current = plans
    assert current.previous == last
    carried = ImprovementAction.objects.get(paragraph__plan=current, carried_over_from__isnull=False)
    assert carried.title == "Elke dag naar buiten"
    version = current.versions.get()
    assert version.verify() and version.shares.count() == current.organisation.councils.count()


def test_the_care_office_sees_this_years_plans_in_every_state(db, client):
    from samenplan.careoffice.models import Submission
    from samenplan.careoffice.selectors import PortalFilters, mark_rows, portal_rows, year_setting
    from samenplan.organisations.models import CareOffice

    call_command("load_frameworks")
    call_command("load_demo")
    call_command("load_demo")
    office = CareOffice.objects.get(name="Zorgkantoor Rivierenland")
    year = timezone.localdate().year
    deadline = year_setting(office, year).deadline
    rows = {r.name: r for r in mark_rows(list(portal_rows(office, PortalFilters(year=year), deadline=deadline)),
                                         deadline)}
    assert {name: r.state for name, r in rows.items()} == {
        "Zorggroep De Linde": "in_dialogue", "Stichting Het Anker": "adopted", "Zorgcentrum De Horst": "consent",
        "Zorghuis De Populier": "draft", "Woonzorg Vijverhof": "not_started"}
    assert rows["Woonzorg Vijverhof"].is_late and not rows["Zorggroep De Linde"].is_late
    submission = Submission.objects.get(plan__organisation__name="Zorggroep De Linde")
    assert submission.sha256 == submission.adoption.version.sha256
    assert year_setting(office, year + 1).deadline > timezone.localdate()
