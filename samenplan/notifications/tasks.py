"""E-mail, digests and reminders, run by the task worker (`manage.py db_worker`).

`run_scheduled_jobs` keeps itself going: after each run it enqueues its next run, so reminders
and digests need no external cron. `manage.py schedule_jobs` (run by `bin/serve`) starts the
chain when none is waiting.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from samenplan.core import pagecache

logger = logging.getLogger(__name__)

SCHEDULE_EVERY = timedelta(minutes=15)
# An immediate e-mail that did not go out (mail server down, worker stopped) is sent by the
# scheduler after this long; the task enqueued on commit normally sends it within seconds.
RETRY_UNSENT_AFTER = timedelta(minutes=10)
# Older messages are not e-mailed late (say, to someone who only now entered an address).
RETRY_UNSENT_WITHIN = timedelta(days=2)


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def _one_line(text: str) -> str:
    # A line break in a subject would be refused as a header injection.
    return " ".join(str(text).split())


def _send_immediate(messages) -> int:
    """Sends each message in its own e-mail. A message is claimed in the same transaction as its
    sending: a retry never sends it twice, and a failed send leaves it for the next try."""
    from .models import Notification

    sent = 0
    for message in messages:
        user = message.recipient
        try:
            with transaction.atomic(), pagecache.writing_for(pagecache.for_person(user.pk)):
                if not Notification.objects.filter(pk=message.pk, emailed_at__isnull=True).update(
                        emailed_at=timezone.now()):
                    continue
                with translation.override(user.language or "nl"):
                    body = render_to_string("notifications/email/message.txt",
                                            {"user": user, "message": message, "url": _absolute(message.url)})
                send_mail(_one_line(message.subject), body, None, [user.email])
        except Exception:
            logger.exception("E-mail of notification %s to user %s failed; it is tried again later.",
                             message.pk, user.pk)
            continue
        sent += 1
    return sent


@task()
def send_notification_emails(*, event_key: str, user_ids: list[int]) -> int:
    from samenplan.accounts.models import User

    from .models import Notification

    return _send_immediate(
        Notification.objects.filter(event_key=event_key, recipient_id__in=user_ids, emailed_at__isnull=True,
                                    recipient__is_active=True,
                                    recipient__notification_preference=User.NotificationPreference.IMMEDIATE)
        .exclude(recipient__email="").select_related("recipient"))


def send_unsent_immediate(now=None) -> int:
    """Immediate e-mails that did not go out: a failed send, or a person who switched from the
    daily digest to immediate e-mail with messages still waiting."""
    from samenplan.accounts.models import User

    from .models import Notification

    now = now or timezone.now()
    return _send_immediate(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lte=now - RETRY_UNSENT_AFTER,
                                    created_at__gte=now - RETRY_UNSENT_WITHIN,
                                    recipient__is_active=True,
                                    recipient__notification_preference=User.NotificationPreference.IMMEDIATE)
        .exclude(recipient__email="").select_related("recipient").order_by("created_at"))


def send_daily_digests(now=None) -> int:
    """One e-mail per person who chose the daily digest, with every message not yet e-mailed."""
    from samenplan.accounts.models import User

    from .models import Notification

    now = now or timezone.now()
    sent = 0
    waiting = (Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True,
                                           recipient__notification_preference=User.NotificationPreference.DAILY_DIGEST)
               .exclude(recipient__email="").select_related("recipient").order_by("recipient_id", "created_at"))
    by_user: dict = {}
    for message in waiting:
        by_user.setdefault(message.recipient, []).append(message)
    for user, messages in by_user.items():
        try:
            # The claim is undone when the e-mail fails, so the messages wait for the next digest.
            with transaction.atomic(), pagecache.writing_for(pagecache.for_person(user.pk)):
                claimed = Notification.objects.filter(pk__in=[m.pk for m in messages], emailed_at__isnull=True).update(
                    emailed_at=now)
                if not claimed:
                    continue
                with translation.override(user.language or "nl"):
                    urls = [_absolute(m.url) for m in messages]
                    context = {"user": user, "messages": messages, "items": list(zip(messages, urls)),
                               "inbox_url": _absolute(reverse("notifications:inbox"))}
                    subject = render_to_string("notifications/email/digest_subject.txt", context)
                    body = render_to_string("notifications/email/digest.txt", context)
                send_mail(_one_line(subject), body, None, [user.email])
        except Exception:
            logger.exception("Daily digest to user %s failed; its messages wait for the next one.", user.pk)
            continue
        sent += 1
    return sent


def _due(job: str, now, *, every: timedelta | None = None, daily_at_hour: int | None = None) -> bool:
    """Claims a recurring job when it is due; the row lock makes two workers run it once."""
    from .models import SchedulerState

    with transaction.atomic():
        state, _created = SchedulerState.objects.get_or_create(job=job)
        state = SchedulerState.objects.select_for_update().get(pk=state.pk)
        last = state.last_run_at
        if daily_at_hour is not None:
            local = timezone.localtime(now)
            due = local.hour >= daily_at_hour and (last is None or timezone.localtime(last).date() < local.date())
        else:
            due = last is None or now - last >= every
        if due:
            state.last_run_at = now
            state.save(update_fields=["last_run_at"])
        return due


def run_jobs(now=None) -> dict:
    """What the scheduler does on each run; callable directly (tests, `schedule_jobs --now`)."""
    from samenplan.consent.services import send_deadline_reminders
    from samenplan.monitoring.services import send_progress_reminders
    from samenplan.participation.services import send_peer_review_reminders

    now = now or timezone.now()
    done = {}
    if _due("deadline_reminders", now, every=timedelta(hours=1)):
        done["reminders"] = send_deadline_reminders(today=timezone.localdate(now))
        done["peer_review_reminders"] = send_peer_review_reminders(today=timezone.localdate(now))
        done["progress_reminders"] = send_progress_reminders(today=timezone.localdate(now))
    if _due("daily_digest", now, daily_at_hour=settings.DIGEST_HOUR):
        done["digests"] = send_daily_digests(now)
    done["retried_emails"] = send_unsent_immediate(now)
    return done


@task()
def run_scheduled_jobs() -> dict:
    try:
        return run_jobs()
    finally:
        schedule_next(after=SCHEDULE_EVERY)


def schedule_next(*, after: timedelta = timedelta(0)) -> bool:
    """Enqueues the next scheduler run unless one is already waiting. Returns whether it did."""
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return False  # the immediate backend (tests) would run the chain forever
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .models import SchedulerState

    with transaction.atomic():
        # The lock makes `schedule_jobs` at start-up and a finishing run agree on one next run.
        state, _created = SchedulerState.objects.get_or_create(job="scheduler")
        SchedulerState.objects.select_for_update().filter(pk=state.pk).first()
        if DBTaskResult.objects.filter(task_path=run_scheduled_jobs.module_path,
                                       status=TaskResultStatus.READY).exists():
            return False
        run_scheduled_jobs.using(run_after=timezone.now() + after).enqueue()
        return True
