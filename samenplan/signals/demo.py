"""The demo's signals: at every location of Zorggroep De Linde, online and from paper, over the last
months, some tagged with a theme and some linked to the client council's top 3 of next year's plan.

Built through the real services (the proxy entries are audited), and safe to run twice: a location
that has signals already is left alone. Call after core.demo.load_demo_plans.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from samenplan.accounts.models import User
from samenplan.core.demo import demo_organisation
from samenplan.participation.models import TopPoint

from . import services
from .models import Signal, SignalTopPoint
from .selectors import signal_page_of


# (days ago, channel, giver role, topic, theme key or "", top-3 point it led to or "", text)
# Themes are keys of the demo plan's framework (KK 2017); a key the framework lacks is left out.
SIGNALS = [
    (12, "online", "relative", "day", "wonen-en-welzijn", "Elke dag naar buiten",
     "Mijn moeder zit de hele dag binnen. Als het mooi weer is, zou ze graag even in de tuin zitten."),
    (25, "paper", "resident", "day", "wonen-en-welzijn", "Elke dag naar buiten",
     "Ik wil vaker naar buiten, ook als ik niet goed kan lopen."),
    (40, "online", "volunteer", "day", "", "Elke dag naar buiten",
     "Er zijn te weinig rolstoelen om met meer bewoners tegelijk naar buiten te gaan."),
    (33, "meeting", "resident", "staff", "persoonsgerichte-zorg", "Vaste gezichten op de afdeling",
     "Er komen steeds andere mensen helpen. Dan moet ik alles weer opnieuw uitleggen."),
    (58, "online", "relative", "staff", "", "Vaste gezichten op de afdeling",
     "In het weekend ken ik bijna niemand van de medewerkers. Wie kan ik dan iets vragen?"),
    (19, "conversation", "resident", "food", "wonen-en-welzijn", "Lekker en samen eten",
     "Het eten is vaak lauw als het op de kamer komt. Samen aan tafel eten vind ik gezelliger."),
    (71, "online", "staff", "food", "", "",
     "Het nieuwe menu met verse soep wordt goed gegeten. Bewoners vragen er zelf om."),
    (8, "online", "relative", "care", "veiligheid", "",
     "Fijn dat de verpleegkundige ons belde toen vader gevallen was. Dat gaf rust."),
    (47, "phone", "relative", "contact", "", "",
     "Het is niet duidelijk wanneer we op bezoek kunnen komen op de gesloten afdeling."),
    (85, "online", "resident", "building", "", "",
     "De bank bij de voordeur is kapot. Daar zat ik altijd graag."),
]


@transaction.atomic
def load_demo_signals() -> None:
    organisation = demo_organisation()
    if organisation is None:
        return
    locations = list(organisation.locations.filter(is_active=True).order_by("name"))
    if not locations or Signal.objects.filter(organisation=organisation).exists():
        for location in locations:
            signal_page_of(location)
        return
    secretary = User.objects.filter(username="secretaris").first()
    quality = User.objects.filter(username="kwaliteit").first()
    member = User.objects.filter(username="clientenraad").first()
    year = timezone.localdate().year
    points = {p.title: p for p in TopPoint.objects.filter(plan__organisation=organisation, plan__year=year + 1)}
    today = timezone.localdate()
    for location in locations:
        signal_page_of(location)
    for index, (days, channel, role, topic, theme, point_title, text) in enumerate(SIGNALS * len(locations)):
        location = locations[index % len(locations)]
        received_on = today - datetime.timedelta(days=days + index // len(SIGNALS) * 3)
        if channel == "online" or secretary is None:
            signal = Signal.objects.create(organisation=organisation, location=location, text=text, topic=topic,
                                           giver_role=role, received_on=received_on)
        else:
            signal = services.record_signal_on_behalf(location=location, by=secretary, text=text, channel=channel,
                                                      received_on=received_on, topic=topic, giver_role=role)
        if theme and quality is not None:
            try:
                services.tag_signal(signal=signal, by=quality, theme_key=theme)
            except ValidationError:  # a framework without this theme: the signal stays untagged
                pass
        point = points.get(point_title)
        if point is not None and member is not None and not SignalTopPoint.objects.filter(
                signal__location=location, top_point=point).exists():
            services.link_signal(signal=signal, by=member, top_point=point)
