"""The demo's quality report: this year's plan of Zorggroep De Linde is evaluated with a report
whose findings start next year's paragraphs (rule 11), and Het Wilgenhof has a published "u zei,
wij deden" page.

Built through the real services (audited, checked), and safe to run twice: each step looks
whether it was taken already. Call after the progress demo (monitoring.progress_demo), which
follows the submitted plan through the year.
"""

from django.db import transaction
from django.utils import timezone

from samenplan.accounts.models import User
from samenplan.organisations.models import Organisation
from samenplan.plans.models import QualityPlan

from . import report_selectors as selectors
from . import report_services as services
from .models import FindingAction, QualityReport, YouSaidWeDid

Status = QualityPlan.Status
INTRODUCTION = ("Dit jaar wilden wij dat bewoners vaker buiten komen en meer samen doen. Veel is gelukt. Niet "
                "alles ging zo snel als we wilden. In dit verslag leest u per locatie wat we deden en wat we leerden.")
# Per action title: its evaluation, written by its owner.
EVALUATIONS = {
    "Elke dag naar buiten": "Bijna zestig van de honderd bewoners gaan nu elke dag even naar buiten. De nieuwe "
                            "rolstoelen hielpen daarbij. In de winter lukt het minder vaak.",
    "Nieuwe tuinbank": "De bank staat in de schaduw bij de vijver. Bewoners en familie zitten er vaak.",
}
OTHER_EVALUATION = "De actie is uitgevoerd zoals gepland. De teams willen ermee doorgaan."
# Per theme key of the framework: the free evaluation (Markdown).
THEME_EVALUATIONS = {
    "wonen-en-welzijn": "Bewoners komen **vaker buiten**. Dat was het belangrijkste punt van de cliëntenraad.\n\n"
                        "- Elke ochtend gaat een groep naar de tuin.\n- Er is een nieuwe bank bij de vijver.",
    "leren-en-verbeteren": "De teams schreven elk kwartaal op hoe het ging. Zo zagen we op tijd wat er misging.",
}
# Per location name (None: the whole organisation): what was learned.
FINDINGS = {
    "Het Wilgenhof": ("Buiten zijn lukt alleen als er genoeg rolstoelen en vrijwilligers zijn. Plan die vooraf in.",
                      "wonen-en-welzijn"),
    "De Linde": ("Bewoners willen meer samen doen op de afdeling, ook in het weekend.", "wonen-en-welzijn"),
    None: ("Elk kwartaal opschrijven hoe een actie gaat, helpt om op tijd bij te sturen.", "leren-en-verbeteren"),
}
OTHER_FINDING = "Kijk samen met de bewoners wat zij het belangrijkst vinden, en begin daar."
COUNCIL_COMMENT = ("Wij zijn blij dat bewoners vaker buiten komen. Wij vragen om ook in de winter iets buiten te "
                   "doen, bijvoorbeeld een korte wandeling rond het gebouw.")
YOU_SAID = [
    ("Bewoners en familie vertelden dat ze te weinig buiten kwamen.",
     "Elke ochtend gaat een groep met vrijwilligers naar de tuin. Er zijn vier nieuwe rolstoelen."),
    ("Er was te weinig plek om in de tuin te zitten.", "Er staat nu een nieuwe bank bij de vijver."),
]


@transaction.atomic
def load_demo_report(organisation: Organisation) -> None:
    year = timezone.localdate().year
    plan = organisation.plans.select_related("organisation", "framework").filter(year=year).first()
    if plan is None or plan.status not in {Status.SUBMITTED, Status.IN_PROGRESS, Status.EVALUATED}:
        return
    quality, board = User.objects.get(username="kwaliteit"), User.objects.get(username="bestuurder")
    report = services.start_report(plan=plan, by=quality)
    if report.status == QualityReport.Status.DRAFT:
        _write(report, quality)
        report = services.adopt_report(report=report, by=board)
    if report.published_at is None:
        services.set_report_published(report=report, by=board, published=True)
    _start_next_plan(organisation, year, quality)
    _you_said(plan, organisation, quality)


def _write(report: QualityReport, quality: User) -> None:
    report.plan = QualityPlan.objects.select_related("organisation", "framework").get(pk=report.plan_id)
    services.update_introduction(report=report, by=quality, introduction=INTRODUCTION)
    themes = dict(selectors.themes_of_plan(report.plan))
    for key, body in THEME_EVALUATIONS.items():
        if key in themes:
            services.update_theme_evaluation(report=report, by=quality, theme_key=key, body=body)
    for evaluation in report.action_evaluations.select_related("action__paragraph__plan", "action__paragraph__location"):
        if not evaluation.evaluation:
            services.evaluate_action(evaluation=evaluation, by=quality, final_status=evaluation.final_status,
                                     text=EVALUATIONS.get(evaluation.action.title, OTHER_EVALUATION))
    if not report.findings.exists():
        for location in [None, *selectors.locations_of_plan(report.plan)]:
            text, theme = FINDINGS.get(location.name if location else None, (OTHER_FINDING, ""))
            services.add_finding(report=report, by=quality, text=text, location_id=location.pk if location else None,
                                 theme_key=theme if theme in themes else "")
    member = User.objects.filter(username="clientenraad").first()
    if member is not None and not selectors.comments_of(report):
        services.comment_on_report(report=report, by=member, body=COUNCIL_COMMENT)


def _start_next_plan(organisation: Organisation, year: int, quality: User) -> None:
    """Next year's draft: each paragraph gets an action started from its location's first finding."""
    plan = organisation.plans.filter(year=year + 1).first()
    if plan is None or not plan.is_editable:
        return
    for paragraph in plan.improvement_paragraphs.select_related("location"):
        if FindingAction.objects.filter(action__paragraph=paragraph).exists():
            continue
        _report, findings = selectors.previous_findings(plan, paragraph.location_id)
        own = [f for f in findings if f.location_id == paragraph.location_id] or findings
        if own:
            services.start_action_from_finding(plan=plan, location=paragraph.location, finding=own[0], by=quality)


def _you_said(plan: QualityPlan, organisation: Organisation, quality: User) -> None:
    location = organisation.locations.filter(name="Het Wilgenhof").first()
    if location is None or YouSaidWeDid.objects.filter(plan=plan, location=location, published_at__isnull=False).exists():
        return
    proposals = selectors.you_said_proposals(plan, location)
    items = []
    for index, (you_said, we_did) in enumerate(YOU_SAID):
        source = proposals[index] if index < len(proposals) else {"theme_key": "", "top_point": None}
        items.append({"theme_key": source["theme_key"], "top_point": source["top_point"], "you_said": you_said,
                      "we_did": we_did})
    page = services.save_you_said(plan=plan, location=location, by=quality, items=items)
    services.set_you_said_published(page=page, by=quality, published=True)
