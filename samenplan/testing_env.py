"""Loaded by pytest with `-p` before Django is set up, so the settings module sees these."""

import os

os.environ["SAMENPLAN_TESTING"] = "1"
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ["HTTPS"] = "0"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.pop("SAMENPLAN_DEMO", None)
os.environ.pop("DEBUG", None)
