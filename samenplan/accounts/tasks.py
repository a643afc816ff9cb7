from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


@task()
def send_login_link(*, link_id: int) -> None:
    from .models import LoginLink
    from .services import login_link_url

    link = LoginLink.objects.select_related("user").filter(pk=link_id, used_at__isnull=True).first()
    if link is None:
        return
    with translation.override(link.user.language):
        context = {"user": link.user, "url": login_link_url(link), "link": link}
        subject = render_to_string("accounts/email/login_link_subject.txt", context).strip()
        body = render_to_string("accounts/email/login_link.txt", context)
    send_mail(subject, body, None, [link.user.email])
