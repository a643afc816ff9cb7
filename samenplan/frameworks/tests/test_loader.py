import textwrap

import pytest
from django.core.management import CommandError, call_command

from samenplan.frameworks.loader import FrameworkFileError, framework_files, read_framework_file
from samenplan.frameworks.models import Framework, FrameworkSection

MINIMAL = """\
key: eigen-kader
name: Eigen kader
rules:
  improvement_paragraph_per_location: false
  organisation_profile_required: false
  staffing_profile_required: false
sections:
  - key: thema
    kind: theme
    title: Een thema
"""


def _write(tmp_path, text, name="kader.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_shipped_frameworks_are_valid():
    specs = {read_framework_file(path).key: read_framework_file(path) for path in framework_files()}
    kk = specs["kwaliteitskader-verpleeghuiszorg-2017"]
    assert kk.rules.min_peer_reviews == 2 and kk.rules.min_peer_organisations == 2
    assert set(kk.rules.consenting_councils) == {"client_council", "nursing_council"}
    themes = [s for s in kk.sections if s.kind == "theme"]
    assert len([s for s in themes if s.group != "Basisveiligheid"]) == 8
    assert len([s for s in themes if s.group == "Basisveiligheid"]) == 4
    assert {s.kind for s in kk.sections} >= {"organisation_profile", "staffing", "improvement_paragraphs"}
    assert "generiek-kompas-2024" in specs


def test_loading_twice_keeps_one_copy(db):
    call_command("load_frameworks")
    call_command("load_frameworks")
    assert Framework.objects.filter(organisation__isnull=True).count() == 2
    kk = Framework.objects.get(key="kwaliteitskader-verpleeghuiszorg-2017")
    assert kk.sections.count() == 18
    assert kk.rule_settings.works_council_replaces_nursing_council is True


@pytest.mark.parametrize(("change", "line", "field", "message"), [
    (("    title: Een thema\n", ""), 8, "sections[1].title", "missing"),
    (("kind: theme", "kind: hoofdstuk"), 9, "sections[1].kind", "unknown kind"),
    (("  staffing_profile_required: false\n", "  staffing_profile_required: nee\n"), 6,
     "rules.staffing_profile_required", "expected true or false"),
    (("name: Eigen kader\n", "name: Eigen kader\ncolour: blue\n"), 3, "colour", "unknown field"),
    (("  organisation_profile_required: false\n", "  organisation_profile_required: true\n"), 4,
     "rules.organisation_profile_required", "no section has kind organisation_profile"),
    (("key: eigen-kader", "key: Eigen Kader"), 1, "key", "lower-case"),
    (("    title: Een thema\n", "    title: Een thema\n  - key: thema\n    kind: text\n    title: Twee\n"), 11,
     "sections[2].key", "already used"),
    (("sections:\n", "sections: [\n"), 8, "-", "not valid YAML"),
])
def test_a_mistake_names_file_line_and_field(tmp_path, change, line, field, message):
    path = _write(tmp_path, MINIMAL.replace(*change))
    with pytest.raises(FrameworkFileError) as raised:
        read_framework_file(path)
    error = raised.value
    assert (error.path.name, error.field) == ("kader.yaml", field)
    assert error.line == line, str(error)
    assert message in error.message
    assert str(error).startswith(f"kader.yaml, line {line}, field {field}:")


def test_the_command_reports_a_broken_file_and_loads_nothing(db, tmp_path, monkeypatch):
    broken = _write(tmp_path, MINIMAL.replace("kind: theme", "kind: hoofdstuk"), "kapot.yaml")
    good = _write(tmp_path, MINIMAL.replace("eigen-kader", "goed-kader"), "goed.yaml")
    monkeypatch.setattr("samenplan.frameworks.services.framework_files", lambda: [good, broken])
    with pytest.raises(CommandError, match="kapot.yaml, line 9, field sections"):
        call_command("load_frameworks")
    assert not Framework.objects.exists()
    assert not FrameworkSection.objects.exists()
