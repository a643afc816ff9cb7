import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenplan.settings")
application = get_wsgi_application()

# Pay for the readability tooling (textstat, its word lists, the jargon list) when a worker
# starts, not on the first plan page somebody opens.
from samenplan.plans.readability import analyse  # noqa: E402

analyse("Samenplan is klaar om te lezen. Dit is een korte zin.")
