from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


@task()
def send_login_link(*, user_id: int, next_path: str = "") -> None:
    from .models import User
    from .services import login_link_url, login_next_path

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    # The token is made here, in the worker, so it never sits in the task queue.
    context = {"user": user, "url": login_link_url(user, next_path), "minutes": settings.SESAME_MAX_AGE // 60,
               "has_next": bool(login_next_path(next_path))}
    with translation.override(user.language):
        subject = render_to_string("accounts/email/login_link_subject.txt", context).strip()
        body = render_to_string("accounts/email/login_link.txt", context)
    send_mail(subject, body, None, [user.email])
