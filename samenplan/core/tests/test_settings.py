"""Production defaults: a deploy check that passes, headers on every page, secrets from the environment."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _production_env(tmp_path, env_extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"SAMENPLAN_TESTING", "HTTPS", "SECRET_KEY", "DEBUG", "SAMENPLAN_DEMO", "DATABASE_URL",
                         "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    # A production machine has no var/local.env (`make run` writes it for the demo); this checkout may.
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
                "SAMENPLAN_LOCAL_ENV": str(tmp_path / "no-local.env"), **env_extra})
    return env


def _manage(*args, env_extra, tmp_path):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_production_env(tmp_path, env_extra),
                          capture_output=True, text=True)


def test_the_deploy_check_is_clean_with_production_variables(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, env_extra={
        "SECRET_KEY": "q8!vZ2@r" * 8, "ALLOWED_HOSTS": "samenplan.example.nl",
    })
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_production_refuses_to_start(tmp_path):
    result = _manage("check", tmp_path=tmp_path, env_extra={})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_manage_py_takes_the_demo_settings_that_make_run_wrote(tmp_path):
    local_env = tmp_path / "local.env"
    local_env.write_text("# written by make run\nSAMENPLAN_DEMO=1\nSECRET_KEY=" + "k" * 50 + "\n")
    result = _manage("shell", "-v", "0", "-c", "from django.conf import settings; print(settings.DEMO, settings.SECRET_KEY[:3])",
                     tmp_path=tmp_path, env_extra={"SAMENPLAN_LOCAL_ENV": str(local_env)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "kkk"]
    # What the environment says wins over the file.
    result = _manage("shell", "-v", "0", "-c", "from django.conf import settings; print(settings.DEMO)", tmp_path=tmp_path,
                     env_extra={"SAMENPLAN_LOCAL_ENV": str(local_env), "SAMENPLAN_DEMO": "0"})
    assert result.stdout.split() == ["False"], result.stderr


def test_the_web_servers_never_read_the_demo_settings(tmp_path):
    """gunicorn starts from samenplan.wsgi: a var/local.env left on a server does not give it a key."""
    local_env = tmp_path / "local.env"
    local_env.write_text("SECRET_KEY=" + "k" * 50 + "\n")
    result = subprocess.run([sys.executable, "-c", "import samenplan.wsgi"], cwd=ROOT, capture_output=True, text=True,
                            env=_production_env(tmp_path, {"SAMENPLAN_LOCAL_ENV": str(local_env)}))
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_security_headers_on_a_page(client):
    response = client.get("/inloggen/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "'nonce-" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The test database lives in memory, where SQLite reports "memory"; files get WAL.
    assert mode in {"wal", "memory"}
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_the_favicon_is_there_for_browsers_that_ask_for_it(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == settings.STATIC_URL + "img/favicon.svg"
    assert "<svg" in Path(finders.find("img/favicon.svg")).read_text()
    assert 'rel="icon"' in client.get("/inloggen/").content.decode()


def test_htmx_adds_no_inline_style_the_csp_would_refuse(client):
    page = client.get("/inloggen/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in page
    assert page.index("htmx-config") < page.index("htmx-2.0.11.min.js")  # read when htmx starts


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_models_and_migrations_agree(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_a_bad_request_gets_the_site_page_not_a_bare_one(client):
    response = client.get("/inloggen/", headers={"host": "evil.example"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Er ging iets mis" in content and "Direct naar de inhoud" in content
