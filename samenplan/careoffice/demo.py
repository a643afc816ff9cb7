"""The care office's part of the demo: the demo user `zorgkantoor` sees this year's plans of its
region in every state.

- Zorggroep De Linde: this year's plan completed, reviewed by two peers, consented by both
  councils, adopted and submitted (the dialogue and publishing parts build on it).
- Stichting Het Anker: adopted, not submitted yet.
- Zorgcentrum De Horst: with the councils for consent.
- Zorghuis De Populier (new, outside the network): in draft.
- Woonzorg Vijverhof: not started, and late, as everyone who has not submitted: this year's
  deadline has passed. Next year's deadline is still to come.

Through the real services, and safe to run twice. People who act here without being demo logins
(the board of Het Anker, a peer reviewer of De Linde, the council secretaries of the others) get
accounts without a password.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from samenplan.accounts import services as account_services
from samenplan.accounts.models import Role, User
from samenplan.core.demo import demo_organisation
from samenplan.organisations import services as org_services
from samenplan.organisations.models import CareOffice, Council, Organisation

POPULIER = {
    "name": "Zorghuis De Populier", "kvk": "41000005",
    "locations": [("De Populier", "000041000051", "Populierenlaan 3", "4191 AA", "Geldermalsen", 44),
                  ("Het Hofje", "000041000052", "Hofstraat 6", "4191 BB", "Geldermalsen", 22)],
    "councils": [(Council.Kind.CLIENT_COUNCIL, "Cliëntenraad De Populier"), (Council.Kind.NURSING_COUNCIL,
                                                                           "VAR De Populier")],
}


def _helper(username: str, first: str, last: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last, email=f"{username}@demo.samenplan.nl")
        user.set_unusable_password()
        user.save()
    return user


def _role(user, role, organisation):
    account_services.add_membership(user=user, role=role, organisation=organisation)
    return user


def _secretary(council: Council, full_name: str, email: str) -> User:
    membership = council.memberships.filter(role=Role.COUNCIL_SECRETARY).select_related("user").first()
    if membership is not None:
        return membership.user
    return org_services.add_council_member(council=council, by=None, full_name=full_name, email=email,
                                           role=Role.COUNCIL_SECRETARY).user


def _populier(admin, region) -> Organisation:
    spec = POPULIER
    organisation = Organisation.objects.filter(kvk_number=spec["kvk"]).first() or org_services.create_organisation(
        by=admin, name=spec["name"], kvk_number=spec["kvk"], region=region)
    for name, kvk, street, postal_code, city, places in spec["locations"]:
        if not organisation.locations.filter(kvk_establishment_number=kvk).exists():
            org_services.create_location(organisation=organisation, by=admin, name=name, kvk_establishment_number=kvk,
                                         street=street, postal_code=postal_code, city=city, places=places,
                                         is_active=True)
    for kind, name in spec["councils"]:
        if not organisation.councils.filter(name=name).exists():
            org_services.create_council(organisation=organisation, by=admin, kind=kind, name=name, location=None)
    return organisation


def _complete(plan, author):
    """Everything the framework asks, through the same texts as De Linde's next year's plan."""
    from samenplan.core.demo import DEMO_SUMMARIES, DEMO_TEXTS
    from samenplan.core.demo import _complete as complete_texts
    from samenplan.plans import services as plan_services

    plan_services.update_profile(plan=plan, by=author, target_groups=["psychogeriatrie", "somatiek"],
                                 care_types=["verblijf-met-behandeling"], care_intensity={"VV5": 30, "VV6": 25},
                                 text="")
    locations = list(plan.organisation.locations.filter(is_active=True).order_by("name"))
    plan_services.update_staffing(plan=plan, by=author, reference_date=timezone.localdate(), note="", rows=[
        {"location": location, "level2_fte": 3, "level2_headcount": 4, "level3_fte": 12 + n, "level3_headcount": 16 + n,
         "level4_fte": 5, "level4_headcount": 6, "level5_fte": 1, "level5_headcount": 1, "volunteers": 10}
        for n, location in enumerate(locations)])
    for key, text in DEMO_TEXTS.items():
        section = plan.sections.filter(key=key).first()
        if section is not None and not section.body:
            plan_services.update_section(plan=plan, key=key, body=text, summary=DEMO_SUMMARIES[key],
                                         base_revision=section.revision, by=author)
    complete_texts(plan, author, plan.year)


def _reviewed(version, reviewers: list[tuple[Organisation, User]], author):
    from samenplan.participation import services as participation
    from samenplan.participation.models import PeerReview

    participation.invite_peers(version=version, organisations=[o for o, _u in reviewers], by=author)
    for organisation, user in reviewers:
        if not PeerReview.objects.filter(version=version, organisation=organisation, submitted_at__isnull=False).exists():
            participation.save_peer_review(version=version, by=user, section_feedback={},
                                           summary="Een helder plan. Mooi dat bewoners zelf hun dag bepalen.",
                                           submit=True)


def _consented(plan, author, secretaries: dict[int, User]):
    from samenplan.consent import services as consent_services
    from samenplan.consent.models import ConsentDecision

    for request in consent_services.request_consent(plan=plan, by=author):
        consent_services.record_consent_decision(
            request=request, by=secretaries[request.council_id], decision=ConsentDecision.Decision.GRANTED,
            meeting_date=timezone.localdate(), reasons="", conditions=[], present_ids=[])


def _to_adopted(plan, author, board, reviewers, secretaries):
    from samenplan.consent import services as consent_services
    from samenplan.plans import services as plan_services

    if plan.status != "draft":
        return
    _complete(plan, author)
    version = plan_services.freeze_version(plan=plan, by=author, note="Voor de collega's en de raden")
    _reviewed(version, reviewers, author)
    _consented(plan, author, secretaries)
    consent_services.adopt_plan(plan=plan, by=board)


@transaction.atomic
def load_demo_care_office() -> None:
    from samenplan.consent import services as consent_services
    from samenplan.frameworks.models import Framework
    from samenplan.plans import services as plan_services
    from samenplan.plans.models import QualityPlan

    from . import services
    from .models import CareOfficeYear

    framework = Framework.objects.filter(key="kwaliteitskader-verpleeghuiszorg-2017", organisation=None).first()
    office = CareOffice.objects.filter(name="Zorgkantoor Rivierenland").first()
    de_linde = demo_organisation()
    if office is None or de_linde is None:
        return  # the demo's organisations are not loaded yet
    admin = User.objects.get(username="beheer")
    populier = _populier(admin, de_linde.region)
    if framework is None:
        return  # no plans without the frameworks
    today = timezone.localdate()
    year = today.year
    staff = User.objects.get(username="zorgkantoor")

    # This year's plans were due at the end of January (or yesterday, early in the year), so the
    # demo has plans that are late; next year's are due next January.
    if not CareOfficeYear.objects.filter(care_office=office, year=year).exists():
        services.set_care_office_year(care_office=office, by=staff, year=year,
                                      deadline=min(date(year, 1, 31), today - timedelta(days=1)),
                                      plan_format=CareOfficeYear.PlanFormat.FRAMEWORK)
    if not CareOfficeYear.objects.filter(care_office=office, year=year + 1).exists():
        services.set_care_office_year(care_office=office, by=staff, year=year + 1, deadline=date(year + 1, 1, 31),
                                      plan_format=CareOfficeYear.PlanFormat.FRAMEWORK)

    anker = Organisation.objects.get(kvk_number="41000002")
    vijverhof = Organisation.objects.get(kvk_number="41000003")
    horst = Organisation.objects.get(kvk_number="41000004")
    author, board = User.objects.get(username="kwaliteit"), User.objects.get(username="bestuurder")
    peer_anker, peer_vijverhof = User.objects.get(username="kwaliteit-anker"), User.objects.get(username="collega")

    # De Linde: this year's plan the whole way, and submitted.
    plan = QualityPlan.objects.filter(organisation=de_linde, year=year).first()
    if plan is not None:
        secretaries = {de_linde.councils.get(name="Centrale cliëntenraad De Linde").pk: User.objects.get(username="secretaris"),
                       de_linde.councils.get(name="VAR De Linde").pk: User.objects.get(username="var")}
        _to_adopted(plan, author, board, [(anker, peer_anker), (vijverhof, peer_vijverhof)], secretaries)
        plan.refresh_from_db()
        if plan.status == "adopted":
            services.submit_plan(plan=plan, by=board, note="Hierbij ons kwaliteitsplan. Wij horen graag wanneer "
                                                           "de dialoogsessie kan plaatsvinden.")

    # Het Anker: adopted, not yet submitted. Its reviewers: De Linde and Vijverhof.
    anker_board = _role(_helper("bestuur-anker", "Bestuurder", "Het Anker"), Role.BOARD, anker)
    linde_peer = _role(_helper("collega-linde", "Collega", "De Linde"), Role.PEER_REVIEWER, de_linde)
    anker_plan = QualityPlan.objects.filter(organisation=anker, year=year).first() or plan_services.create_plan(
        organisation=anker, year=year, framework=framework, by=peer_anker)
    anker_secretaries = {c.pk: (User.objects.get(username="or") if c.kind == Council.Kind.WORKS_COUNCIL
                                else _secretary(c, "Secretaris Cliëntenraad Anker", "secretaris.anker@example.nl"))
                         for c in anker.councils.filter(location=None)}
    _to_adopted(anker_plan, peer_anker, anker_board, [(de_linde, linde_peer), (vijverhof, peer_vijverhof)],
                anker_secretaries)

    # De Horst: with its councils for consent.
    horst_author = User.objects.get(username="buiten")
    horst_plan = QualityPlan.objects.filter(organisation=horst, year=year).first() or plan_services.create_plan(
        organisation=horst, year=year, framework=framework, by=horst_author)
    if horst_plan.status == "draft":
        _complete(horst_plan, horst_author)
        plan_services.freeze_version(plan=horst_plan, by=horst_author, note="Voor de raden")
        consent_services.request_consent(plan=horst_plan, by=horst_author)

    # De Populier: a new organisation in the region, writing its plan.
    populier_author = _role(_helper("kwaliteit-populier", "Kwaliteit", "De Populier"), Role.QUALITY_STAFF, populier)
    if not QualityPlan.objects.filter(organisation=populier, year=year).exists():
        draft = plan_services.create_plan(organisation=populier, year=year, framework=framework, by=populier_author)
        plan_services.update_section(plan=draft, key="wonen-en-welzijn", base_revision=0, by=populier_author,
                                     body="Bewoners van De Populier eten samen en kiezen zelf hun activiteiten.")
