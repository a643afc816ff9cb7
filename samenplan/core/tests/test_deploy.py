"""deploy/: the compose file's shape, and the settings it gives the web servers pass `check --deploy`.

No Docker engine is needed: the compose file is read as YAML, its `${VAR}` references are filled in
as `docker compose` does (from deploy/.env.example, plus a secret key and a password for the test),
and Django runs with exactly that environment.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

# The compose file and check --deploy, in child processes of their own: once per CI run (pytest.ini).
pytestmark = pytest.mark.database_independent

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
WEB_SERVERS = ("web1", "web2")
SERVICES = {"db", "redis", "migrate", *WEB_SERVERS, "worker", "proxy"}

# `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`, `${NAME?error}`.
_REFERENCE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")
_SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$")


def interpolate(value: str, variables: dict[str, str]) -> str:
    """What `docker compose` makes of a value, given the variables of deploy/.env."""

    def one(match):
        name, op, arg = match["name"], match["op"], match["arg"]
        found = variables.get(name)
        missing = not found if op and op.startswith(":") else found is None
        if op and op.endswith("?") and missing:
            raise AssertionError(f"docker compose would refuse to start: {arg}")
        if op and op.endswith("-") and missing:
            return arg
        return found or ""

    assert "$$" not in value, "a literal $ needs its own handling here"
    return _REFERENCE.sub(one, value)


def read_env_file(path: Path) -> dict[str, str]:
    variables = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and not name.startswith("#"):
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            variables[name.strip()] = value
    return variables


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def example():
    return read_env_file(DEPLOY / ".env.example")


def _filled_in(example):
    """deploy/.env as an operator writes it: the example with its two secrets filled in."""
    return {**example, "SECRET_KEY": secrets.token_urlsafe(50), "POSTGRES_PASSWORD": secrets.token_hex(24)}


def web_environment(compose, example) -> dict[str, str]:
    raw = compose["services"]["web1"]["environment"]
    return {name: interpolate(str(value), _filled_in(example)) for name, value in raw.items()}


def _django(script_or_args, env, *, tmp_path):
    # A process with nothing but the container's environment. `python -m django` and not manage.py:
    # manage.py also reads the var/local.env of a local demo, and a container has none.
    environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "samenplan.settings",
                   **env}
    return subprocess.run([sys.executable, *script_or_args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=120)


def test_the_services(compose):
    services = compose["services"]
    assert set(services) == SERVICES
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["proxy"]["image"].startswith("caddy:")


def test_two_web_servers_from_one_image_after_the_migration(compose):
    services = compose["services"]
    for name in WEB_SERVERS:
        web = services[name]
        assert web["image"] == services["worker"]["image"] == services["migrate"]["image"]
        assert "command" not in web  # the image's gunicorn
        assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["web1"]["environment"] == services["web2"]["environment"]
    assert services["migrate"]["restart"] == "no"
    assert "migrate --noinput" in " ".join(services["migrate"]["command"])


def test_the_worker_starts_the_scheduler_and_takes_every_queue(compose):
    command = " ".join(compose["services"]["worker"]["command"])
    assert command.index("schedule_jobs") < command.index("db_worker --queue-name '*'")


def test_the_proxy_terminates_tls_in_front_of_both_web_servers(compose):
    proxy = compose["services"]["proxy"]
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy web1:8000 web2:8000" in caddyfile
    assert "health_uri /healthz" in caddyfile
    # Only the proxy is reachable from outside.
    assert [name for name, service in compose["services"].items() if "ports" in service] == ["proxy"]


def test_the_web_servers_use_the_shared_redis_cache_and_json_logs(compose, example):
    env = web_environment(compose, example)
    assert env["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert env["CACHE_LOCATION"] == "redis://redis:6379/0"
    assert env["DATABASE_URL"].startswith("postgres://") and env["DATABASE_URL"].endswith("@db:5432/samenplan")
    assert (env["HTTPS"], env["BEHIND_PROXY"], env["LOG_FORMAT"]) == ("1", "1", "json")
    assert env["CSRF_TRUSTED_ORIGINS"] == env["SITE_URL"] == "https://samenplan.example.nl"


def test_no_literal_secrets_in_the_compose_file(compose):
    for name, service in compose["services"].items():
        for variable, value in (service.get("environment") or {}).items():
            if _SECRET_NAME.search(variable):
                assert _REFERENCE.fullmatch(str(value)), f"{name}: {variable} must come from deploy/.env"
    url = compose["services"]["web1"]["environment"]["DATABASE_URL"]
    password = url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    assert _REFERENCE.fullmatch(password)


def test_the_example_documents_every_variable_and_holds_no_secret(compose, example):
    referenced = set(_REFERENCE.findall((DEPLOY / "compose.yaml").read_text(encoding="utf-8")))
    assert {name for name, _op, _arg in referenced} - set(example) == set()
    assert example["SECRET_KEY"] == example["POSTGRES_PASSWORD"] == ""


def test_every_variable_given_to_the_web_servers_is_read(compose):
    """A misspelt name (CACHE_LOCATON) would be ignored silently and the default used."""
    read = (ROOT / "samenplan" / "settings.py").read_text() + (DEPLOY / "gunicorn.conf.py").read_text()
    for name in compose["services"]["web1"]["environment"]:
        assert f'"{name}"' in read, f"nothing reads {name}"


def test_the_image_runs_as_a_user_of_its_own():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    instructions = [line.split(None, 1) for line in dockerfile.splitlines() if line and not line[0].isspace()
                    and not line.startswith("#")]
    names = [instruction[0] for instruction in instructions]
    assert names.count("FROM") == 2 and instructions[names.index("FROM", 1)][1] == "python:3.13-slim-bookworm"
    last_user = len(names) - 1 - names[::-1].index("USER")
    assert instructions[last_user][1].strip() not in {"root", "0"}
    assert "RUN" not in names[last_user:]  # nothing runs as root after it
    assert names[-1] == "CMD" and "gunicorn" in instructions[-1][1]
    assert "/healthz" in dockerfile and "collectstatic" in dockerfile
    # WeasyPrint's libraries, and pg_dump/pg_restore/psql for manage.py backup and restore.
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core",
                    "postgresql-client"):
        assert library in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", "node_modules", "staticfiles", "deploy/.env"} <= set(ignored)


def test_the_deploy_check_is_clean_with_the_compose_environment(compose, example, tmp_path):
    """Exactly what web1 gets; `check` connects to neither the database nor Redis."""
    result = _django(["-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                     web_environment(compose, example), tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_compose_environment_reaches_redis_and_the_database(compose, example, tmp_path, redis_url):
    """The same settings against a real Redis (here) and a database: what /readyz asks."""
    env = {**web_environment(compose, example), "CACHE_LOCATION": redis_url,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}"}
    script = ("import django; django.setup(); from samenplan.core import health; "
              "print(health.check_database(), health.check_cache())")
    result = _django(["-c", script], env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ok", "ok"], result.stdout + result.stderr
