from django.core.management.base import BaseCommand, CommandError

from samenplan.audit.models import AuditEvent
from samenplan.audit.services import first_broken_link


class Command(BaseCommand):
    help = "Checks the hash chain of the audit trail and reports the first broken link, if any."

    def handle(self, *args, **options):
        broken = first_broken_link()
        if broken is not None:
            event, problem = broken
            raise CommandError(f"Audit trail broken at event #{event.sequence} (id {event.pk}, {event.kind}): {problem}.")
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {count} events, every link holds."))
