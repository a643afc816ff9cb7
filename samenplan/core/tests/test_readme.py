"""Every command the README shows works as written on a fresh clone after `make run`.

The clone is a copy of the working tree (what `git ls-files` lists, committed or not) in a
temporary folder, sharing this checkout's `.venv` and `node_modules` so no download is needed.
`make run` really runs there: it sets everything up, serves, and is stopped with Ctrl-C (SIGINT)
at the end, as a person would. While it serves, each command of each ```sh block of the README runs
in that folder with nothing exported by hand. Commands that would run for minutes get arguments
appended that only make them shorter (`SHORTER`); `make test` is not run from inside itself.
"""

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
README = ROOT / "README.md"

pytestmark = pytest.mark.database_independent

# What the test run sets for itself, and what a person's shell would not have.
NOT_IN_A_FRESH_SHELL = {
    "SAMENPLAN_TESTING", "SECRET_KEY", "HTTPS", "DEBUG", "SAMENPLAN_DEMO", "DATABASE_URL", "TEST_DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "SAMENPLAN_LOCAL_ENV", "BIND", "PYTEST_CURRENT_TEST",
    "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID",
}
# Appended to commands that would otherwise run for minutes; they only make the run shorter.
SHORTER = {
    ".venv/bin/python -m pytest": ["--collect-only", "-q"],  # the suite itself is what `make test` runs
    ".venv/bin/python bench/plan.py": ["--repeat", "2", "--locations", "2", "--actions", "2", "--pdfs", "1"],
}
# `make run` is what the fixture runs; `make test` is the run this test is part of.
RUN_ELSEWHERE = {"make run", "make test"}


def readme_commands() -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.M | re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            command = re.split(r"\s+#\s", " " + line, maxsplit=1)[0].strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def _fresh_shell_env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in NOT_IN_A_FRESH_SHELL}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _copy_of_the_tree(target: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)  # keeps the times, so make sees .venv as up to date
    for shared in (".venv", "node_modules"):
        (target / shared).symlink_to(ROOT / shared)


def _wait_until_served(url: str, process, log: Path, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`make run` stopped with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"`make run` did not serve {url} within {seconds} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def after_make_run(tmp_path_factory):
    """A fresh copy of the project in which `make run` has set everything up and serves."""
    clone = tmp_path_factory.mktemp("clone")
    _copy_of_the_tree(clone)
    port = _free_port()
    log = clone / "make-run.log"
    with log.open("w") as out:
        process = subprocess.Popen(["make", "run"], cwd=clone, env={**_fresh_shell_env(), "BIND": f"127.0.0.1:{port}"},
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_served(f"http://127.0.0.1:{port}/inloggen/", process, log)
        yield clone, f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert "Samenplan stopped." in log.read_text(), log.read_text()[-3000:]


def test_the_readme_starts_with_the_two_commands():
    assert readme_commands()[:2] == ["make run", "make test"]


def test_make_run_serves_the_demo_with_its_logins(after_make_run):
    clone, url = after_make_run
    with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
        assert response.read() == b"ok"
    printed = (clone / "make-run.log").read_text()
    assert "samenplan-demo" in printed and "kwaliteit" in printed


@pytest.mark.parametrize("command", [c for c in readme_commands() if c not in RUN_ELSEWHERE])
def test_a_readme_command_works_as_written(after_make_run, command):
    clone, _ = after_make_run
    extra = next((args for prefix, args in SHORTER.items() if command.startswith(prefix)), [])
    line = command + "".join(" " + shlex.quote(arg) for arg in extra)
    result = subprocess.run(["bash", "-c", line], cwd=clone, env=_fresh_shell_env(), capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"$ {line}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
