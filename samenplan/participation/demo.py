"""The demo's shared plan (issue 12, point 9): Zorggroep De Linde's newest adopted plan in the
library of "Lerend netwerk Rivierenland", with a note on how it was made, and a comment by Stichting
Het Anker's quality staff. Through the real services, so the audit trail says so too."""

from django.contrib.auth import get_user_model

from samenplan.accounts.models import Membership, Role
from samenplan.consent.models import Adoption
from samenplan.core.demo import demo_organisation
from samenplan.organisations.models import LearningNetwork

from . import services
from .models import LibraryComment, LibraryEntry

DEMO_NETWORK = "Lerend netwerk Rivierenland"
DEMO_NOTE = {
    "who_took_part": "De centrale cliëntenraad schreef vanaf het begin mee. De VAR las elke versie, en de teams "
                     "van beide locaties kozen samen hun verbeterpunten.",
    "how_signals": "Aan tafel in de huiskamers, met een kaartje in de hal voor familie, en in de gesprekken "
                   "over het zorgleefplan.",
    "do_differently": "Eerder beginnen met de cliëntenraad, en de samenvattingen in gewone taal meteen schrijven "
                      "in plaats van aan het eind.",
}
DEMO_COMMENT = ("Mooi dat de teams zelf hun verbeterpunten kozen. Hoe hebben jullie de avonddiensten daarbij "
                "betrokken?")


def load_demo_library():
    """Shares De Linde's newest adopted plan in the network's library, once; nothing when there is no
    adopted plan, no network or no board member. Returns the LibraryEntry or None."""
    organisation = demo_organisation()
    network = LearningNetwork.objects.filter(name=DEMO_NETWORK).first()
    if organisation is None or network is None:
        return None
    adoption = (Adoption.objects.filter(plan__organisation=organisation).select_related("plan", "version")
                .order_by("-plan__year", "-adopted_at", "-pk").first())
    board = (Membership.objects.filter(organisation=organisation, role=Role.BOARD, user__is_active=True)
             .select_related("user").order_by("pk").first())
    if adoption is None or board is None:
        return None
    entry = LibraryEntry.objects.filter(network=network, plan=adoption.plan, version=adoption.version,
                                        withdrawn_at__isnull=True).first()
    if entry is None:
        entry = next(e for e in services.share_in_library(plan=adoption.plan, by=board.user, networks=[network],
                                                          **DEMO_NOTE))
    commenter = get_user_model().objects.filter(username="kwaliteit-anker").first()
    if commenter is not None and not LibraryComment.objects.filter(entry=entry, author=commenter).exists():
        services.comment_in_library(entry=entry, by=commenter, body=DEMO_COMMENT)
    return entry
