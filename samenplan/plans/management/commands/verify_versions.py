from django.core.management.base import BaseCommand, CommandError

from samenplan.plans.models import PlanVersion
from samenplan.plans.services import tampered_versions


class Command(BaseCommand):
    help = ("Recomputes the SHA-256 of every frozen plan version from its stored snapshot and reports every "
            "version that does not match (or whose hash differs from the one in the audit trail).")

    def handle(self, *args, **options):
        tampered = tampered_versions()
        count = PlanVersion.objects.count()
        if tampered:
            lines = [f"- version {t.number} of plan {t.plan_id} ({t.year}), id {t.version_id}: {t.problem}"
                     for t in tampered]
            raise CommandError(f"{len(tampered)} of {count} plan versions fail the check:\n" + "\n".join(lines))
        versions = "1 version" if count == 1 else f"{count} versions"
        self.stdout.write(self.style.SUCCESS(f"Plan versions intact: {versions}, every SHA-256 matches its snapshot."))
