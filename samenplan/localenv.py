"""The environment `make run` serves the demo with, for the commands a developer runs by hand.

`make run` writes `var/local.env` (demo mode, plain http, e-mail printed in the terminal, the
generated secret key). `manage.py` reads it, so `.venv/bin/python manage.py demo_accounts` works
after `make run` without exporting anything. The web servers of a real deployment start from
`samenplan.wsgi`, which never reads it, and a container has no `var/`: production still refuses to
start without a SECRET_KEY of its own.
"""

import os
from pathlib import Path

LOCAL_ENV = Path(__file__).resolve().parent.parent / "var" / "local.env"


def load(path: Path | None = None) -> None:
    """Sets each `NAME=value` line of the file unless the environment has that name already."""
    path = Path(os.environ.get("SAMENPLAN_LOCAL_ENV") or path or LOCAL_ENV)
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())
