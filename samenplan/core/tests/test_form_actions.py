"""Every form names the address it posts to.

A form without `action` posts to the address in the browser's bar, including a `#field` or
`#reactie-12` that an error-summary link or a redirect put there; the answer then opens scrolled to
that old place and the browser skips the error summary's `autofocus`. So each form names its
address, `{{ request.get_full_path }}` for its own page (the query string, such as `?next=` or a
login link's token, stays).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.database_independent

FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)


def test_every_form_names_its_address():
    templates = Path(settings.BASE_DIR) / "samenplan" / "templates"
    without = [f"{path.relative_to(templates)}: {tag}" for path in sorted(templates.rglob("*.html"))
               for tag in FORM.findall(path.read_text(encoding="utf-8"))
               if "action=" not in tag and 'method="get"' not in tag.lower()]
    assert without == []
