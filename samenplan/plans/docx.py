"""A frozen plan version as a Word file, with the structure of the PDF: title page, the plan in
short, every part of the plan in the framework's order, and a colophon with the fingerprint.

Made in the request, not by the worker as the PDF is: a 40-location plan with 400 actions takes
about 0.2 s (bench/plan.py prints the figure), where WeasyPrint needs seconds. So there is no
waiting page and nothing to store; the same snapshot always gives the same text.

The elements are written as WordprocessingML directly, not through python-docx's paragraph and
table objects: those look up every style by name and search the whole body for the place of
each new paragraph, which made the same plan take 2.6 s. python-docx still provides the package,
the styles (headings are Word's own Heading 1-4, so they show in the navigation pane), the
sections and the core properties.

Plan texts are Markdown. They are never turned into HTML here: the markdown-it tokens (the same
parser and options as samenplan.core.markdown, raw HTML off) are walked and written as Word
paragraphs, runs, lists and tables. Raw HTML typed into a text arrives as plain text, and only
http, https and mailto links become hyperlinks.
"""

import io
from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree

from samenplan.core import formats
from samenplan.core.markdown import _renderer as markdown_parser
from samenplan.frameworks.models import FrameworkSection

# The PDF's builders give the figures and labels exactly as the PDF shows them (Dutch numbers,
# dashes for none, the meaning of each care-intensity code); their *_html values are not used.
from .pdf import _paragraphs, _profile, _staffing

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LINK_SCHEMES = ("http://", "https://", "mailto:")
MONOSPACE = "DejaVu Sans Mono"
LINK_COLOUR = "0B4F7C"
# A4 with the PDF's margins; widths in twentieths of a point (dxa).
A4_WIDTH, A4_HEIGHT = Cm(21), Cm(29.7)
PORTRAIT_TEXT_WIDTH = 9638  # 17 cm
LANDSCAPE_TEXT_WIDTH = 15137  # 26.7 cm
SMALL = 17  # half-points: 8.5 pt


def filename(version) -> str:
    return f"kwaliteitsplan-{version.plan.year}-versie-{version.number}.docx"


def render_version_docx(snapshot: dict, *, version_number: int, sha256: str, created_at: datetime,
                        created_by: str, note: str = "") -> bytes:
    plan = snapshot.get("plan") or {}
    organisation = (plan.get("organisation") or {}).get("name", "")
    title = _("Kwaliteitsplan %(year)s") % {"year": plan.get("year", "")}
    version_label = _("Versie %(number)s") % {"number": version_number}
    document = Document()
    _set_language(document)
    properties = document.core_properties
    properties.title = f"{title} · {organisation} · {version_label}"
    properties.author = organisation
    properties.subject = title
    properties.keywords = sha256
    properties.comments = ""
    properties.language = _language_tag()
    properties.created = properties.modified = created_at
    writer = _Writer(document)
    writer.footer(f"{organisation} · {version_label} · {_('vingerafdruk')} {sha256[:12]}")
    writer.cover(snapshot, title=title, organisation=organisation, version_label=version_label,
                 sha256=sha256, created_at=created_at, created_by=created_by, note=note)
    writer.in_short(snapshot)
    for part in _parts(snapshot):
        writer.part(part, snapshot)
    writer.colophon(plan, organisation=organisation, version_number=version_number, sha256=sha256,
                    created_at=created_at, created_by=created_by)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _language_tag() -> str:
    # "nl" → "nl-NL", "en" → "en-GB": Word's spell checker and screen readers want a region.
    locale = to_locale(get_language() or "nl")
    if "_" not in locale:
        locale = {"nl": "nl_NL", "en": "en_GB"}.get(locale, locale)
    return locale.replace("_", "-")


def _set_language(document) -> None:
    """The document's default language, so Word checks the Dutch spelling and reads it aloud in Dutch."""
    lang = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if lang is not None:
        lang.set(qn("w:val"), _language_tag())


def _parts(snapshot: dict) -> list[dict]:
    """The plan in the framework's order, as plans.pdf._parts orders it: the profile, staffing and
    improvement paragraphs where the framework places them, or at the end when it does not."""
    parts, done = [], set()
    kinds = {FrameworkSection.Kind.ORGANISATION_PROFILE: "profile", FrameworkSection.Kind.STAFFING: "staffing",
             FrameworkSection.Kind.IMPROVEMENT_PARAGRAPHS: "paragraphs"}
    for section in snapshot.get("sections", []):
        kind = section.get("kind")
        if kind in FrameworkSection.TEXT_KINDS:
            parts.append({"kind": "text", "title": section.get("title", ""), "group": section.get("group", ""),
                          "body": section.get("body") or "", "summary": section.get("summary", "")})
        elif kind in kinds and kind not in done:
            done.add(kind)
            parts.append({"kind": kinds[kind], "title": section.get("title") or FrameworkSection.Kind(kind).label,
                          "group": section.get("group", "")})
    for kind, name in kinds.items():
        if kind in done:
            continue
        has_content = {
            "profile": lambda: any((snapshot.get("organisation_profile") or {}).get(k)
                                   for k in ("target_groups", "care_types", "care_intensity")),
            "staffing": lambda: (snapshot.get("staffing") or {}).get("rows"),
            "paragraphs": lambda: snapshot.get("improvement_paragraphs"),
        }[name]()
        if has_content:
            parts.append({"kind": name, "title": str(kind.label), "group": ""})
    return parts


# --- WordprocessingML -------------------------------------------------------------------------


def _el(parent, tag: str, **attributes):
    element = etree.SubElement(parent, qn(tag)) if parent is not None else etree.Element(qn(tag))
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _paragraph(style: str | None = None, *, align: str | None = None, keep_next: bool = False):
    p = etree.Element(qn("w:p"))
    if style or align or keep_next:
        properties = _el(p, "w:pPr")
        if style:
            _el(properties, "w:pStyle", val=style)
        if keep_next:
            _el(properties, "w:keepNext")
        if align:
            _el(properties, "w:jc", val=align)
    return p


def _run(parent, text: str, *, bold=False, italic=False, mono=False, size=None, colour=None, underline=False,
         break_after=False, page_break=False):
    """A run in its element order (rFonts, b, i, color, sz, u), text with its spaces kept."""
    r = _el(parent, "w:r")
    if bold or italic or mono or size or colour or underline:
        properties = _el(r, "w:rPr")
        if mono:
            _el(properties, "w:rFonts", ascii=MONOSPACE, hAnsi=MONOSPACE)
        if bold:
            _el(properties, "w:b")
        if italic:
            _el(properties, "w:i")
        if colour:
            _el(properties, "w:color", val=colour)
        if size:
            _el(properties, "w:sz", val=size)
        if underline:
            _el(properties, "w:u", val="single")
    if page_break:
        _el(r, "w:br", type="page")
    if text:
        t = _el(r, "w:t")
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    if break_after:
        _el(r, "w:br")
    return r


class _Writer:
    def __init__(self, document):
        self.document = document
        self.body = document.element.body
        # New blocks go before the body's own section properties, which stay last.
        self.end = self.body.find(qn("w:sectPr"))
        self.text_width = PORTRAIT_TEXT_WIDTH
        section = document.sections[0]
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
        for side in ("left_margin", "right_margin", "top_margin"):
            setattr(section, side, Cm(2))
        section.bottom_margin = Cm(2.2)

    def add(self, element):
        self.end.addprevious(element)
        return element

    def p(self, text: str = "", style: str | None = None, **run):
        paragraph = self.add(_paragraph(style))
        if text:
            _run(paragraph, text, **run)
        return paragraph

    def heading(self, text: str, level: int):
        paragraph = self.add(_paragraph("Title" if level == 0 else f"Heading{level}"))
        if text:
            _run(paragraph, text)
        return paragraph

    def page_break(self) -> None:
        _run(self.add(_paragraph()), "", page_break=True)

    def empty(self, text: str) -> None:
        self.p(text, italic=True)

    # --- Page furniture ---------------------------------------------------------------------

    def footer(self, text: str) -> None:
        paragraph = self.document.sections[0].footer.paragraphs[0]
        _run(paragraph._p, text, size=SMALL)

    def cover(self, snapshot, *, title, organisation, version_label, sha256, created_at, created_by, note):
        framework = (snapshot.get("plan") or {}).get("framework") or {}
        kvk = ((snapshot.get("plan") or {}).get("organisation") or {}).get("kvk_number")
        self.p(organisation, size=30)
        self.heading(title, 0)
        label = framework.get("name", "")
        if framework.get("version"):
            label += f" ({framework['version']})"
        self.p(label)
        self.p(version_label, bold=True, size=40)
        facts = [(_("Vastgelegd op"), _when(created_at), False), (_("Vastgelegd door"), created_by, False)]
        if note:
            facts.append((_("Notitie"), note, False))
        if kvk:
            facts.append((_("KvK-nummer"), kvk, False))
        facts.append((_("Vingerafdruk"), sha256[:12], True))
        for label, value, mono in facts:
            paragraph = self.p()
            _run(paragraph, f"{label}: ", bold=True)
            _run(paragraph, str(value), mono=mono)
        self.p(_("De vingerafdruk hoort bij precies deze versie van het plan en staat onder aan elke bladzijde. Wie "
                 "een andere tekst heeft, ziet een andere vingerafdruk. De volledige vingerafdruk staat achterin, bij "
                 "‘Over dit document’."), size=18)
        self.page_break()

    def in_short(self, snapshot) -> None:
        sections = snapshot.get("sections") or []
        has_summaries = any(s.get("summary") for s in sections)
        self.heading(_("Het plan in het kort") if has_summaries else _("Inhoud"), 1)
        if has_summaries:
            self.p(_("Per onderdeel staat hier in een paar zinnen wat erin staat."))
        for section in sections:
            paragraph = self.p(style="ListNumber")
            _run(paragraph, section.get("title", ""), bold=True, break_after=bool(section.get("summary")))
            if section.get("summary"):
                _run(paragraph, section["summary"])
        self.page_break()

    def colophon(self, plan, *, organisation, version_number, sha256, created_at, created_by) -> None:
        self.page_break()
        self.heading(_("Over dit document"), 1)
        self.p(_("Dit is versie %(number)s van het kwaliteitsplan %(year)s van %(organisation)s, zoals die in "
                 "Samenplan is vastgelegd. Deze versie verandert nooit meer.") % {
            "number": version_number, "year": plan.get("year", ""), "organisation": organisation})
        self.p(_("Vastgelegd op %(date)s door %(name)s.") % {"date": _when(created_at), "name": created_by})
        self.heading(_("Volledige vingerafdruk (SHA-256)"), 2)
        self.p(sha256, mono=True)
        self.p(_("Hiermee kunt u nagaan dat de tekst niet is veranderd: de versiepagina in Samenplan toont dezelfde "
                 "vingerafdruk. Is ook maar één teken in het plan anders, dan is de vingerafdruk heel anders. Onder "
                 "aan elke bladzijde staat het begin ervan."))

    # --- Parts ------------------------------------------------------------------------------

    def part(self, part: dict, snapshot: dict) -> None:
        if part["kind"] == "staffing":
            self._orientation(landscape=True)
        if part["group"]:
            self.p(part["group"].upper(), size=18, colour="333333")
        self.heading(part["title"], 1)
        getattr(self, f"_{part['kind']}")(part, snapshot)
        if part["kind"] == "staffing":
            self._orientation(landscape=False)

    def _orientation(self, *, landscape: bool) -> None:
        """Staffing tables have nine columns: they get pages of their own, turned sideways, as in the PDF."""
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (A4_HEIGHT, A4_WIDTH) if landscape else (A4_WIDTH, A4_HEIGHT)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(1.5 if landscape else 2))
        self.text_width = LANDSCAPE_TEXT_WIDTH if landscape else PORTRAIT_TEXT_WIDTH

    def _text(self, part, snapshot) -> None:
        if part["summary"]:
            self._summary_box(part["summary"])
        if part["body"].strip():
            self.markdown(part["body"])
        else:
            self.empty(_("Dit onderdeel is niet ingevuld."))

    def _summary_box(self, summary: str) -> None:
        """"In het kort" in a framed box of one cell, as the PDF's summary box."""
        table, _grid = self._table_element([self.text_width])
        cell = self._cell(_el(table, "w:tr"), self.text_width)
        _run(_el(cell, "w:p"), _("In het kort"), bold=True)
        for line in summary.splitlines():
            if line.strip():
                _run(_el(cell, "w:p"), line.strip())
        self.add(table)
        self.p()

    def _profile(self, part, snapshot) -> None:
        profile = _profile(snapshot)
        raw = snapshot.get("organisation_profile") or {}
        for heading, labels in ((_("Doelgroepen"), profile["target_groups"]),
                                (_("Soorten zorg"), profile["care_types"])):
            self.heading(heading, 2)
            if not labels:
                self.empty(_("Niet ingevuld."))
            for label in labels:
                self.p(str(label), "ListBullet")
        self.heading(_("Zorgzwaarte"), 2)
        if profile["care_intensity"]:
            rows = [[name, residents] for name, residents in profile["care_intensity"]]
            rows.append([_("Totaal"), profile["residents"]])
            self.table([_("Zorgzwaartepakket"), _("Aantal bewoners")], rows, numeric={1}, total_last=True)
        else:
            self.empty(_("Niet ingevuld."))
        if profile["locations"]:
            self.heading(_("Locaties"), 2)
            rows = [[loc.get("name", "") + ("" if loc.get("is_active", True) else f" ({_('gesloten')})"),
                     "–" if loc.get("places") is None else formats.number(loc["places"], 0),
                     loc.get("kvk_establishment_number") or "–"] for loc in profile["locations"]]
            self.table([_("Locatie"), _("Aantal plaatsen"), _("KvK-vestigingsnummer")], rows, numeric={1})
        if (raw.get("text") or "").strip():
            self.heading(_("Toelichting"), 2)
            self.markdown(raw["text"])

    def _staffing(self, part, snapshot) -> None:
        staffing = _staffing(snapshot)
        date = staffing["reference_date"] or _("niet ingevuld")
        self.p(f"{_('Peildatum')}: {date}. {_('Per groep staat eerst het aantal fte, dan het aantal personen.')} "
               f"{_('Een streepje (–) betekent: geen.')}")
        if staffing["rows"]:
            rows = [*staffing["rows"], staffing["totals"]]
            headers = [_("Locatie"), *[_("Niveau %(level)s") % {"level": n} for n in range(1, 6)],
                       _("Overig zorgpersoneel"), _("Behandelaars"), _("Zorgpersoneel totaal")]
            self.table(headers, [[r["name"], *r["groups"], r["care"]] for r in rows], numeric=set(range(1, 9)),
                       total_last=True, caption=f"{_('Zorgpersoneel en behandelaars per locatie')} "
                                                f"({_('fte')} / {_('pers.')})", small=True)
            self.p(_("Zorgpersoneel totaal: niveau 1 tot en met 5 en overig zorgpersoneel, zonder behandelaars."))
            headers = [_("Locatie"), _("Leerlingen en stagiairs"), _("Vrijwilligers"), _("Instroom (personen)"),
                       _("Uitstroom (personen)"), _("Ziekteverzuim (%)")]
            self.table(headers, [[r["name"], r["trainees"], r["volunteers"], r["inflow"], r["outflow"],
                                  r["sickness_rate"]] for r in rows], numeric=set(range(1, 6)), total_last=True,
                       caption=_("Leerlingen, vrijwilligers, in- en uitstroom en verzuim per locatie"), small=True)
        else:
            self.empty(_("Er zijn nog geen cijfers ingevuld."))
        note = (snapshot.get("staffing") or {}).get("note") or ""
        if note.strip():
            self.heading(_("Toelichting"), 2)
            self.markdown(note)

    def _paragraphs(self, part, snapshot) -> None:
        bodies = [p.get("body") or "" for p in snapshot.get("improvement_paragraphs", [])]
        paragraphs = _paragraphs(snapshot)
        if not paragraphs:
            self.empty(_("Er zijn nog geen verbeterparagrafen."))
        headers = [_("Verbeteractie"), _("Thema"), _("Doel"), _("Meetbaar resultaat"), _("Trekker"),
                   _("Kwartaal"), _("Status"), _("Bron")]
        for paragraph, body in zip(paragraphs, bodies, strict=True):
            self.heading(paragraph["location"], 2)
            if body.strip():
                self.markdown(body)
            if not paragraph["actions"]:
                self.empty(_("Voor deze locatie staan geen verbeteracties in het plan."))
                continue
            rows = []
            for number, action in enumerate(paragraph["actions"], start=1):
                title = f"{number}. {action.get('title', '')}"
                if action["carried_over_year"]:
                    title += f" ({_('overgenomen uit %(year)s') % {'year': action['carried_over_year']}})"
                source = action["source_label"] + (f": {action['source_note']}" if action.get("source_note") else "")
                rows.append([title, action["theme"] or "–", action.get("goal") or "–",
                             action.get("measurable_result") or "–", action.get("owner") or "–",
                             action.get("due_quarter") or "–", action["status_label"], source])
            self.table(headers, rows, caption=_("Verbeteracties %(location)s") % {"location": paragraph["location"]},
                       small=True, widths=[22, 10, 16, 16, 11, 8, 8, 9])

    # --- Tables -----------------------------------------------------------------------------

    def _table_element(self, widths: list[int]):
        table = etree.Element(qn("w:tbl"))
        properties = _el(table, "w:tblPr")
        _el(properties, "w:tblStyle", val="TableGrid")
        _el(properties, "w:tblW", w=sum(widths), type="dxa")
        _el(properties, "w:tblLook", val="04A0", firstRow=1, lastRow=0, firstColumn=1, lastColumn=0, noHBand=0,
            noVBand=1)
        grid = _el(table, "w:tblGrid")
        for width in widths:
            _el(grid, "w:gridCol", w=width)
        return table, grid

    def _cell(self, row, width: int):
        cell = _el(row, "w:tc")
        _el(_el(cell, "w:tcPr"), "w:tcW", w=width, type="dxa")
        return cell

    def table(self, headers, rows, *, numeric=frozenset(), total_last=False, caption="", small=False, widths=None):
        """A table whose first row is a header row that Word repeats on every page the table runs onto."""
        if caption:
            _run(self.add(_paragraph("Caption", keep_next=True)), caption)
        shares = widths or [1] * len(headers)
        widths = [self.text_width * share // sum(shares) for share in shares]
        table, _grid = self._table_element(widths)
        size = SMALL if small else None
        for row_index, values in enumerate([headers, *rows]):
            row = _el(table, "w:tr")
            is_header = row_index == 0
            if is_header:
                _el(_el(row, "w:trPr"), "w:tblHeader")
            is_total = total_last and row_index == len(rows)
            for index, (value, width) in enumerate(zip(values, widths, strict=True)):
                cell = self._cell(row, width)
                paragraph = _el(cell, "w:p")
                if index in numeric:
                    _el(_el(paragraph, "w:pPr"), "w:jc", val="right")
                _run(paragraph, str(value), bold=is_header or is_total or (index == 0 and bool(numeric)), size=size)
        self.add(table)
        self.p()
        return table

    # --- Markdown ---------------------------------------------------------------------------

    def markdown(self, text: str) -> None:
        tokens = markdown_parser.parse(text or "", {})
        lists: list[bool] = []  # the open lists, innermost last: ordered or not
        quote = 0
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                # Plan texts' headings sit below the part's own (Heading 1), as on the page.
                self.inline(self.heading("", min(int(token.tag[1]) + 1, 4)), tokens[index + 1])
                index += 3
                continue
            if kind in {"bullet_list_open", "ordered_list_open"}:
                lists.append(kind == "ordered_list_open")
            elif kind in {"bullet_list_close", "ordered_list_close"}:
                lists.pop()
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "paragraph_open":
                self.inline(self.p(style=_paragraph_style(lists, quote)), tokens[index + 1])
                index += 3
                continue
            elif kind in {"fence", "code_block"}:
                paragraph = self.p()
                lines = token.content.rstrip("\n").split("\n")
                for n, line in enumerate(lines):
                    _run(paragraph, line, mono=True, break_after=n < len(lines) - 1)
            elif kind == "table_open":
                index = self._markdown_table(tokens, index)
                continue
            elif kind == "hr":
                self.p("―" * 10)
            index += 1

    def _markdown_table(self, tokens, index) -> int:
        rows, header_rows, in_head = [], 0, False
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                rows.append([])
                header_rows += in_head
            elif token.type == "inline":
                rows[-1].append(token)
            index += 1
        if rows:
            columns = max(len(r) for r in rows)
            widths = [self.text_width // columns] * columns
            table, _grid = self._table_element(widths)
            for row_index, cells in enumerate(rows):
                row = _el(table, "w:tr")
                if row_index < header_rows:
                    _el(_el(row, "w:trPr"), "w:tblHeader")
                for column, width in enumerate(widths):
                    paragraph = _el(self._cell(row, width), "w:p")
                    if column < len(cells):
                        self.inline(paragraph, cells[column], bold=row_index < header_rows)
            self.add(table)
            self.p()
        return index + 1

    def inline(self, paragraph, token, *, bold=False) -> None:
        """The runs of one inline token: text, bold, italic, code, line breaks and links."""
        strong = emphasis = 0
        target = paragraph
        for child in token.children or []:
            kind = child.type
            if kind == "strong_open":
                strong += 1
            elif kind == "strong_close":
                strong -= 1
            elif kind == "em_open":
                emphasis += 1
            elif kind == "em_close":
                emphasis -= 1
            elif kind == "link_open":
                href = str(child.attrs.get("href") or "")
                if href.lower().startswith(LINK_SCHEMES):
                    target = self._hyperlink(paragraph, href)
            elif kind == "link_close":
                target = paragraph
            elif kind in {"text", "code_inline", "html_inline", "image"}:
                linked = target is not paragraph
                _run(target, child.content, bold=bold or bool(strong), italic=bool(emphasis),
                     mono=kind == "code_inline", colour=LINK_COLOUR if linked else None, underline=linked)
            elif kind == "softbreak":
                _run(target, " ")
            elif kind == "hardbreak":
                _run(target, "", break_after=True)

    def _hyperlink(self, paragraph, href: str):
        relationship = self.document.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = _el(paragraph, "w:hyperlink")
        link.set(qn("r:id"), relationship)
        return link


def _paragraph_style(lists: list[bool], quote: int) -> str | None:
    if lists:
        depth = min(len(lists), 3)
        name = "ListNumber" if lists[-1] else "ListBullet"
        return name if depth == 1 else f"{name}{depth}"
    return "Quote" if quote else None


def _when(value) -> str:
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{formats.long_date(local)}, {local:%H:%M}"
    return formats.long_date(value)
