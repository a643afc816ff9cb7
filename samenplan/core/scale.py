"""A national-scale dataset for benchmarks: `manage.py seed_scale`.

Thirty-one care-office regions, ten care offices, 450 organisations with 2,400 locations (a few with
one, a few with twenty and more), their councils, a learning network per region, and a plan per
organisation for three years in every state, with frozen versions, consent, adoptions,
submissions, publications, dialogue sessions and the care offices' deadlines; 100,000 signals of
residents, relatives and staff over all locations and the plan years, and per organisation a
council member who logs in to read them.

One plan is written through the real services and frozen with `freeze_version`; every other plan
takes its texts from that one and is written with `bulk_create`, and its versions are frozen by the
same `build_snapshot` on rows kept in memory, so each one is exactly what freezing it would give and
its SHA-256 verifies. Running the services per row for 1,350 plans would take an hour.

Each kind of data is one function of `STEPS` that reads and extends a `Seed`: a later benchmark
(signals of residents, say) adds its own step without touching the others.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

# 31 Wlz care-office regions (zorgkantoorregio's), by their usual names.
REGION_NAMES = [
    "Groningen", "Friesland", "Drenthe", "Twente", "Zwolle", "Midden-IJssel", "Apeldoorn, Zutphen e.o.",
    "Arnhem", "Nijmegen", "Utrecht", "Amersfoort", "Flevoland", "'t Gooi", "Noord-Holland Noord",
    "Kennemerland", "Zaanstreek/Waterland", "Amsterdam", "Amstelland en de Meerlanden", "Zuid-Holland Noord",
    "Haaglanden", "Delft Westland Oostland", "Midden-Holland", "Rotterdam", "Waardenland",
    "Zuid-Hollandse Eilanden", "Zeeland", "West-Brabant", "Midden-Brabant", "Noordoost-Brabant",
    "Zuidoost-Brabant", "Limburg",
]
# Made-up care offices: the dataset must not pass for the real purchasers' figures.
CARE_OFFICE_NAMES = [
    "Zorgkantoor Noordwest", "Zorgkantoor Zuid", "Zorgkantoor Oost", "Zorgkantoor Randstad", "Zorgkantoor Midden",
    "Zorgkantoor Delta", "Zorgkantoor Veluwe", "Zorgkantoor Noord", "Zorgkantoor Kust", "Zorgkantoor Maasland",
]
PREFIXES = ["Zorggroep", "Stichting", "Woonzorg", "Zorgcentrum", "Zorgcentra", "Vereniging", "Zorgpartners",
            "Woon- en zorgcentrum"]
WORDS = ["De Linde", "Het Anker", "Vijverhof", "De Horst", "De Eik", "Het Baken", "De Beuk", "Rivierzicht",
         "De Wielewaal", "Het Hofje", "Zonnehuis", "De Kastanje", "Het Wilgenhof", "De Meerpaal", "Avondrood",
         "De Leeuwerik", "Het Lindehof", "De Bongerd", "Margriet", "De Es", "Oosterhout", "De Weide",
         "Het Veld", "Berkenhof", "De Vlinder", "Het Zand", "De Brink", "Sint Jozef", "De Populier", "Nieuw Rijn",
         "De Hoven", "Het Laar", "Waterrijk", "De Schakel", "De Notenboom", "Heideheuvel"]
CITIES = ["Assen", "Emmen", "Leeuwarden", "Sneek", "Enschede", "Hengelo", "Almelo", "Zwolle", "Deventer",
          "Apeldoorn", "Zutphen", "Arnhem", "Ede", "Nijmegen", "Wijchen", "Utrecht", "Zeist", "Amersfoort",
          "Almere", "Lelystad", "Hilversum", "Alkmaar", "Hoorn", "Haarlem", "Zaandam", "Purmerend", "Amsterdam",
          "Amstelveen", "Leiden", "Den Haag", "Delft", "Gouda", "Rotterdam", "Dordrecht", "Spijkenisse",
          "Middelburg", "Goes", "Breda", "Roosendaal", "Tilburg", "Den Bosch", "Oss", "Eindhoven", "Helmond",
          "Venlo", "Roermond", "Maastricht", "Heerlen", "Tiel", "Culemborg"]
STREETS = ["Lindelaan", "Dorpsstraat", "Kerkweg", "Molenstraat", "Schoolstraat", "Parklaan", "Beukenlaan",
           "Julianastraat", "Stationsweg", "Hoofdstraat", "Brinklaan", "Rozengaarde"]
ACTIONS = [
    ("Elke dag naar buiten", "Bewoners komen vaker buiten.", "client_council"),
    ("Samen koken op de afdeling", "Eten is weer een moment van de dag.", "signal"),
    ("Vaste gezichten op de afdeling", "Bewoners zien elke dag bekende medewerkers.", "client_council"),
    ("Minder vallen", "Minder valincidenten dan vorig jaar.", "report_finding"),
    ("Leren van incidenten", "Elk team bespreekt elke maand wat er misging.", "staff"),
    ("Een maatje voor nieuwe collega's", "Nieuwe medewerkers blijven langer.", "own"),
    ("Familie doet mee", "Familie komt vaker meedoen met activiteiten.", "peer_feedback"),
]
GENERIC_TEXT = ("Wij doen dit samen met bewoners, familie en medewerkers. Elke maand kijken we wat goed gaat en "
                "wat beter kan.")

SCALE_USERNAME_PREFIX = "schaal-"
CARE_OFFICE_USERNAME = "schaal-zorgkantoor-{n:02d}"
# A member of the central client council of the n-th organisation (1-based, in the order built).
COUNCIL_USERNAME = "schaal-raad-{n:03d}"
# Signals per location at full scale (100,000 over 2,400 locations) when --signals is not given.
SIGNALS_PER_LOCATION = 100_000 / 2400
DEFAULT_PASSWORD = "samenplan-schaal"
FRAMEWORK_KEY = "kwaliteitskader-verpleeghuiszorg-2017"

# How this year's plans are spread over the phases. Years before it are mostly submitted; the year
# after has only just begun. Every organisation has a plan for every year (issue 12 asks for the
# full 450 x 3), so a draft without a version stands for one that has barely started; the portal's
# "not started" state is what the query-count tests build. Options.skip_share leaves that share
# of this year's and next year's plans out, for a dataset that has it.
SPREAD_EARLIER = [("submitted", 84), ("adopted", 8), ("consent", 3), ("draft", 5)]
SPREAD_CURRENT = [("draft", 32), ("peer_review", 6), ("consent", 14), ("adopted", 14), ("submitted", 34)]
SPREAD_LATER = [("draft", 80), ("peer_review", 10), ("consent", 10)]


class SeedExists(Exception):
    """The dataset is in this database already; versions cannot be deleted, so nothing is redone."""


@dataclass
class Options:
    regions: int = 31
    care_offices: int = 10
    organisations: int = 450
    locations: int = 2400
    years: int = 3
    year: int | None = None  # this year's plans; the default is the calendar year
    password: str = DEFAULT_PASSWORD
    seed: int = 2026
    skip_share: float = 0.0  # share of this and next year's plans not started (no plan at all)
    signals: int | None = None  # None: SIGNALS_PER_LOCATION per location, so 100,000 at full scale

    @property
    def signal_total(self) -> int:
        return round(self.locations * SIGNALS_PER_LOCATION) if self.signals is None else self.signals


@dataclass
class PlanSpec:
    """What one plan becomes: its phase and how many versions it has, and their adoptions."""

    organisation_index: int
    year: int
    status: str
    versions: int
    adopted: list[int] = field(default_factory=list)  # version numbers the board adopted
    replaced_submission: bool = False  # submitted twice: the first one was replaced
    published: bool = False
    unpublished: bool = False
    dialogue: str = ""  # "", "planned" or "held"


@dataclass
class Seed:
    """Everything built so far, for the next step to build on."""

    options: Options
    out: Callable[[str], None]
    rng: random.Random
    today: date
    year: int
    years: list[int]
    framework: object = None
    regions: list = field(default_factory=list)
    care_offices: list = field(default_factory=list)
    office_of_region: dict = field(default_factory=dict)
    organisations: list = field(default_factory=list)
    locations_of: dict = field(default_factory=dict)  # organisation pk -> [Location]
    councils_of: dict = field(default_factory=dict)  # organisation pk -> [Council]
    author_of: dict = field(default_factory=dict)  # organisation pk -> User (board and quality staff)
    care_office_users: list = field(default_factory=list)
    template: object = None  # the plan written through the services
    template_sections: list = field(default_factory=list)
    specs: list = field(default_factory=list)
    plans: dict = field(default_factory=dict)  # (organisation pk, year) -> QualityPlan
    spec_of: dict = field(default_factory=dict)  # plan pk -> PlanSpec
    versions_of: dict = field(default_factory=dict)  # plan pk -> [PlanVersion] by number
    adoptions_of: dict = field(default_factory=dict)  # plan pk -> [Adoption]
    submissions: list = field(default_factory=list)
    consent_of: dict = field(default_factory=dict)  # version pk -> the consent evidence of a submission
    reviews_of: dict = field(default_factory=dict)  # plan pk -> [PeerReview]
    counts: dict = field(default_factory=dict)
    council_users: dict = field(default_factory=dict)  # organisation pk -> User (council member)
    signals_per_organisation: dict = field(default_factory=dict)  # organisation pk -> signals built


# --------------------------------------------------------------------------- helpers


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _past(moment: datetime) -> datetime:
    """A step that follows another is dated after it, but never in the future."""
    return min(moment, timezone.now() - timedelta(minutes=5))


@contextmanager
def _own_dates(model, *names):
    """bulk_create stamps auto_now(_add) fields with this moment; a dataset spread over three years
    must give them its own dates."""
    fields = [model._meta.get_field(n) for n in names]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (now, now_add) in zip(fields, saved):
            f.auto_now, f.auto_now_add = now, now_add


def _bulk(model, objects, *dates, batch_size=500):
    if dates:
        with _own_dates(model, *dates):
            created = model.objects.bulk_create(objects, batch_size=batch_size)
    else:
        created = model.objects.bulk_create(objects, batch_size=batch_size)
    label = model._meta.label
    seed_counts = _bulk.counts
    seed_counts[label] = seed_counts.get(label, 0) + len(created)
    return created


_bulk.counts = {}


def _insert(model, names: list[str], rows: list[list], batch_size: int = 1000) -> list[int]:
    """INSERT ... RETURNING of plain rows (values in the order of `names`), for the tables of
    100,000 rows: bulk_create compiles every value of every object through the ORM, which took 20 s
    for the signals alone. Dates and aware moments are adapted by the backend as the ORM does;
    other values go as they are. Returns the new primary keys in the order of `rows`, as
    bulk_create assumes too."""
    fields = [model._meta.get_field(n) for n in names]
    ops = connection.ops
    adapters = {"DateField": ops.adapt_datefield_value, "DateTimeField": ops.adapt_datetimefield_value}
    adapt = [(i, adapters[f.get_internal_type()]) for i, f in enumerate(fields) if f.get_internal_type() in adapters]
    quote = ops.quote_name
    head = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES ")
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pks = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start:start + batch_size]
            params = []
            for row in batch:
                values = list(row)
                for i, adapter in adapt:
                    values[i] = adapter(values[i])
                params += values
            cursor.execute(f"{head}{', '.join([one] * len(batch))} RETURNING {quote(model._meta.pk.column)}",
                           params)
            pks += [pk for (pk,) in cursor.fetchall()]
    label = model._meta.label
    _bulk.counts[label] = _bulk.counts.get(label, 0) + len(rows)
    return pks


def _spread(total: int, weights: list[float], minimum: int) -> list[int]:
    """`total` divided in proportion to `weights`, each at least `minimum` (largest remainder)."""
    n = len(weights)
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("too few to give each its minimum")
    whole = sum(weights) or 1.0
    exact = [rest * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(n), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: rest - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def _pick(rng: random.Random, spread: list[tuple[str, int]]) -> str:
    return rng.choices([s for s, _ in spread], weights=[w for _, w in spread])[0]


def _prefetched(instance, name: str, objects: list) -> None:
    """Fills `instance.<name>.all()` the way prefetch_related does, from rows kept in memory."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


# --------------------------------------------------------------------------- steps


def check_empty(seed: Seed) -> None:
    from samenplan.frameworks.models import Framework
    from samenplan.organisations.models import Region

    names = REGION_NAMES[: seed.options.regions]
    if Region.objects.filter(name__in=names).exists() or Region.objects.filter(name__startswith="Regio ").exists():
        raise SeedExists
    seed.framework = Framework.objects.filter(key=FRAMEWORK_KEY, organisation=None).first()
    if seed.framework is None:
        raise LookupError(f"framework {FRAMEWORK_KEY!r} is missing: run `manage.py load_frameworks` first")


def region_names(count: int) -> list[str]:
    return REGION_NAMES[:count] + [f"Regio {n}" for n in range(len(REGION_NAMES) + 1, count + 1)]


def build_regions(seed: Seed) -> None:
    from samenplan.organisations.models import CareOffice, Region

    o = seed.options
    seed.regions = _bulk(Region, [Region(name=n) for n in region_names(o.regions)])
    offices = max(1, min(o.care_offices, o.regions))
    names = CARE_OFFICE_NAMES[:offices] + [f"Zorgkantoor {n}" for n in range(len(CARE_OFFICE_NAMES) + 1, offices + 1)]
    seed.care_offices = _bulk(CareOffice, [CareOffice(name=n) for n in names])
    # Real care offices buy for one region or for eight: the first office here covers the most.
    sizes = _spread(o.regions, [1 / (k + 1) ** 0.7 for k in range(offices)], 1)
    through = CareOffice.regions.through
    links, index = [], 0
    for office, size in zip(seed.care_offices, sizes):
        for region in seed.regions[index:index + size]:
            links.append(through(careoffice_id=office.pk, region_id=region.pk))
            seed.office_of_region[region.pk] = office
        index += size
    _bulk(through, links)


def build_organisations(seed: Seed) -> None:
    from samenplan.organisations.models import Location, Organisation

    o, rng = seed.options, seed.rng
    region_weights = [rng.uniform(0.5, 1.6) for _ in seed.regions]
    per_region = _spread(o.organisations, region_weights, 1 if o.organisations >= o.regions else 0)
    seen, organisations, n = set(), [], 0
    for region, count in zip(seed.regions, per_region):
        for _ in range(count):
            n += 1
            name = f"{PREFIXES[n % len(PREFIXES)]} {WORDS[(n // len(PREFIXES)) % len(WORDS)]}"
            if name in seen:
                name = f"{name} {CITIES[n % len(CITIES)]}"
            while name in seen:
                name += " " + CITIES[rng.randrange(len(CITIES))]
            seen.add(name)
            organisations.append(Organisation(name=name, kvk_number=f"9{n:07d}", region=region))
    seed.organisations = _bulk(Organisation, organisations)

    # A few organisations with one location, a few with twenty and more (a heavy tail).
    weights = [min(rng.paretovariate(1.3) - 1, 30.0) for _ in seed.organisations]
    counts = _spread(o.locations, weights, 1)
    locations, n = [], 0
    for organisation, count in zip(seed.organisations, counts):
        names = set()
        for i in range(count):
            n += 1
            name = WORDS[(n * 7 + i) % len(WORDS)]
            city = CITIES[(n * 3) % len(CITIES)]
            if name in names:
                name = f"{name} {city}"
            while name in names:
                name = f"{name} {i + 1}"
            names.add(name)
            locations.append(Location(
                organisation=organisation, name=name, kvk_establishment_number=f"9{n:011d}",
                street=f"{STREETS[n % len(STREETS)]} {1 + n % 180}",
                postal_code=f"{1000 + n % 8999} {'ABCDEFGH'[n % 8]}{'JKLMNPRS'[n // 8 % 8]}",
                city=city, places=rng.randint(16, 140),
                # One in thirty has closed: kept for history, without plans of its own.
                is_active=not (count > 2 and i == count - 1 and rng.random() < 0.3)))
    for location in _bulk(Location, locations):
        seed.locations_of.setdefault(location.organisation_id, []).append(location)


def build_councils(seed: Seed) -> None:
    from samenplan.organisations.models import Council, LearningNetwork

    K, rng = Council.Kind, seed.rng
    councils = []
    for organisation in seed.organisations:
        short = organisation.name
        councils.append(Council(organisation=organisation, kind=K.CLIENT_COUNCIL,
                                name=f"Centrale cliëntenraad {short}"))
        # One in five has no VAR/PAR: its works council gives consent in its place.
        if rng.random() >= 0.2:
            councils.append(Council(organisation=organisation, kind=K.NURSING_COUNCIL, name=f"VAR {short}"))
        councils.append(Council(organisation=organisation, kind=K.WORKS_COUNCIL, name=f"Ondernemingsraad {short}"))
        locations = [loc for loc in seed.locations_of[organisation.pk] if loc.is_active]
        if len(locations) >= 8:
            for location in locations[:2]:
                councils.append(Council(organisation=organisation, kind=K.CLIENT_COUNCIL, location=location,
                                        name=f"Lokale cliëntenraad {location.name}"))
    for council in _bulk(Council, councils):
        seed.councils_of.setdefault(council.organisation_id, []).append(council)

    networks = _bulk(LearningNetwork, [LearningNetwork(name=f"Lerend netwerk {r.name}") for r in seed.regions])
    network_of = {r.pk: n for r, n in zip(seed.regions, networks)}
    through = LearningNetwork.organisations.through
    _bulk(through, [through(learningnetwork_id=network_of[o.region_id].pk, organisation_id=o.pk)
                    for o in seed.organisations])


def build_people(seed: Seed) -> None:
    """Per organisation one person who writes and adopts (no password: nobody logs in as them),
    and per care office one person the benchmark logs in as."""
    from samenplan.accounts.models import Membership, Role, User

    unusable = make_password(None)
    authors = [User(username=f"{SCALE_USERNAME_PREFIX}{o.kvk_number}", first_name="Kwaliteit",
                    last_name=o.name[:150], password=unusable) for o in seed.organisations]
    authors = _bulk(User, authors)
    memberships = []
    for organisation, user in zip(seed.organisations, authors):
        seed.author_of[organisation.pk] = user
        memberships += [Membership(user=user, role=Role.BOARD, organisation=organisation),
                        Membership(user=user, role=Role.QUALITY_STAFF, organisation=organisation)]
    # One known password for all: the benchmark logs in as any of them. Demo accounts skip the
    # second factor, and only while the site runs with SAMENPLAN_DEMO=1 (accounts/selectors.py).
    known = make_password(seed.options.password)
    office_users = [User(username=CARE_OFFICE_USERNAME.format(n=n), first_name="Medewerker", last_name=office.name,
                         password=known, is_demo=True)
                    for n, office in enumerate(seed.care_offices, start=1)]
    seed.care_office_users = _bulk(User, office_users)
    memberships += [Membership(user=user, role=Role.CARE_OFFICE_STAFF, care_office=office)
                    for user, office in zip(seed.care_office_users, seed.care_offices)]
    _bulk(Membership, memberships)


def build_deadlines(seed: Seed) -> None:
    """A deadline per care office and year. This year's has passed for half of the care offices,
    so their organisations that have not submitted are late (rule 20)."""
    from samenplan.careoffice.models import CareOfficeYear

    rows = []
    for n, office in enumerate(seed.care_offices):
        for year in seed.years:
            if year < seed.year:
                deadline = seed.today - timedelta(days=365 * (seed.year - year) + 20)
            elif year == seed.year:
                deadline = (seed.today - timedelta(days=10 + 7 * n) if n % 2 == 0
                            else seed.today + timedelta(days=20 + 7 * n))
            else:
                deadline = seed.today + timedelta(days=300 + 7 * n)
            fmt = CareOfficeYear.PlanFormat.FREE if n % 4 == 3 else CareOfficeYear.PlanFormat.FRAMEWORK
            rows.append(CareOfficeYear(care_office=office, year=year, deadline=deadline, plan_format=fmt))
    _bulk(CareOfficeYear, rows)


def build_template(seed: Seed) -> None:
    """The one plan written through the services: its texts are every other plan's texts."""
    from samenplan.core.demo import COMPLETING_TEXTS, DEMO_SUMMARIES, DEMO_TEXTS
    from samenplan.plans import services as plan_services

    organisation = seed.organisations[0]
    author = seed.author_of[organisation.pk]
    year = seed.years[0]
    plan = plan_services.create_plan(organisation=organisation, year=year, framework=seed.framework, by=author)
    plan_services.update_profile(plan=plan, by=author, target_groups=["psychogeriatrie", "somatiek"],
                                 care_types=["verblijf-met-behandeling", "dagbesteding"],
                                 care_intensity={"VV5": 40, "VV6": 25, "VV7": 30}, text="")
    active = [loc for loc in seed.locations_of[organisation.pk] if loc.is_active]
    plan_services.update_staffing(plan=plan, by=author, reference_date=date(year - 1, 10, 1), note="", rows=[
        staffing_figures(seed.rng, loc) | {"location": loc} for loc in active])
    for section in plan.sections.all():
        if not section.is_text:
            continue
        body = DEMO_TEXTS.get(section.key) or COMPLETING_TEXTS.get(section.key, GENERIC_TEXT).format(year=year)
        summary = DEMO_SUMMARIES.get(section.key) or body.split(". ")[0].rstrip(".") + "."
        plan_services.update_section(plan=plan, key=section.key, body=body, summary=summary,
                                     base_revision=section.revision, by=author)
    for location in active:
        plan_services.update_paragraph(plan=plan, location=location, by=author,
                                       body=f"{location.name} wil dat bewoners vaker buiten zijn.")
        title, goal, source = ACTIONS[0]
        plan_services.save_action(plan=plan, location=location, by=author, title=title, goal=goal,
                                  owner=f"Teamleider {location.name}", due_quarter=f"{year}-Q3", source=source)
    version = plan_services.freeze_version(plan=plan, by=author, note="Eerste versie")
    seed.template = plan
    seed.template_sections = list(plan.sections.all())
    seed.plans[(organisation.pk, year)] = plan
    seed.versions_of[plan.pk] = [version]


def staffing_figures(rng: random.Random, location) -> dict:
    """Staff of one location, in FTE of 36 hours and in persons, roughly in proportion to its places."""
    places = location.places
    figures = {}
    for level, per_place in ((1, 0.03), (2, 0.12), (3, 0.42), (4, 0.14), (5, 0.02)):
        fte = Decimal(places * per_place * rng.uniform(0.7, 1.3)).quantize(Decimal("0.01"))
        figures[f"level{level}_fte"] = fte
        figures[f"level{level}_headcount"] = int(fte * Decimal("1.45")) + (1 if fte else 0)
    figures["other_care_fte"] = Decimal(places * 0.05 * rng.uniform(0.5, 1.5)).quantize(Decimal("0.01"))
    figures["other_care_headcount"] = int(figures["other_care_fte"] * 2)
    figures["treatment_fte"] = Decimal(places * 0.03 * rng.uniform(0.5, 1.5)).quantize(Decimal("0.01"))
    figures["treatment_headcount"] = int(figures["treatment_fte"] * 2) + 1
    figures["trainees"] = rng.randint(0, places // 10 + 1)
    figures["volunteers"] = rng.randint(places // 5, places // 2 + 5)
    figures["inflow"] = rng.randint(0, places // 6 + 2)
    figures["outflow"] = rng.randint(0, places // 6 + 2)
    figures["sickness_rate"] = Decimal(rng.uniform(3.5, 10.5)).quantize(Decimal("0.01"))
    return figures


def plan_specs(seed: Seed) -> None:
    rng = seed.rng
    for index, organisation in enumerate(seed.organisations):
        for year in seed.years:
            spread = SPREAD_EARLIER if year < seed.year else SPREAD_CURRENT if year == seed.year else SPREAD_LATER
            status = "submitted" if index == 0 and year == seed.years[0] else _pick(rng, spread)
            if year >= seed.year and rng.random() < seed.options.skip_share:
                continue
            versions = {"draft": rng.choice([0, 1, 1, 2]), "peer_review": rng.choice([1, 2]),
                        "consent": rng.choice([1, 2, 2, 3]), "adopted": rng.choice([1, 2, 2, 3]),
                        "submitted": rng.choice([1, 2, 2, 3])}[status]
            if index == 0 and year == seed.years[0]:
                versions = 1  # the template: its one version came from freeze_version
            spec = PlanSpec(organisation_index=index, year=year, status=status, versions=versions)
            if status in ("adopted", "submitted"):
                spec.adopted = [versions]
                # One in eight was submitted, then revised and submitted again: the history shows both.
                if status == "submitted" and versions >= 2 and rng.random() < 0.125 and not index == 0:
                    spec.adopted = [versions - 1, versions]
                    spec.replaced_submission = True
                spec.published = rng.random() < (0.75 if year < seed.year else 0.25)
                spec.unpublished = spec.published and rng.random() < 0.05
            if status == "submitted":
                spec.dialogue = ("held" if rng.random() < 0.6 else "") if year < seed.year else (
                    "planned" if rng.random() < 0.3 else "")
            seed.specs.append(spec)


def _moment(seed: Seed, year: int, days_before_deadline: int) -> datetime:
    """A moment in the making of the plan of `year`, counted back from roughly its deadline, never later
    than now."""
    if year < seed.year:
        anchor = seed.today - timedelta(days=365 * (seed.year - year) + 25)
    elif year == seed.year:
        anchor = seed.today - timedelta(days=1)
    else:
        anchor = seed.today - timedelta(days=1)
        days_before_deadline = days_before_deadline // 4
    return _aware(min(anchor - timedelta(days=days_before_deadline), seed.today - timedelta(days=1)),
                  hour=9 + days_before_deadline % 8)


def build_plans(seed: Seed) -> None:
    """The plans and their drafting rows: sections, profile, staffing, improvement paragraphs, actions."""
    from samenplan.plans.models import (
        ImprovementAction,
        ImprovementParagraph,
        OrganisationProfile,
        PlanSection,
        QualityPlan,
        StaffingProfile,
        StaffingRow,
    )

    rng = seed.rng
    specs = [s for s in seed.specs if (seed.organisations[s.organisation_index].pk, s.year) not in seed.plans]
    # Year by year, so each plan can point at the organisation's plan of the year before, as
    # create_plan does.
    for year in seed.years:
        plans = []
        for spec in specs:
            if spec.year != year:
                continue
            organisation = seed.organisations[spec.organisation_index]
            plans.append(QualityPlan(organisation=organisation, year=year, framework=seed.framework,
                                     status=spec.status, created_by=seed.author_of[organisation.pk],
                                     previous=seed.plans.get((organisation.pk, year - 1)),
                                     created_at=_moment(seed, year, 240)))
        for plan in _bulk(QualityPlan, plans, "created_at"):
            seed.plans[(plan.organisation_id, plan.year)] = plan
    for spec in seed.specs:
        plan = seed.plans[(seed.organisations[spec.organisation_index].pk, spec.year)]
        seed.spec_of[plan.pk] = spec
    template_spec = seed.spec_of[seed.template.pk]
    QualityPlan.objects.filter(pk=seed.template.pk).update(status=template_spec.status)
    seed.template.status = template_spec.status
    template_year = seed.years[0]
    new_plans = [seed.plans[(seed.organisations[s.organisation_index].pk, s.year)] for s in specs]

    sections, profiles, staffings = [], [], []
    for plan in new_plans:
        for s in seed.template_sections:
            sections.append(PlanSection(
                plan=plan, framework_section_id=s.framework_section_id, key=s.key, kind=s.kind, title=s.title,
                group=s.group, guidance=s.guidance, required=s.required, order=s.order,
                body=s.body.replace(str(template_year), str(plan.year)), summary=s.summary, revision=1,
                updated_by=plan.created_by))
        intensity = {code: rng.randint(5, 60) for code in rng.sample(["VV4", "VV5", "VV6", "VV7", "VV8"], 3)}
        profiles.append(OrganisationProfile(
            plan=plan, target_groups=sorted(rng.sample(["psychogeriatrie", "somatiek", "korsakov", "palliatief"], 2)),
            care_types=sorted(rng.sample(["verblijf-met-behandeling", "verblijf-zonder-behandeling", "dagbesteding",
                                          "vpt"], 2)),
            care_intensity=dict(sorted(intensity.items())), text=""))
        staffings.append(StaffingProfile(plan=plan, reference_date=date(plan.year - 1, 10, 1), note=""))
    _bulk(PlanSection, sections, batch_size=1000)
    _bulk(OrganisationProfile, profiles)
    staffings = _bulk(StaffingProfile, staffings)

    rows, paragraphs = [], []
    for plan, staffing in zip(new_plans, staffings):
        for location in seed.locations_of[plan.organisation_id]:
            if not location.is_active:
                continue
            rows.append(StaffingRow(staffing=staffing, location=location, **staffing_figures(rng, location)))
            paragraphs.append(ImprovementParagraph(
                plan=plan, location=location, body=f"{location.name} wil dat bewoners vaker buiten zijn."))
    _bulk(StaffingRow, rows, batch_size=1000)
    paragraphs = _bulk(ImprovementParagraph, paragraphs, batch_size=1000)
    plan_by_pk = {p.pk: p for p in new_plans}
    actions = []
    for paragraph in paragraphs:
        plan = plan_by_pk[paragraph.plan_id]
        earlier = plan.year < seed.year
        for order, (title, goal, source) in enumerate(rng.sample(ACTIONS, rng.randint(1, 3)), start=1):
            status = rng.choice(["done", "done", "in_progress", "stopped"]) if earlier else rng.choice(
                ["planned", "planned", "in_progress"])
            actions.append(ImprovementAction(
                paragraph=paragraph, title=title, goal=goal, owner=f"Teamleider {paragraph.location.name}",
                due_quarter=f"{plan.year}-Q{rng.randint(1, 4)}", status=status, source=source, order=order,
                created_at=plan.created_at))
    _bulk(ImprovementAction, actions, "created_at", batch_size=1000)


def build_versions(seed: Seed) -> None:
    """Frozen versions of every plan, by the real `build_snapshot` on the rows just written (held in
    memory, so it costs no query). Earlier versions differ from the last one as a first draft does."""
    from samenplan.frameworks.models import FrameworkSection
    from samenplan.plans.models import (
        ImprovementAction,
        ImprovementParagraph,
        OrganisationProfile,
        PlanSection,
        PlanVersion,
        StaffingProfile,
        StaffingRow,
    )
    from samenplan.plans.snapshot import _ACTION_FIELDS, build_snapshot, staffing_totals

    plans = {p.pk: p for p in seed.plans.values()
             if p.pk != seed.template.pk and seed.spec_of[p.pk].versions > 0}
    if not plans:
        return
    ids = list(plans)
    organisations = {o.pk: o for o in seed.organisations}
    for organisation in organisations.values():
        _prefetched(organisation, "locations", seed.locations_of[organisation.pk])
    locations = {loc.pk: loc for locs in seed.locations_of.values() for loc in locs}

    # Read back in the order load_plan_for_snapshot reads them; per plan, a few hundred rows at most.
    def grouped(queryset, key):
        out = {}
        for row in queryset:
            out.setdefault(getattr(row, key), []).append(row)
        return out

    version_rows = []
    for start in range(0, len(ids), 200):
        chunk = ids[start:start + 200]
        sections = grouped(PlanSection.objects.filter(plan_id__in=chunk).order_by("plan", "order", "pk"), "plan_id")
        profiles = {p.plan_id: p for p in OrganisationProfile.objects.filter(plan_id__in=chunk)}
        staffings = {s.plan_id: s for s in StaffingProfile.objects.filter(plan_id__in=chunk)}
        # The model's ordering (by location name, in the database's collation), as the real load.
        rows = grouped(StaffingRow.objects.filter(staffing__plan_id__in=chunk), "staffing_id")
        paragraphs = grouped(ImprovementParagraph.objects.filter(plan_id__in=chunk), "plan_id")
        actions = {}
        for row in (ImprovementAction.objects.filter(paragraph__plan_id__in=chunk)
                    .values(*_ACTION_FIELDS).order_by("order", "pk")):
            row["earlier_year"] = row["earlier_status"] = None
            actions.setdefault(row["paragraph_id"], []).append(row)
        for pk in chunk:
            plan = plans[pk]
            plan.organisation = organisations[plan.organisation_id]
            plan.framework = seed.framework
            plan._state.fields_cache["profile"] = profiles[pk]
            staffing = staffings[pk]
            plan._state.fields_cache["staffing"] = staffing
            staffing_rows = rows.get(staffing.pk, [])
            for row in staffing_rows:
                row.location = locations[row.location_id]
            _prefetched(staffing, "rows", staffing_rows)
            _prefetched(plan, "sections", sections.get(pk, []))
            plan_paragraphs = paragraphs.get(pk, [])
            for paragraph in plan_paragraphs:
                paragraph.location = locations[paragraph.location_id]
            _prefetched(plan, "improvement_paragraphs", plan_paragraphs)
            plan.action_rows = {p.pk: actions.get(p.pk, []) for p in plan_paragraphs if p.pk in actions}
            final = build_snapshot(plan)
            spec = seed.spec_of[pk]
            author = seed.author_of[plan.organisation_id]
            for number in range(1, spec.versions + 1):
                snapshot = final if number == spec.versions else _earlier(final, number, spec.versions,
                                                                           staffing_totals, FrameworkSection)
                content = PlanVersion.canonical(snapshot)
                days = 200 - 150 * number // spec.versions
                version_rows.append(PlanVersion(
                    plan_id=pk, number=number, content=content, sha256=PlanVersion.hash_of(content),
                    created_by=author, created_at=_moment(seed, plan.year, days),
                    note="Eerste opzet voor de raden" if number == 1 else f"Versie {number}"))
    for version in _bulk(PlanVersion, version_rows, "created_at", batch_size=200):
        seed.versions_of.setdefault(version.plan_id, []).append(version)


def _earlier(final: dict, number: int, last: int, staffing_totals, FrameworkSection) -> dict:
    """An earlier draft of `final`: shorter texts, older staffing figures, fewer actions."""
    snapshot = copy.deepcopy(final)
    behind = last - number
    for index, section in enumerate(snapshot["sections"]):
        if section["kind"] in FrameworkSection.TEXT_KINDS and section["body"] and (index + number) % 3 == 0:
            section["body"] = section["body"].split(". ")[0].rstrip(".") + "."
    for row in snapshot["staffing"]["rows"]:
        row["level3_fte"] = f"{Decimal(row['level3_fte']) * Decimal(1 - 0.03 * behind):.2f}"
    snapshot["staffing"]["totals"] = staffing_totals(snapshot["staffing"]["rows"])
    for paragraph in snapshot["improvement_paragraphs"]:
        paragraph["actions"] = paragraph["actions"][:max(1, len(paragraph["actions"]) - behind)]
    return snapshot


def build_peer_reviews(seed: Seed) -> None:
    """Two organisations of the learning network review the first version (the plan in peer review:
    its last one, not every review in yet)."""
    from samenplan.participation.models import PeerReview, PeerReviewInvitation

    by_region = {}
    for organisation in seed.organisations:
        by_region.setdefault(organisation.region_id, []).append(organisation)
    invitations, reviewed = [], []
    for plan in seed.plans.values():
        spec = seed.spec_of[plan.pk]
        versions = seed.versions_of.get(plan.pk, [])
        if spec.status not in ("peer_review", "consent", "adopted", "submitted") or not versions:
            continue
        version = versions[-1] if spec.status == "peer_review" else versions[0]
        peers = [o for o in by_region[seed.organisations[spec.organisation_index].region_id]
                 if o.pk != plan.organisation_id]
        for n, peer in enumerate(seed.rng.sample(peers, min(2, len(peers)))):
            invited_at = _past(version.created_at + timedelta(hours=2))
            invitations.append(PeerReviewInvitation(version=version, organisation=peer,
                                                    invited_by=seed.author_of[plan.organisation_id],
                                                    invited_at=invited_at,
                                                    respond_by=(invited_at + timedelta(days=21)).date()))
            reviewed.append(spec.status != "peer_review" or n == 0)
    invitations = _bulk(PeerReviewInvitation, invitations, "invited_at")
    reviews = [PeerReview(invitation=i, version=i.version, organisation=i.organisation,
                          reviewer=seed.author_of[i.organisation_id], section_feedback={},
                          summary="Een helder plan. Bij veiligheid zouden we een voorbeeld uit de praktijk geven.",
                          submitted_at=_past(i.invited_at + timedelta(days=14)))
               for i, done in zip(invitations, reviewed) if done]
    for review in _bulk(PeerReview, reviews):
        seed.reviews_of.setdefault(review.version.plan_id, []).append(review)


def build_consent(seed: Seed) -> None:
    """Councils asked to consent to the last version of plans in consent and of every adopted one;
    the adopted ones have every required council's consent, bound to the version's hash."""
    from samenplan.compliance import CouncilFacts, required_councils
    from samenplan.consent.models import Adoption, ConsentDecision, ConsentRequest
    from samenplan.organisations.models import Council
    from samenplan.plans.models import CouncilShare

    rules = seed.framework.rule_settings
    requests, decisions_for, shares, adoptions = [], [], [], []
    rng = seed.rng
    for (organisation_pk, year), plan in seed.plans.items():
        spec = seed.spec_of[plan.pk]
        versions = seed.versions_of.get(plan.pk, [])
        asked = sorted(set(spec.adopted + ([spec.versions] if spec.status == "consent" else [])))
        if not asked:
            continue
        councils = seed.councils_of[organisation_pk]
        facts = [CouncilFacts(id=c.pk, kind=c.kind, name=c.name, location_id=c.location_id) for c in councils]
        required, _missing = required_councils(facts, rules)
        required_ids = {f.id for f in required}
        has_nursing = any(c.kind == Council.Kind.NURSING_COUNCIL for c in councils)
        author = seed.author_of[organisation_pk]
        for number in asked:
            version = versions[number - 1]
            for council in councils:
                if council.pk not in required_ids:
                    continue
                request = ConsentRequest(
                    plan=plan, version=version, council=council, requested_by=author,
                    stands_in_for_nursing_council=council.kind == Council.Kind.WORKS_COUNCIL and not has_nursing,
                    respond_by=(version.created_at + timedelta(days=42)).date(),
                    requested_at=_past(version.created_at + timedelta(days=1)))
                requests.append(request)
                shares.append(CouncilShare(version=version, council=council, shared_by=author,
                                           shared_at=_past(version.created_at + timedelta(days=1))))
                meeting = version.created_at + timedelta(days=21)
                decided = number in spec.adopted or (rng.random() < 0.5 and meeting < timezone.now())
                decisions_for.append((request, decided, version))
            if number in spec.adopted:
                adoptions.append(Adoption(plan=plan, version=version, adopted_by=author,
                                          adopted_at=_past(version.created_at + timedelta(days=30))))
    _bulk(ConsentRequest, requests, "requested_at")
    _bulk(CouncilShare, shares, "shared_at")
    decisions = [ConsentDecision(request=request, decision=ConsentDecision.Decision.GRANTED,
                                 version_sha256=version.sha256,
                                 meeting_date=_past(version.created_at + timedelta(days=21)).date(),
                                 recorded_by=request.requested_by,
                                 recorded_at=_past(version.created_at + timedelta(days=22)))
                 for request, decided, version in decisions_for if decided]
    _bulk(ConsentDecision, decisions, "recorded_at")
    for adoption in _bulk(Adoption, adoptions, "adopted_at"):
        seed.adoptions_of.setdefault(adoption.plan_id, []).append(adoption)
    for decision in decisions:
        request = decision.request
        # As careoffice.services.evidence_of writes it.
        seed.consent_of.setdefault(request.version_id, []).append(
            {"council": request.council.name, "kind": request.council.kind, "decision": decision.decision,
             "date": decision.meeting_date.isoformat(), "sha256": decision.version_sha256})
    for items in seed.consent_of.values():
        items.sort(key=lambda item: item["council"])


def build_submissions(seed: Seed) -> None:
    """Submitted plans' adopted versions at their care office: the hash is the adopted one (rule 17);
    a plan submitted twice shows the first submission as replaced."""
    from samenplan.careoffice.models import Submission

    from samenplan.consent.selectors import plan_findings

    rng = seed.rng
    organisations = {o.pk: o for o in seed.organisations}
    # Every plan has the template's texts, so the checker finds in each what it finds in the template.
    template_version = seed.versions_of[seed.template.pk][-1]
    _snapshot, _sha256, found = plan_findings(seed.template, latest_version_sha256=template_version.sha256)
    findings = [{"rule": f.rule, "code": f.code, "severity": str(f.severity), "message": str(f.message)}
                for f in found]
    counted = any(f.name == "warning_count" for f in Submission._meta.concrete_fields)
    first, second = [], []
    for plan in seed.plans.values():
        spec = seed.spec_of[plan.pk]
        if spec.status != "submitted":
            continue
        office = seed.office_of_region[organisations[plan.organisation_id].region_id]
        author = seed.author_of[plan.organisation_id]
        office_user = seed.care_office_users[seed.care_offices.index(office)]
        for adoption in sorted(seed.adoptions_of[plan.pk], key=lambda a: a.version.number):
            version = adoption.version
            is_last = version.number == spec.adopted[-1]
            submitted_at = _past(adoption.adopted_at + timedelta(days=2))
            received = is_last and plan.year < seed.year or rng.random() < 0.3
            submission = Submission(
                plan=plan, version=version, adoption=adoption, care_office=office, sha256=version.sha256,
                evidence={"consent": seed.consent_of.get(version.pk, []), "findings": findings, "peer_reviews": [
                    {"organisation": organisations[r.organisation_id].name, "number": r.version.number,
                     "sha256": r.version.sha256, "date": timezone.localdate(r.submitted_at).isoformat()}
                    for r in seed.reviews_of.get(plan.pk, [])]},
                status=(Submission.Status.RECEIVED if received else Submission.Status.SUBMITTED) if is_last
                else Submission.Status.REPLACED,
                submitted_by=author, submitted_at=submitted_at,
                responded_by=office_user if is_last and received else None,
                responded_at=_past(submitted_at + timedelta(days=5)) if is_last and received else None)
            if counted:
                submission.warning_count = len(findings)
            (second if is_last and spec.replaced_submission else first).append(submission)
    _bulk(Submission, first, "submitted_at")
    # A replacement points at the submission it replaces, which must exist first.
    replaced = {s.plan_id: s for s in first if s.status == Submission.Status.REPLACED}
    for submission in second:
        submission.replaces = replaced[submission.plan_id]
    _bulk(Submission, second, "submitted_at")
    seed.submissions = first + second


def build_dialogue(seed: Seed) -> None:
    """Dialogue sessions with the board and both councils; held ones have agreements."""
    from samenplan.careoffice.models import Agreement, DialogueParticipant, DialogueSession
    from samenplan.organisations.models import Council

    current = {s.plan_id: s for s in seed.submissions if s.status != "replaced"}
    sessions, meta = [], []
    for plan_id, submission in current.items():
        spec = seed.spec_of[plan_id]
        if not spec.dialogue:
            continue
        office_user = seed.care_office_users[seed.care_offices.index(submission.care_office)]
        starts = submission.submitted_at + timedelta(days=30)
        if spec.dialogue == "planned":
            starts = _aware(seed.today + timedelta(days=14 + plan_id % 30), hour=14)
        sessions.append(DialogueSession(
            care_office=submission.care_office, organisation_id=submission.plan.organisation_id, plan_id=plan_id,
            submission=submission, status=spec.dialogue, place="Op het hoofdkantoor", starts_at=starts,
            held_on=starts.date() if spec.dialogue == "held" else None,
            minutes="We spraken over het plan en maakten afspraken." if spec.dialogue == "held" else "",
            created_by=office_user, created_at=_past(submission.submitted_at + timedelta(days=7)),
            updated_at=_past(submission.submitted_at + timedelta(days=7))))
        meta.append(submission)
    sessions = _bulk(DialogueSession, sessions, "created_at", "updated_at")
    participants, agreements = [], []
    for session, submission in zip(sessions, meta):
        councils = seed.councils_of[submission.plan.organisation_id]
        held = session.status == "held"
        participants.append(DialogueParticipant(session=session, party="board", attended=True if held else None))
        client = next(c for c in councils if c.kind == Council.Kind.CLIENT_COUNCIL and c.location_id is None)
        participants.append(DialogueParticipant(session=session, party="client_council", council=client,
                                                attended=True if held else None))
        nursing = next((c for c in councils if c.kind == Council.Kind.NURSING_COUNCIL), None)
        works = next(c for c in councils if c.kind == Council.Kind.WORKS_COUNCIL)
        participants.append(DialogueParticipant(session=session,
                                                party="nursing_council" if nursing else "works_council",
                                                council=nursing or works, attended=True if held else None))
        if held:
            for n, title in enumerate(["Vaker naar buiten op elke locatie", "Minder wisselende medewerkers"]):
                agreements.append(Agreement(
                    session=session, organisation_id=session.organisation_id, plan_id=session.plan_id, title=title,
                    owner="De bestuurder" if n == 0 else "De teamleiders",
                    due_date=session.held_on + timedelta(days=180),
                    status="done" if session.held_on < seed.today - timedelta(days=200) else "in_progress",
                    created_by=session.created_by, created_at=session.starts_at, updated_at=session.starts_at))
    _bulk(DialogueParticipant, participants)
    _bulk(Agreement, agreements, "created_at", "updated_at")


def build_publications(seed: Seed) -> None:
    """Published plans: the adopted (last) version on the public pages; a few were taken down again."""
    try:
        Publication = apps.get_model("publishing", "Publication")
    except LookupError:
        seed.out("publishing.Publication does not exist yet: no plans published")
        return
    rows = []
    for plan in seed.plans.values():
        spec = seed.spec_of[plan.pk]
        if not spec.published:
            continue
        adoption = max(seed.adoptions_of[plan.pk], key=lambda a: a.version.number)
        author = seed.author_of[plan.organisation_id]
        published_at = _past(adoption.adopted_at + timedelta(days=3))
        rows.append(Publication(plan=plan, version=adoption.version, published_by=author, published_at=published_at,
                                unpublished_by=author if spec.unpublished else None,
                                unpublished_at=_past(published_at + timedelta(days=20)) if spec.unpublished else None))
    dated = [f.name for f in Publication._meta.concrete_fields if f.name in ("published_at", "unpublished_at")
             and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))]
    _bulk(Publication, rows, *dated)


SIGNAL_TEXTS = [
    "Het eten was vandaag koud toen het op de afdeling kwam.",
    "Mijn moeder wordt elke ochtend door dezelfde verzorgende geholpen. Dat geeft rust.",
    "De tuin is mooi, maar de deur naar buiten is vaak op slot.",
    "Er zijn 's avonds te weinig mensen op de afdeling.",
    "Het uitje naar de markt was heel gezellig. Graag vaker!",
    "Ik mis de muziekmiddag sinds de zomer.",
    "Het duurt lang voordat er iemand komt als ik bel.",
    "Fijn dat familie mee mag eten op zondag.",
    "De kamer is te warm en het raam gaat niet open.",
    "Nieuwe collega's weten niet goed wat bewoners gewend zijn.",
    "De verzorgenden nemen echt de tijd voor een praatje.",
    "Bij het bezoekuur is er geen plek om rustig te zitten.",
]
# Of the signals: what share staff entered on someone's behalf, repeats of another, and removed texts.
PROXY_SHARE, DUPLICATE_SHARE, REDACTED_SHARE, TAGGED_SHARE, LINKED_SHARE = 0.15, 0.03, 0.005, 0.6, 0.02


def build_council_members(seed: Seed) -> None:
    """Per organisation a member of its central client council who logs in with the known password,
    as the benchmark of the signal list does (schaal-raad-001 for the first organisation)."""
    from samenplan.accounts.models import Membership, Role, User
    from samenplan.organisations.models import Council

    # The care-office users' hash of the same password: hashing costs a third of a second.
    known = seed.care_office_users[0].password if seed.care_office_users else make_password(seed.options.password)
    users, councils = [], []
    for n, organisation in enumerate(seed.organisations, start=1):
        council = next(c for c in seed.councils_of[organisation.pk]
                       if c.kind == Council.Kind.CLIENT_COUNCIL and c.location_id is None)
        users.append(User(username=COUNCIL_USERNAME.format(n=n), first_name="Raadslid", last_name=council.name[:150],
                          password=known, is_demo=True))
        councils.append(council)
    users = _bulk(User, users)
    _bulk(Membership, [Membership(user=user, role=Role.COUNCIL_MEMBER, council=council,
                                  organisation_id=council.organisation_id)
                       for user, council in zip(users, councils)])
    seed.council_users = {council.organisation_id: user for user, council in zip(users, councils)}


def build_signals(seed: Seed) -> None:
    """`Options.signal_total` signals over every location (in proportion to its places; a closed
    location had fewer), received on days from the first plan year up to today. Some were entered by
    staff on someone's behalf, tagged with a theme, repeat another signal of their location, had
    their text removed or are the basis of an action."""
    from samenplan.frameworks.models import FrameworkSection
    from samenplan.plans.models import ImprovementAction
    from samenplan.signals.models import Signal, SignalAction

    total = seed.options.signal_total
    if total <= 0:
        return
    rng = seed.rng
    locations = [loc for locs in seed.locations_of.values() for loc in locs]
    weights = [loc.places * (1 if loc.is_active else 0.25) for loc in locations]
    per_location = _spread(total, weights, 1 if total >= len(locations) else 0)
    last = min(seed.today, date(seed.years[-1], 12, 31))
    first = min(date(seed.years[0], 1, 1), last - timedelta(days=364))
    days = (last - first).days
    themes = list(FrameworkSection.objects.filter(framework=seed.framework, kind=FrameworkSection.Kind.THEME)
                  .values_list("key", flat=True))
    topics, roles = Signal.Topic.values, Signal.GiverRole.values + [""]
    proxy_channels = [c for c in Signal.Channel.values if c != Signal.Channel.ONLINE]
    now = timezone.now()
    random_ = rng.random
    originals, repeats = [], []  # a repeat points at an original, which must exist first
    for location, count in zip(locations, per_location):
        author = seed.author_of[location.organisation_id].pk
        for n in range(count):
            received_on = first + timedelta(days=rng.randrange(days + 1))
            proxy = random_() < PROXY_SHARE
            redacted = random_() < REDACTED_SHARE
            entered = datetime(received_on.year, received_on.month, received_on.day, rng.randint(7, 20),
                               tzinfo=UTC) + timedelta(days=rng.randint(1, 6) if proxy else 0)
            row = [location.organisation_id, location.pk, "" if redacted else rng.choice(SIGNAL_TEXTS),
                   rng.choice(topics), rng.choice(roles), rng.choice(proxy_channels) if proxy else "online",
                   received_on, min(entered, now), False, author if proxy else None,
                   rng.choice(themes) if themes and random_() < TAGGED_SHARE else "", None,
                   min(entered + timedelta(days=2), now) if redacted else None, author if redacted else None]
            (repeats if n and random_() < DUPLICATE_SHARE else originals).append(row)
        seed.signals_per_organisation[location.organisation_id] = (
            seed.signals_per_organisation.get(location.organisation_id, 0) + count)
    columns = ["organisation", "location", "text", "topic", "giver_role", "channel", "received_on", "created_at",
               "personal_data_confirmed", "entered_by", "theme_key", "duplicate_of", "redacted_at", "redacted_by"]
    pks = _insert(Signal, columns, originals)
    by_location: dict[int, list[int]] = {}
    for row, pk in zip(originals, pks):
        by_location.setdefault(row[1], []).append(pk)
    for row in repeats:
        # The first signal of a location is never a repeat, so its location has an original.
        row[11] = rng.choice(by_location[row[1]])
    _insert(Signal, columns, repeats)

    # Actions of the plan of the signal's year and location, one query.
    action_of = {}
    for pk, location_id, year in (ImprovementAction.objects
                                  .filter(paragraph__plan_id__in=[p.pk for p in seed.plans.values()])
                                  .values_list("pk", "paragraph__location_id", "paragraph__plan__year")):
        action_of.setdefault((location_id, year), []).append(pk)
    links = []
    for index in rng.sample(range(len(originals)), int(len(originals) * LINKED_SHARE)):
        row = originals[index]
        actions = action_of.get((row[1], row[6].year))
        if actions:
            links.append(SignalAction(signal_id=pks[index], action_id=rng.choice(actions),
                                      linked_by_id=seed.author_of[row[0]].pk))
    _bulk(SignalAction, links, batch_size=2000)

def mark_late(seed: Seed) -> None:
    """Counts, for the summary, the plans not submitted by a deadline that has passed (rule 20)."""
    from samenplan.careoffice.models import CareOfficeYear

    deadlines = {(y.care_office_id, y.year): y.deadline for y in CareOfficeYear.objects.filter(
        care_office__in=seed.care_offices)}
    late = 0
    for organisation in seed.organisations:
        office = seed.office_of_region[organisation.region_id]
        for year in seed.years:
            deadline = deadlines.get((office.pk, year))
            plan = seed.plans.get((organisation.pk, year))
            if deadline and deadline < seed.today and (plan is None or seed.spec_of[plan.pk].status != "submitted"):
                late += 1
    seed.counts["late plans"] = late


STEPS: list[Callable[[Seed], None]] = [
    check_empty, build_regions, build_organisations, build_councils, build_people, build_deadlines,
    build_template, plan_specs, build_plans, build_versions, build_peer_reviews, build_consent, build_submissions,
    build_dialogue,
    build_publications, mark_late,
    # Last, so the steps above draw the same random numbers with or without signals.
    build_council_members, build_signals,
]


def build(options: Options, out: Callable[[str], None] = print) -> Seed:
    """Builds the dataset in one transaction; raises SeedExists when it is there already."""
    from samenplan.core import pagecache

    today = timezone.localdate()
    year = options.year or today.year
    years = list(range(year + 2 - options.years, year + 2)) if options.years > 1 else [year]
    if options.organisations < 1 or options.locations < options.organisations:
        raise ValueError("need at least one organisation and one location per organisation")
    seed = Seed(options=options, out=out, rng=random.Random(options.seed), today=today, year=year, years=years)
    _bulk.counts = seed.counts  # every bulk_create adds to the summary
    with transaction.atomic():
        for step in STEPS:
            step(seed)
    if connection.vendor == "postgresql":
        # Fresh statistics: until autovacuum comes round, the planner takes the tables for nearly
        # empty and picks plans for a handful of rows (seen in EXPLAIN of the region overview).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The web processes renew their kept pages on their own: every write above was an INSERT the
    # connection's wrapper saw, placed for nobody, so it renews every page of its kind (pagecache).
    pagecache.clear()
    return seed
