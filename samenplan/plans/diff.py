"""A side-by-side comparison of two plan versions, one SectionDiff per part of the plan.

Works on the canonical snapshots (plans.snapshot), so any two versions can be compared without
touching the database. Plan texts are Markdown and are shown as the pages show them, rendered and
sanitised by samenplan.core.markdown, block by block (a paragraph, a list, a table): a council member
reads bold as bold, not as **stars**. Inside a changed block the words that differ are marked; a
block that came or went is marked whole. Figures and labels are escaped text. Either way the only
markup added here is <del>/<ins> (with a spoken "verwijderd:"/"toegevoegd:"), and every rendered
side passes the sanitiser once more, so nothing typed into a plan becomes active markup.
"""

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from samenplan.core import formats
from samenplan.core.markdown import render_markdown_blocks, sanitise
from samenplan.frameworks.models import FrameworkSection

from .models import (
    CARE_TYPES,
    TARGET_GROUPS,
    ImprovementAction,
    OrganisationProfile,
    StaffingProfile,
    StaffingRow,
    care_intensity_label,
)

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"

# Numbers stay whole ("12,50" is one token), so a changed figure is marked as one value.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+|[^\w\s]+|\s+")
EMPTY = mark_safe("")


@dataclass(frozen=True)
class Line:
    """One row of a side-by-side table."""

    change: str  # SAME, CHANGED, ADDED or REMOVED
    old: SafeString  # escaped text or sanitised HTML, <del> around removed words; "" when added
    new: SafeString  # escaped text or sanitised HTML, <ins> around added words; "" when removed


@dataclass(frozen=True)
class SectionDiff:
    key: str  # section key, or "profile", "staffing", "paragraph-<location_id>"
    title: str
    changed: bool
    lines: list[Line]


def _join(parts) -> SafeString:
    # Every part is already escaped (escape/format_html), so the joined string is safe too.
    return mark_safe("".join(parts))  # noqa: S308


def _spoken(tag: str) -> SafeString:
    label = _("verwijderd:") if tag == "del" else _("toegevoegd:")
    return format_html('<span class="visually-hidden">{} </span>', label)


def _mark(tag: str, text: str, *, spoken: bool = True) -> SafeString:
    """Wraps text in <del> or <ins>, with the kind of change spelled out for screen readers (unless
    `spoken` is off: the piece goes on a change already announced); whitespace at the edges stays
    outside the tag."""
    core = text.strip()
    if not core:
        return escape(text)
    start = text.index(core[0])
    lead, trail = text[:start], text[start + len(core):]
    return format_html('{}<{} class="diff-{}">{}{}</{}>{}', lead, tag, tag, _spoken(tag) if spoken else "",
                       core, tag, trail)


def _word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    old_parts, new_parts = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            old_parts.append(escape(removed))
            new_parts.append(escape(added))
            continue
        if removed:
            old_parts.append(_mark("del", removed))
        if added:
            new_parts.append(_mark("ins", added))
    return _join(old_parts), _join(new_parts)


def _blank_marker() -> str:
    return _("(lege regel)")


def _removed(text: str) -> Line:
    return Line(REMOVED, _mark("del", text or _blank_marker()), EMPTY)


def _added(text: str) -> Line:
    return Line(ADDED, EMPTY, _mark("ins", text or _blank_marker()))


def _pair(old: str, new: str) -> Line:
    if old == new:
        return Line(SAME, escape(old), escape(new))
    return Line(CHANGED, *_word_diff(old, new))


# Markdown texts ----------------------------------------------------------------------------------

_VOID_TAGS = {"br", "hr"}
# What the diff adds to the Markdown allow-list (samenplan.core.markdown.sanitise).
_DIFF_MARKUP = {"extra_tags": {"del", "ins", "span"},
                "extra_attributes": {"del": {"class"}, "ins": {"class"}, "span": {"class"}}}


class _Tokens(HTMLParser):
    """Splits sanitised HTML into its tags and its words. A word is (the elements around it, the
    word); a link's address counts as part of its element, so a word that became bold, or a link
    that points somewhere else, differs from before even when the letters are the same."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []  # (None, tag as HTML) or (context, word)
        self._open: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.items.append((None, _start_tag(tag, attrs)))
        if tag not in _VOID_TAGS:
            self._open.append((tag, dict(attrs).get("href")))

    def handle_startendtag(self, tag, attrs):
        self.items.append((None, _start_tag(tag, attrs)))

    def handle_endtag(self, tag):
        if tag in _VOID_TAGS:
            return
        self.items.append((None, format_html("</{}>", tag)))
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                break

    def handle_data(self, data):
        context = tuple(self._open)
        self.items.extend((context, word) for word in _TOKEN.findall(data))


def _start_tag(tag: str, attrs) -> SafeString:
    return format_html("<{}{}>", tag, _join(format_html(' {}="{}"', name, value or "") for name, value in attrs))


class _Block:
    """One top-level block of a Markdown text: its sanitised HTML, and its tags and words."""

    __slots__ = ("html", "items", "words")

    def __init__(self, html: SafeString):
        parser = _Tokens()
        parser.feed(html)
        parser.close()
        self.html = html
        self.items = parser.items
        self.words = [item for item in parser.items if item[0] is not None]


def _blocks(text: str) -> list[_Block]:
    # Stripping the newline after each block leaves sanitised HTML sanitised.
    return [_Block(mark_safe(html.strip())) for html in render_markdown_blocks(text)]  # noqa: S308


def _marked(block: _Block, changed: set[int], tag: str) -> SafeString:
    """The block's HTML with the words at the positions in `changed` inside <del> or <ins>. A tag
    between changed words splits the mark (so the HTML stays well nested), and only the first
    piece of such a run says the kind of change aloud."""
    parts, run, spaces = [], [], []
    announced = False  # the current run of changes has been spoken once already

    def close_run():
        nonlocal announced
        text = "".join(run)
        parts.append(_mark(tag, text, spoken=not announced))
        announced = announced or bool(text.strip())
        run.clear()

    position = 0
    for context, text in block.items:
        if context is None:  # a tag: ends the piece, not the run
            if run:
                close_run()
            parts.extend(escape(space) for space in spaces)
            spaces.clear()
            parts.append(text)
            continue
        if position in changed:
            run.extend(spaces)
            spaces.clear()
            run.append(text)
        elif run and not text.strip():
            spaces.append(text)  # joins the run if a changed word follows
        else:
            if run:
                close_run()
            parts.extend(escape(space) for space in spaces)
            spaces.clear()
            parts.append(escape(text))
            announced = announced and not text.strip()
        position += 1
    if run:
        close_run()
    parts.extend(escape(space) for space in spaces)
    return sanitise(_join(parts), **_DIFF_MARKUP)


def _whole_block(tag: str, block: _Block) -> SafeString:
    return sanitise(format_html('<{} class="diff-{} diff-block">{}{}</{}>', tag, tag, _spoken(tag), block.html, tag),
                    **_DIFF_MARKUP)


def _removed_block(block: _Block) -> Line:
    return Line(REMOVED, _whole_block("del", block), EMPTY)


def _added_block(block: _Block) -> Line:
    return Line(ADDED, EMPTY, _whole_block("ins", block))


def _pair_blocks(old: _Block, new: _Block) -> Line:
    if old.html == new.html:
        return Line(SAME, old.html, new.html)
    removed, added = set(), set()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old.words, new.words, autojunk=False).get_opcodes():
        if op != "equal":
            removed.update(range(i1, i2))
            added.update(range(j1, j2))
    return Line(CHANGED, _marked(old, removed, "del"), _marked(new, added, "ins"))


def diff_text(old: str, new: str) -> list[Line]:
    """Two Markdown texts block by block, each block rendered as the pages render it: an
    unchanged block on both sides, a changed one beside its old form with the differing words
    marked, a new or removed one marked whole."""
    a, b = _blocks(old), _blocks(new)
    lines = []
    matcher = difflib.SequenceMatcher(None, [block.html for block in a], [block.html for block in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            lines.extend(_pair_blocks(block, block) for block in a[i1:i2])
        else:
            lines.extend(_align(a[i1:i2], b[j1:j2]))
    return lines


# Blocks of a replaced stretch are put side by side only when they look alike (as difflib.Differ
# does); a comparison of every pair is quadratic, so big rewrites are simply shown in order.
_SIMILAR = 0.5
_MAX_PAIRS = 2500


def _similarity(old: _Block, new: _Block) -> float:
    a = [word for word in old.words if word[1].strip()]
    b = [word for word in new.words if word[1].strip()]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < _SIMILAR or matcher.quick_ratio() < _SIMILAR:
        return 0.0
    return matcher.ratio()


def _align(olds: list[_Block], news: list[_Block]) -> list[Line]:
    if not olds or not news:
        return [_removed_block(block) for block in olds] + [_added_block(block) for block in news]
    best, best_i, best_j = 0.0, 0, 0
    if len(olds) * len(news) <= _MAX_PAIRS:
        for i, old in enumerate(olds):
            for j, new in enumerate(news):
                if (ratio := _similarity(old, new)) > best:
                    best, best_i, best_j = ratio, i, j
    if best < _SIMILAR:
        # Nothing alike: the n-th old block beside the n-th new one, the rest removed or added.
        common = min(len(olds), len(news))
        return ([_pair_blocks(old, new) for old, new in zip(olds[:common], news[:common])]
                + [_removed_block(block) for block in olds[common:]]
                + [_added_block(block) for block in news[common:]])
    return (_align(olds[:best_i], news[:best_j]) + [_pair_blocks(olds[best_i], news[best_j])]
            + _align(olds[best_i + 1:], news[best_j + 1:]))


def _merged_keys(old_keys: list, new_keys: list) -> list:
    """The new order, with keys that only the old side has placed after their old predecessor."""
    in_new = set(new_keys)
    merged = list(new_keys)
    anchor = None  # the last key seen in the old order that also exists in the new one
    inserted_after: dict = {}
    for key in old_keys:
        if key in in_new:
            anchor = key
            continue
        position = 0 if anchor is None else merged.index(anchor) + 1
        position += inserted_after.get(anchor, 0)
        inserted_after[anchor] = inserted_after.get(anchor, 0) + 1
        merged.insert(position, key)
    return merged


def _keyed(old: list[tuple], new: list[tuple], *, show_same: bool = True) -> list[Line]:
    """Compares (key, text) items: same key on both sides is one row."""
    old_map, new_map = dict(old), dict(new)
    lines = []
    for key in _merged_keys([k for k, _text in old], [k for k, _text in new]):
        if key not in new_map:
            lines.append(_removed(old_map[key]))
        elif key not in old_map:
            lines.append(_added(new_map[key]))
        elif old_map[key] != new_map[key] or show_same:
            lines.append(_pair(old_map[key], new_map[key]))
    return lines


def _field(label, value) -> str:
    return f"{label}: {value}"


def _verbose(model, name) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _number(value, places: int = 2) -> str:
    return formats.number(value, places) or "–"


def _date(value) -> str:
    return formats.long_date(value) or "–"


def _lines_changed(lines: list[Line]) -> bool:
    return any(line.change != SAME for line in lines)


def _section(key: str, title: str, lines: list[Line]) -> SectionDiff:
    return SectionDiff(key=key, title=str(title), changed=_lines_changed(lines), lines=lines)


# Text sections ---------------------------------------------------------------------------------

def _section_header(section: dict) -> list[tuple]:
    items = [("title", _field(_("Titel"), section.get("title", "")))]
    if section.get("group"):
        items.append(("group", _field(_("Groep"), section["group"])))
    return items


def _text_section(old: dict | None, new: dict | None) -> SectionDiff:
    present = new or old
    if old is None:
        lines = [_added(text) for _key, text in _section_header(new)]
        lines += diff_text("", new.get("body") or "")
    elif new is None:
        lines = [_removed(text) for _key, text in _section_header(old)]
        lines += diff_text(old.get("body") or "", "")
    else:
        lines = _keyed(_section_header(old), _section_header(new), show_same=False)
        lines += diff_text(old.get("body", ""), new.get("body", ""))
    return _section(present["key"], present.get("title", ""), lines)


# Organisation profile --------------------------------------------------------------------------

def _profile_items(profile: dict) -> list[tuple]:
    groups, types = dict(TARGET_GROUPS), dict(CARE_TYPES)
    group_label = _verbose(OrganisationProfile, "target_groups")
    type_label = _verbose(OrganisationProfile, "care_types")
    intensity_label = _verbose(OrganisationProfile, "care_intensity")
    items = [(("group", key), _field(group_label, groups.get(key, key))) for key in profile.get("target_groups", [])]
    items += [(("type", key), _field(type_label, types.get(key, key))) for key in profile.get("care_types", [])]
    items += [(("intensity", name), _field(f"{intensity_label} {care_intensity_label(name)}", _number(residents, 0)))
              for name, residents in (profile.get("care_intensity") or {}).items()]
    return items


def _profile_section(old: dict, new: dict, title: str) -> SectionDiff:
    old_profile, new_profile = old.get("organisation_profile") or {}, new.get("organisation_profile") or {}
    lines = _keyed(_profile_items(old_profile), _profile_items(new_profile))
    lines += diff_text(old_profile.get("text", ""), new_profile.get("text", ""))
    return _section("profile", title, lines)


# Staffing --------------------------------------------------------------------------------------

def _staffing_fields() -> list[tuple[str, str, int]]:
    """(field, label, decimal places) for every figure of a staffing row."""
    fields = []
    for level in StaffingRow.LEVELS:
        fields.append((f"level{level}_fte", _verbose(StaffingRow, f"level{level}_fte"), 2))
        fields.append((f"level{level}_headcount", _verbose(StaffingRow, f"level{level}_headcount"), 0))
    for name in ("other_care_fte", "other_care_headcount", "treatment_fte", "treatment_headcount", "trainees",
                 "volunteers", "inflow", "outflow", "sickness_rate"):
        places = 2 if name.endswith("_fte") or name == "sickness_rate" else 0
        fields.append((name, _verbose(StaffingRow, name), places))
    return fields


def _row_key(row: dict):
    return row.get("location_id")


def _row_name(row: dict) -> str:
    return row.get("location") or _("Hele organisatie")


def _care_sum(row: dict) -> tuple[Decimal, int]:
    fte = sum((Decimal(str(row.get(f"level{n}_fte") or 0)) for n in StaffingRow.LEVELS), Decimal(0))
    fte += Decimal(str(row.get("other_care_fte") or 0))
    heads = sum(int(row.get(f"level{n}_headcount") or 0) for n in StaffingRow.LEVELS)
    heads += int(row.get("other_care_headcount") or 0)
    return fte, heads


def _care_summary(row: dict) -> str:
    fte, heads = _care_sum(row)
    return _("zorgpersoneel %(fte)s fte (%(headcount)s personen)") % {"fte": _number(fte), "headcount": _number(heads, 0)}


def _row_summary(row: dict) -> str:
    return _field(_row_name(row), _care_summary(row))


def _staffing_section(old: dict, new: dict, title: str) -> SectionDiff:
    old_staffing, new_staffing = old.get("staffing") or {}, new.get("staffing") or {}
    lines = []
    if old_staffing.get("reference_date") or new_staffing.get("reference_date"):
        date_label = _verbose(StaffingProfile, "reference_date")
        lines += _keyed([("date", _field(date_label, _date(old_staffing.get("reference_date"))))],
                        [("date", _field(date_label, _date(new_staffing.get("reference_date"))))])
    old_rows = {_row_key(r): r for r in old_staffing.get("rows", [])}
    new_rows = {_row_key(r): r for r in new_staffing.get("rows", [])}
    fields = _staffing_fields()
    for key in _merged_keys(list(old_rows), list(new_rows)):
        before, after = old_rows.get(key), new_rows.get(key)
        if after is None:
            lines.append(_removed(_row_summary(before)))
        elif before is None:
            lines.append(_added(_row_summary(after)))
        else:
            changed = [(label, places, name) for name, label, places in fields
                       if _number(before.get(name), places) != _number(after.get(name), places)]
            if not changed:
                lines.append(_pair(_row_summary(before), _row_summary(after)))
            for label, places, name in changed:
                prefix = f"{_row_name(after)} · {label}"
                lines.append(_pair(_field(prefix, _number(before.get(name), places)),
                                   _field(prefix, _number(after.get(name), places))))
    if old_staffing.get("rows") or new_staffing.get("rows"):
        total = _("Totaal")
        lines.append(_pair(_field(total, _care_summary(old_staffing.get("totals") or {})),
                           _field(total, _care_summary(new_staffing.get("totals") or {}))))
    lines += diff_text(old_staffing.get("note", ""), new_staffing.get("note", ""))
    return _section("staffing", title, lines)


# Improvement paragraphs ------------------------------------------------------------------------

def _action_summary(action: dict) -> str:
    statuses = dict(ImprovementAction.Status.choices)
    parts = [action.get("title", "")]
    if action.get("owner"):
        parts.append(_field(_verbose(ImprovementAction, "owner"), action["owner"]))
    if action.get("due_quarter"):
        parts.append(_field(_verbose(ImprovementAction, "due_quarter"), action["due_quarter"]))
    parts.append(_field(_verbose(ImprovementAction, "status"),
                        statuses.get(action.get("status"), action.get("status", ""))))
    return " · ".join(str(part) for part in parts)


def _action_details(action: dict) -> list[tuple]:
    """The other fields of an action; shown only where they differ."""
    sources = dict(ImprovementAction.Source.choices)
    details = []
    for name in ("goal", "measurable_result", "theme_key", "source", "source_note"):
        value = action.get(name) or ""
        if name == "source":
            value = sources.get(value, value)
        label = f"{action.get('title', '')} · {_verbose(ImprovementAction, name)}"
        details.append(((action.get("id"), name), _field(label, " ".join(str(value).split()) or "–")))
    return details


def _paragraph_section(location_id, old: dict | None, new: dict | None) -> SectionDiff:
    present = new or old
    title = _("Verbeterparagraaf %(location)s") % {"location": present.get("location", "")}
    if old is None or new is None:
        make = _added if old is None else _removed
        body = present.get("body") or ""
        lines = diff_text("", body) if old is None else diff_text(body, "")
        lines += [make(_action_summary(action)) for action in present.get("actions", [])]
        return _section(f"paragraph-{location_id}", title, lines)
    lines = diff_text(old.get("body", ""), new.get("body", ""))
    old_actions = {a.get("id"): a for a in old.get("actions", [])}
    new_actions = {a.get("id"): a for a in new.get("actions", [])}
    for key in _merged_keys(list(old_actions), list(new_actions)):
        before, after = old_actions.get(key), new_actions.get(key)
        if after is None:
            lines.append(_removed(_action_summary(before)))
        elif before is None:
            lines.append(_added(_action_summary(after)))
        else:
            lines.append(_pair(_action_summary(before), _action_summary(after)))
            lines += _keyed(_action_details(before), _action_details(after), show_same=False)
    return _section(f"paragraph-{location_id}", title, lines)


def _paragraph_sections(old: dict, new: dict) -> list[SectionDiff]:
    old_paragraphs = {p["location_id"]: p for p in old.get("improvement_paragraphs", [])}
    new_paragraphs = {p["location_id"]: p for p in new.get("improvement_paragraphs", [])}
    return [_paragraph_section(key, old_paragraphs.get(key), new_paragraphs.get(key))
            for key in _merged_keys(list(old_paragraphs), list(new_paragraphs))]


# The whole plan --------------------------------------------------------------------------------

def diff_snapshots(old: dict, new: dict) -> list[SectionDiff]:
    """One SectionDiff per part of the plan, in the order of the new version.

    Text sections are matched by key. The organisation profile, staffing and improvement
    paragraphs come from the snapshot's data and appear where the framework puts them (or at the
    end when neither version has such a section).
    """
    old_sections = {s["key"]: s for s in old.get("sections", [])}
    new_sections = {s["key"]: s for s in new.get("sections", [])}
    structural_titles = {}
    for section in [*old.get("sections", []), *new.get("sections", [])]:
        if section["kind"] not in FrameworkSection.TEXT_KINDS:
            structural_titles[section["kind"]] = section.get("title", "")  # the new title wins

    builders = {
        FrameworkSection.Kind.ORGANISATION_PROFILE: lambda: [_profile_section(
            old, new, structural_titles.get(FrameworkSection.Kind.ORGANISATION_PROFILE)
            or FrameworkSection.Kind.ORGANISATION_PROFILE.label)],
        FrameworkSection.Kind.STAFFING: lambda: [_staffing_section(
            old, new, structural_titles.get(FrameworkSection.Kind.STAFFING) or FrameworkSection.Kind.STAFFING.label)],
        FrameworkSection.Kind.IMPROVEMENT_PARAGRAPHS: lambda: _paragraph_sections(old, new),
    }
    result, done = [], set()
    for key in _merged_keys(list(old_sections), list(new_sections)):
        section = new_sections.get(key) or old_sections[key]
        kind = section["kind"]
        if kind in FrameworkSection.TEXT_KINDS:
            result.append(_text_section(old_sections.get(key), new_sections.get(key)))
        elif kind in builders and kind not in done:
            done.add(kind)
            result.extend(builders[kind]())
    for kind, build in builders.items():
        if kind not in done:
            result.extend(diff for diff in build() if diff.lines)
    return result
