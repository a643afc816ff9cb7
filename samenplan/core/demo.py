"""The demo story: one care-office region, a learning network of three organisations (one without
a VAR/PAR), a fourth organisation outside the network, and a person for every role.

Built through the real services, and safe to run twice: what exists is found, not duplicated.
"""

from django.db import transaction
from django.utils import timezone

from samenplan.accounts import services as account_services
from samenplan.accounts.models import Role, User
from samenplan.organisations import services as org_services
from samenplan.organisations.models import CareOffice, Council, LearningNetwork, Location, Organisation, Region

DEMO_PASSWORD = "samenplan-demo"

K = Council.Kind
ORGANISATIONS = [
    {
        "name": "Zorggroep De Linde", "kvk": "41000001",
        "locations": [
            ("De Linde", "000041000011", "Lindelaan 4", "4001 AB", "Tiel", 96),
            ("Het Wilgenhof", "000041000012", "Wilgenstraat 12", "4005 CD", "Tiel", 54),
            ("Huize Rivierzicht", "000041000013", "Waalkade 31", "4011 EF", "Zaltbommel", 38),
        ],
        "councils": [
            (K.CLIENT_COUNCIL, "Centrale cliëntenraad De Linde", None),
            (K.CLIENT_COUNCIL, "Lokale cliëntenraad Het Wilgenhof", "Het Wilgenhof"),
            (K.NURSING_COUNCIL, "VAR De Linde", None),
            (K.WORKS_COUNCIL, "Ondernemingsraad De Linde", None),
        ],
    },
    {
        "name": "Stichting Het Anker", "kvk": "41000002",
        "locations": [
            ("Het Anker", "000041000021", "Havenweg 2", "4101 GH", "Culemborg", 72),
            ("De Meerpaal", "000041000022", "Meerpaalstraat 8", "4103 JK", "Culemborg", 40),
        ],
        # No VAR/PAR: the works council gives consent from the professional perspective.
        "councils": [
            (K.CLIENT_COUNCIL, "Cliëntenraad Het Anker", None),
            (K.WORKS_COUNCIL, "Ondernemingsraad Het Anker", None),
        ],
    },
    {
        "name": "Woonzorg Vijverhof", "kvk": "41000003",
        "locations": [
            ("Vijverhof", "000041000031", "Vijverlaan 1", "4201 LM", "Gorinchem", 110),
            ("De Kastanje", "000041000032", "Kastanjeplein 9", "4203 NP", "Gorinchem", 48),
            ("Oostwijk", "000041000033", "Oostdijk 77", "4207 RS", "Gorinchem", 32),
            ("Het Baken", "000041000034", "Bakenstraat 5", "4211 TV", "Leerdam", 26),
        ],
        "councils": [
            (K.CLIENT_COUNCIL, "Cliëntenraad Vijverhof", None),
            (K.NURSING_COUNCIL, "PAR Vijverhof", None),
            (K.WORKS_COUNCIL, "Ondernemingsraad Vijverhof", None),
        ],
    },
    {
        "name": "Zorgcentrum De Horst", "kvk": "41000004",
        "locations": [
            ("De Horst", "000041000041", "Horsterweg 20", "4301 WX", "Geldermalsen", 64),
            ("Het Veld", "000041000042", "Veldstraat 3", "4303 YZ", "Geldermalsen", 30),
        ],
        "councils": [
            (K.CLIENT_COUNCIL, "Cliëntenraad De Horst", None),
            (K.NURSING_COUNCIL, "VAR De Horst", None),
        ],
    },
]

# username, first name, last name, [(role, organisation name, location or council name)]
PEOPLE = [
    ("bestuurder", "Marieke", "de Vries", [(Role.BOARD, "Zorggroep De Linde", None)]),
    ("kwaliteit", "Sanne", "Jansen", [(Role.QUALITY_STAFF, "Zorggroep De Linde", None)]),
    ("locatiemanager", "Ahmed", "El Amrani", [(Role.LOCATION_MANAGER, "Zorggroep De Linde", "Het Wilgenhof")]),
    ("clientenraad", "Gerrit", "Bakker", [(Role.COUNCIL_MEMBER, "Zorggroep De Linde", "Centrale cliëntenraad De Linde")]),
    ("secretaris", "Truus", "van Dam", [(Role.COUNCIL_SECRETARY, "Zorggroep De Linde", "Centrale cliëntenraad De Linde")]),
    ("var", "Lotte", "Visser", [(Role.COUNCIL_SECRETARY, "Zorggroep De Linde", "VAR De Linde")]),
    ("or", "Kees", "Mulder", [(Role.COUNCIL_SECRETARY, "Stichting Het Anker", "Ondernemingsraad Het Anker")]),
    ("kwaliteit-anker", "Fatma", "Yilmaz", [(Role.QUALITY_STAFF, "Stichting Het Anker", None),
                                             (Role.PEER_REVIEWER, "Stichting Het Anker", None)]),
    ("collega", "Joost", "Smit", [(Role.PEER_REVIEWER, "Woonzorg Vijverhof", None)]),
    ("buiten", "Eva", "Hendriks", [(Role.QUALITY_STAFF, "Zorgcentrum De Horst", None)]),
    ("zorgkantoor", "Peter", "de Boer", [(Role.CARE_OFFICE_STAFF, None, None)]),
    ("beheer", "Admin", "Samenplan", [(Role.PLATFORM_ADMIN, None, None)]),
]

# Council members without a login of their own beyond the e-mailed link.
EXTRA_COUNCIL_MEMBERS = [
    ("Centrale cliëntenraad De Linde", "Wim de Groot", "wim.degroot@example.nl"),
    ("Centrale cliëntenraad De Linde", "Ria Peters", "ria.peters@example.nl"),
    ("Lokale cliëntenraad Het Wilgenhof", "Henk Vermeulen", "henk.vermeulen@example.nl"),
    ("Cliëntenraad Het Anker", "Annie Kok", "annie.kok@example.nl"),
    ("Cliëntenraad Vijverhof", "Jan van Leeuwen", "jan.vanleeuwen@example.nl"),
    ("PAR Vijverhof", "Noor Bos", "noor.bos@example.nl"),
    ("Cliëntenraad De Horst", "Bep Dijkstra", "bep.dijkstra@example.nl"),
]


def demo_organisation() -> Organisation | None:
    """Zorggroep De Linde of the demo, by its KvK number: a test's world may hold another organisation
    of that name."""
    return Organisation.objects.filter(kvk_number=ORGANISATIONS[0]["kvk"]).first()


def _person(username, first, last) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last, email=f"{username}@demo.samenplan.nl",
                    is_demo=True)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def load_demo() -> None:
    admin = _person("beheer", "Admin", "Samenplan")
    if not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    account_services.add_membership(user=admin, role=Role.PLATFORM_ADMIN)

    region, _ = Region.objects.get_or_create(name="Rivierenland")
    office, _ = CareOffice.objects.get_or_create(name="Zorgkantoor Rivierenland")
    office.regions.add(region)

    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisation = Organisation.objects.filter(kvk_number=spec["kvk"]).first() or org_services.create_organisation(
            by=admin, name=spec["name"], kvk_number=spec["kvk"], region=region)
        organisations[spec["name"]] = organisation
        for name, kvk, street, postal_code, city, places in spec["locations"]:
            if not Location.objects.filter(kvk_establishment_number=kvk).exists():
                org_services.create_location(
                    organisation=organisation, by=admin, name=name, kvk_establishment_number=kvk,
                    street=street, postal_code=postal_code, city=city, places=places, is_active=True)
        for kind, name, location_name in spec["councils"]:
            if not Council.objects.filter(organisation=organisation, name=name).exists():
                location = organisation.locations.get(name=location_name) if location_name else None
                org_services.create_council(organisation=organisation, by=admin, kind=kind, name=name,
                                            location=location)

    network, _ = LearningNetwork.objects.get_or_create(name="Lerend netwerk Rivierenland")
    network.organisations.add(*(organisations[n] for n in
                                ["Zorggroep De Linde", "Stichting Het Anker", "Woonzorg Vijverhof"]))

    for username, first, last, roles in PEOPLE:
        user = _person(username, first, last)
        for role, organisation_name, scope_name in roles:
            organisation = organisations.get(organisation_name)
            if role == Role.CARE_OFFICE_STAFF:
                account_services.add_membership(user=user, role=role, care_office=office)
            elif role == Role.PLATFORM_ADMIN:
                account_services.add_membership(user=user, role=role)
            elif role == Role.LOCATION_MANAGER:
                account_services.add_membership(user=user, role=role, location=organisation.locations.get(name=scope_name))
            elif scope_name:
                council = organisation.councils.get(name=scope_name)
                org_services.add_council_member(council=council, by=admin, full_name=f"{first} {last}",
                                                email=user.email, role=role)
            else:
                account_services.add_membership(user=user, role=role, organisation=organisation)

    for council_name, full_name, email in EXTRA_COUNCIL_MEMBERS:
        council = Council.objects.get(name=council_name)
        org_services.add_council_member(council=council, by=admin, full_name=full_name, email=email)

    load_demo_plans(organisations["Zorggroep De Linde"])
    # After adoption (issue 12): the care office's region with this year's plans in every state,
    # a dialogue with agreements on De Linde's submitted plan, that plan published and shared in
    # the network's library; the residents' signals at every location, three quarters of progress
    # and last year's plan evaluated in a quality report whose findings start this year's (issue 13).
    from samenplan.careoffice.demo import load_demo_care_office
    from samenplan.careoffice.dialogue_demo import load_demo_dialogue
    from samenplan.monitoring.progress_demo import load_demo_progress
    from samenplan.monitoring.report_demo import load_demo_report
    from samenplan.participation.demo import load_demo_library
    from samenplan.publishing.demo import load_demo_publication
    from samenplan.signals.demo import load_demo_signals

    load_demo_care_office()
    load_demo_dialogue()
    load_demo_publication()
    load_demo_library()
    load_demo_signals()
    load_demo_progress(organisations["Zorggroep De Linde"])
    load_demo_report(organisations["Zorggroep De Linde"])


DEMO_TEXTS = {
    "wonen-en-welzijn": (
        "Bewoners bepalen zelf hoe hun dag eruitziet. Bij de intake vragen we wat iemand belangrijk vindt.\n\n"
        "- elke afdeling heeft een vaste tafel waar bewoners samen eten\n"
        "- twee keer per week gaan bewoners naar buiten, ook in de winter\n"),
    "persoonsgerichte-zorg": (
        "Elke bewoner heeft een vaste contactverzorgende. Zij praat elke maand met de bewoner en de familie "
        "over wat goed gaat en wat beter kan."),
    "veiligheid": (
        "In het kader van de implementatie van het multidisciplinaire veiligheidsbeleid borgen wij de "
        "deskundigheid van medewerkers via scholing, intervisie en casuïstiekbespreking."),
}

# What the author tells the councils first (compliance rule R28): the policy text of "veiligheid"
# is the demo's example of jargon, its summary says the same in plain words.
DEMO_SUMMARIES = {
    "wonen-en-welzijn": "Bewoners kiezen zelf hoe hun dag eruitziet. Ze eten samen en gaan twee keer per week "
                        "naar buiten.",
    "persoonsgerichte-zorg": "Elke bewoner heeft een vaste verzorgende. Die praat elke maand met de bewoner en "
                             "de familie.",
    "veiligheid": "Medewerkers leren steeds bij over veilige zorg. Ze volgen cursussen en bespreken samen "
                  "lastige situaties.",
}

# The rest of this year's plan, written after version 1 went to the councils: with these the plan
# has everything the framework requires, so the whole round (peers, consent, adoption) can be shown.
COMPLETING_TEXTS = {
    "basisveiligheid-decubitus": "We kijken elke week naar de huid van bewoners die veel liggen of zitten. "
                                 "Zien we roodheid, dan passen we de houding en het matras aan.",
    "basisveiligheid-medicatie": "Twee collega's controleren samen risicovolle medicijnen. Fouten bespreken we "
                                 "elke maand in het team, zonder schuldvraag.",
    "basisveiligheid-acp": "Met elke bewoner en de familie praten we op tijd over de laatste levensfase. Wat "
                           "iemand wil, staat in het zorgplan.",
    "basisveiligheid-vrijheidsbeperking": "We beperken de vrijheid van bewoners zo min mogelijk. Eerst zoeken "
                                          "we samen met de familie naar andere oplossingen.",
    "leren-en-verbeteren": "Teams bespreken elke maand wat goed ging en wat beter kan. Ideeën van bewoners en "
                           "familie nemen we daarin mee.",
    "leiderschap": "De bestuurder bezoekt elke maand een locatie en praat met bewoners en medewerkers. De "
                   "cliëntenraad en de VAR denken vanaf het begin mee over het plan.",
    "personeel-beleid": "We willen genoeg vaste medewerkers op elke afdeling. Nieuwe collega's krijgen een "
                        "maatje en tijd om te leren.",
    "hulpbronnen": "We zorgen voor een prettige huiskamer en een tuin op elke locatie. Domotica helpt "
                   "medewerkers om 's nachts op tijd bij bewoners te zijn.",
    "informatie": "We gebruiken cijfers over vallen, doorligwonden en tevredenheid. Die bespreken we elk "
                  "kwartaal met de teams en de cliëntenraad.",
    "begroting": "Dit plan hoort bij de begroting en het jaarplan van {year}. Het geld voor de acties staat "
                 "in de begroting van elke locatie.",
    "lerend-netwerk": "We leren samen met Stichting Het Anker en Woonzorg Vijverhof. We lezen elkaars plannen "
                      "en bezoeken elkaar twee keer per jaar.",
    "betrokkenheid": "De cliëntenraad en de VAR schreven vanaf het begin mee. We vroegen bewoners en familie "
                     "op elke locatie wat zij belangrijk vinden.",
}


def load_demo_plans(organisation: Organisation) -> None:
    """Last year's plan with work still going on, and this year's plan that starts from it."""
    from samenplan.frameworks.models import Framework
    from samenplan.plans import services as plan_services

    framework = Framework.objects.filter(key="kwaliteitskader-verpleeghuiszorg-2017", organisation=None).first()
    if framework is None or organisation.plans.exists():
        return  # frameworks not loaded yet, or the demo plans exist already
    author = User.objects.get(username="kwaliteit")
    year = timezone.localdate().year
    last = plan_services.create_plan(organisation=organisation, year=year, framework=framework, by=author)
    for key, text in DEMO_TEXTS.items():
        plan_services.update_section(plan=last, key=key, body=text, summary=DEMO_SUMMARIES[key], base_revision=0,
                                     by=author)
    wilgenhof = organisation.locations.get(name="Het Wilgenhof")
    plan_services.save_action(plan=last, location=wilgenhof, by=author, title="Elke dag naar buiten",
                              goal="Bewoners komen vaker buiten.", owner="Teamleider Het Wilgenhof",
                              due_quarter=f"{year}-Q3", status="in_progress", source="client_council",
                              source_note="Punt uit de top-3 van de cliëntenraad")
    plan_services.save_action(plan=last, location=wilgenhof, by=author, title="Nieuwe tuinbank",
                              owner="Facilitair", due_quarter=f"{year}-Q2", status="done")
    # Last year's plan as the councils read it; this year's "what changed" compares with it.
    last_version = plan_services.freeze_version(plan=last, by=author, note="De versie van vorig jaar")
    plan_services.share_version_with_councils(version=last_version, by=author)

    plan = plan_services.create_plan(organisation=organisation, year=year + 1, framework=framework, by=author)
    plan_services.update_profile(plan=plan, by=author, target_groups=["psychogeriatrie", "somatiek"],
                                 care_types=["verblijf-met-behandeling", "dagbesteding"],
                                 care_intensity={"VV5": 60, "VV6": 45, "VV7": 70}, text="")
    plan_services.update_staffing(plan=plan, by=author, reference_date=timezone.localdate(), note="", rows=[
        {"location": location, "level2_fte": 4, "level2_headcount": 6, "level3_fte": 18, "level3_headcount": 26,
         "level4_fte": 7, "level4_headcount": 9, "level5_fte": 1, "level5_headcount": 1, "volunteers": 25}
        for location in organisation.locations.filter(is_active=True)])
    de_linde = organisation.locations.get(name="De Linde")
    plan_services.update_paragraph(plan=plan, location=de_linde, by=author,
                                   body="De Linde wil dat bewoners meer samen doen.")
    plan_services.save_action(plan=plan, location=de_linde, by=author, title="Samen koken op de afdeling",
                              goal="Eten is weer een moment van de dag.", owner="Teamleider De Linde",
                              due_quarter=f"{year + 1}-Q2", source="signal")
    version = plan_services.freeze_version(plan=plan, by=author, note="Eerste opzet voor de raden")
    plan_services.share_version_with_councils(version=version, by=author)
    _council_input(plan, version)
    _complete(plan, author, year + 1)


def _council_input(plan, version) -> None:
    """The client council reads version 1: a comment, and its top 3 for the year."""
    from samenplan.participation import services as participation

    member = User.objects.get(username="clientenraad")
    council = plan.organisation.councils.get(name="Centrale cliëntenraad De Linde")
    participation.add_comment(version=version, by=member, section_key="wonen-en-welzijn",
                              quote="twee keer per week gaan bewoners naar buiten",
                              body="Twee keer per week is te weinig. Bewoners willen elke dag even naar buiten.")
    participation.record_top_points(plan=plan, council=council, by=member, location=None, points=[
        {"title": "Elke dag naar buiten", "explanation": "Ook bewoners die slecht lopen willen de tuin in."},
        {"title": "Vaste gezichten op de afdeling", "explanation": "Bewoners schrikken van steeds nieuwe mensen."},
        {"title": "Lekker en samen eten", "explanation": "Eten is voor veel bewoners het fijnste moment van de dag."},
    ])


def _complete(plan, author, year) -> None:
    from samenplan.plans import services as plan_services

    for key, text in COMPLETING_TEXTS.items():
        section = plan.sections.filter(key=key).first()
        if section is not None and not section.body:
            body = text.format(year=year)
            # These texts are short and plain already: their first sentence says what they are about.
            plan_services.update_section(plan=plan, key=key, body=body, summary=body.split(". ")[0] + ".",
                                         base_revision=section.revision, by=author)
    for location in plan.organisation.locations.filter(is_active=True):
        paragraph = plan.improvement_paragraphs.filter(location=location).first()
        if paragraph is None or paragraph.body or paragraph.actions.exists():
            continue
        plan_services.update_paragraph(plan=plan, location=location, by=author,
                                       body=f"{location.name} wil dat bewoners vaker buiten zijn.")
        plan_services.save_action(plan=plan, location=location, by=author, title="Elke dag een rondje buiten",
                                  owner=f"Teamleider {location.name}", due_quarter=f"{year}-Q3",
                                  source="client_council", source_note="Top 3 van de cliëntenraad")


def demo_accounts() -> list[dict]:
    accounts = []
    users = User.objects.filter(is_demo=True).prefetch_related("memberships").order_by("pk")
    for user in users:
        accounts.append({
            "username": user.username,
            "password": DEMO_PASSWORD,
            "name": user.get_full_name(),
            "description": "; ".join(str(m) for m in user.memberships.all()),
            "roles": [
                {"role": m.role, "organisation_id": m.organisation_id, "location_id": m.location_id,
                 "council_id": m.council_id, "care_office_id": m.care_office_id}
                for m in user.memberships.all()
            ],
        })
    return accounts
