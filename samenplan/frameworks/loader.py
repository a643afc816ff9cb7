"""Reads framework files (data/*.yaml) and checks them before anything reaches the database.

Every problem is reported with the file, the line and the field, so whoever maintains a
framework file can fix it without reading Python.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from samenplan.organisations.models import Council

from .models import FrameworkRules, FrameworkSection

DATA_DIR = Path(__file__).parent / "data"
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")
SINGLE_KINDS = {
    FrameworkSection.Kind.ORGANISATION_PROFILE, FrameworkSection.Kind.STAFFING,
    FrameworkSection.Kind.IMPROVEMENT_PARAGRAPHS,
}


class FrameworkFileError(ValueError):
    def __init__(self, path: Path, line: int, field: str, message: str):
        self.path, self.line, self.field, self.message = path, line, field, message
        super().__init__(f"{path.name}, line {line}, field {field}: {message}")


@dataclass(frozen=True)
class SectionSpec:
    key: str
    kind: str
    title: str
    group: str
    guidance: str
    required: bool


@dataclass(frozen=True)
class FrameworkSpec:
    path: Path
    key: str
    name: str
    version_label: str
    description: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    rules: FrameworkRules
    sections: list[SectionSpec]


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self._loader = yaml.SafeLoader("")

    def fail(self, node, field, message):
        raise FrameworkFileError(self.path, node.start_mark.line + 1, field, message)

    def mapping(self, node, field, *, required: set[str], optional: set[str]) -> dict:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, field, "expected a mapping of names to values")
        items = {}
        for key_node, value_node in node.value:
            name = key_node.value
            if name not in required | optional:
                self.fail(key_node, f"{field}.{name}".lstrip("."),
                          f"unknown field; allowed: {', '.join(sorted(required | optional))}")
            if name in items:
                self.fail(key_node, f"{field}.{name}".lstrip("."), "given twice")
            items[name] = value_node
        for name in sorted(required - items.keys()):
            self.fail(node, f"{field}.{name}".lstrip("."), "missing")
        return items

    def value(self, node, field, kind):
        value = self._loader.construct_object(node, deep=True)
        if kind is str and (not isinstance(value, str) or not value.strip()):
            self.fail(node, field, "expected text")
        if kind is bool and not isinstance(value, bool):
            self.fail(node, field, "expected true or false")
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            self.fail(node, field, "expected a whole number of 0 or more")
        if kind is datetime.date and not isinstance(value, datetime.date):
            self.fail(node, field, "expected a date such as 2024-07-01")
        if kind is list and not isinstance(value, list):
            self.fail(node, field, "expected a list")
        return value.strip() if isinstance(value, str) else value


RULE_TYPES = {
    "consenting_councils": list, "works_council_replaces_nursing_council": bool,
    "min_peer_reviews": int, "min_peer_organisations": int, "improvement_paragraph_per_location": bool,
    "organisation_profile_required": bool, "staffing_profile_required": bool, "budget_link_section": str,
}
assert set(RULE_TYPES) == FrameworkRules.names()


def read_framework_file(path: Path) -> FrameworkSpec:
    reader = _Reader(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise FrameworkFileError(path, (mark.line + 1) if mark else 0, "-", f"not valid YAML: {error.problem}") from error
    if root is None:
        raise FrameworkFileError(path, 1, "-", "the file is empty")
    top = reader.mapping(root, "", required={"key", "name", "sections"},
                         optional={"version", "description", "valid_from", "valid_until", "rules"})
    key = reader.value(top["key"], "key", str)
    if not SLUG.match(key):
        reader.fail(top["key"], "key", "use lower-case letters, digits, - and _ only")

    rules = {}
    if "rules" in top:
        rule_nodes = reader.mapping(top["rules"], "rules", required=set(), optional=set(RULE_TYPES))
        for name, node in rule_nodes.items():
            rules[name] = reader.value(node, f"rules.{name}", RULE_TYPES[name])
        for council in rules.get("consenting_councils", []):
            if council not in Council.Kind.values:
                reader.fail(rule_nodes["consenting_councils"], "rules.consenting_councils",
                            f"unknown council kind {council!r}; allowed: {', '.join(Council.Kind.values)}")

    sections_node = top["sections"]
    if not isinstance(sections_node, yaml.SequenceNode) or not sections_node.value:
        reader.fail(sections_node, "sections", "expected a list with at least one section")
    sections, seen = [], {}
    for index, node in enumerate(sections_node.value):
        field = f"sections[{index + 1}]"
        items = reader.mapping(node, field, required={"key", "kind", "title"},
                               optional={"group", "guidance", "required"})
        section_key = reader.value(items["key"], f"{field}.key", str)
        if not SLUG.match(section_key):
            reader.fail(items["key"], f"{field}.key", "use lower-case letters, digits, - and _ only")
        if section_key in seen:
            reader.fail(items["key"], f"{field}.key", f"the key {section_key!r} is already used by {seen[section_key]}")
        seen[section_key] = field
        kind = reader.value(items["kind"], f"{field}.kind", str)
        if kind not in FrameworkSection.Kind.values:
            reader.fail(items["kind"], f"{field}.kind", f"unknown kind; allowed: {', '.join(FrameworkSection.Kind.values)}")
        if kind in SINGLE_KINDS and any(s.kind == kind for s in sections):
            reader.fail(items["kind"], f"{field}.kind", f"a framework has at most one section of kind {kind}")
        sections.append(SectionSpec(
            key=section_key, kind=kind, title=reader.value(items["title"], f"{field}.title", str),
            group=reader.value(items["group"], f"{field}.group", str) if "group" in items else "",
            guidance=reader.value(items["guidance"], f"{field}.guidance", str) if "guidance" in items else "",
            required=reader.value(items["required"], f"{field}.required", bool) if "required" in items else False,
        ))

    settings = FrameworkRules.from_json(rules)
    kinds = {s.kind for s in sections}
    for rule, kind in [("improvement_paragraph_per_location", FrameworkSection.Kind.IMPROVEMENT_PARAGRAPHS),
                       ("organisation_profile_required", FrameworkSection.Kind.ORGANISATION_PROFILE),
                       ("staffing_profile_required", FrameworkSection.Kind.STAFFING)]:
        if getattr(settings, rule) and kind not in kinds:
            reader.fail(top["rules"] if "rules" in top else root, f"rules.{rule}",
                        f"is true, but no section has kind {kind}")
    if settings.budget_link_section and settings.budget_link_section not in seen:
        reader.fail(top["rules"], "rules.budget_link_section", f"no section has the key {settings.budget_link_section!r}")
    valid_from = reader.value(top["valid_from"], "valid_from", datetime.date) if "valid_from" in top else None
    valid_until = reader.value(top["valid_until"], "valid_until", datetime.date) if "valid_until" in top else None
    if valid_from and valid_until and valid_until < valid_from:
        reader.fail(top["valid_until"], "valid_until", "lies before valid_from")
    return FrameworkSpec(
        path=path, key=key, name=reader.value(top["name"], "name", str),
        version_label=str(reader.value(top["version"], "version", str)) if "version" in top else "",
        description=reader.value(top["description"], "description", str) if "description" in top else "",
        valid_from=valid_from, valid_until=valid_until, rules=settings, sections=sections,
    )


def framework_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))
