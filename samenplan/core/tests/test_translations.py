"""The English translation is complete: every Dutch string in the code has an English one."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# Catalogues and code, no database: once per CI run (pytest.ini).
pytestmark = pytest.mark.database_independent

ROOT = Path(settings.BASE_DIR)
PO = Path("locale/en/LC_MESSAGES/django.po")


def parse_po(path: Path) -> list[dict]:
    """Entries as {"msgid": str, "msgstr": [str, ...], "fuzzy": bool}; the header is left out."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and entry.get("msgid"):
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry or {"msgid": "", "msgstr": [], "fuzzy": False}
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgid_plural ", "msgctxt ")):
            key = line.split(" ", 1)[0]
            entry[key] = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith("msgstr"):
            key = "msgstr"
            entry["msgstr"].append(ast.literal_eval(line.split(" ", 1)[1]))
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if key == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[key] += value
    return entries


def test_every_english_string_is_translated_and_none_is_fuzzy():
    entries = parse_po(ROOT / PO)
    assert entries
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"]) or e["fuzzy"]]
    assert untranslated == []


def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the code must not find a string the catalogue lacks."""
    shutil.copytree(ROOT / "samenplan", tmp_path / "samenplan", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {**os.environ, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("SAMENPLAN_TESTING", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "--no-obsolete"],
        cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    before = {e["msgid"] for e in parse_po(ROOT / PO)}
    after = {e["msgid"] for e in parse_po(tmp_path / PO)}
    assert after - before == set(), "run makemessages -l en and translate the new strings"


# The names xgettext looks for (Django's makemessages passes these keywords); a string marked
# through any other name, such as `gettext as _gettext`, never reaches the catalogue and stays Dutch.
KNOWN_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext",
               "pgettext_lazy", "npgettext", "npgettext_lazy"}


def test_translation_functions_keep_a_name_makemessages_knows():
    renamed = []
    for path in sorted((ROOT / "samenplan").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                renamed += [f"{path.relative_to(ROOT)}: {a.name} as {a.asname}" for a in node.names
                            if a.asname and a.asname not in KNOWN_NAMES and "gettext" in a.name]
    assert renamed == []
