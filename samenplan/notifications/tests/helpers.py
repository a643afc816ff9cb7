from django.utils.translation import gettext_lazy

from samenplan.notifications import services


def tell(*people, key="test-event", subject=gettext_lazy("Er is iets gebeurd met %(what)s"),
         body=gettext_lazy("Lees het in Samenplan."), params=None, url="/", exclude=None):
    return services.notify(recipients=people, event_key=key, kind="test", subject=subject, body=body,
                           params=params or {"what": "het plan"}, url=url, exclude=exclude)
