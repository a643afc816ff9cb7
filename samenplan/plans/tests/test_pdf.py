"""PDF export of a frozen version: what a reader finds in it, and that plan texts cannot inject
anything active into it. Snapshots are built by hand in the shape of plans.snapshot, so these
tests need no database."""

import re
import shutil
import subprocess
import time
from datetime import UTC, datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from samenplan.plans.pdf import render_version_html, render_version_pdf

# Rendering from a snapshot reads no database: once per CI run is enough (pytest.ini).
pytestmark = pytest.mark.database_independent

SHA = "3f5a0c1e9b7d2468ace013579bdf2468ace013579bdf2468ace013579bdf2468"
CREATED_AT = datetime(2027, 3, 1, 13, 5, tzinfo=UTC)
XSS = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
]

THEMES = [
    ("persoonsgerichte-zorg", "Kwaliteit en veiligheid", "Persoonsgerichte zorg en ondersteuning"),
    ("wonen-en-welzijn", "Kwaliteit en veiligheid", "Wonen en welzijn"),
    ("veiligheid", "Kwaliteit en veiligheid", "Veiligheid"),
    ("leren-en-verbeteren", "Kwaliteit en veiligheid", "Leren en verbeteren van kwaliteit"),
    ("leiderschap", "Randvoorwaarden", "Leiderschap, governance en management"),
]
BODY = (
    "## Wat we willen bereiken\n\nBewoners bepalen zelf hoe hun dag eruitziet. We vragen elke bewoner "
    "bij de intake wat belangrijk is en schrijven dat op in het zorgleefplan.\n\n"
    "- elke maand een gesprek met de contactverzorgende\n- een vaste tafel bij het eten\n\n"
    "Zie ook [ons verslag](https://example.org/verslag)."
)


def staffing_row(location_id, name, seed):
    fte = {f"level{n}_fte": f"{Decimal(seed + n) + Decimal('0.25'):.2f}" for n in range(1, 6)}
    heads = {f"level{n}_headcount": seed + n + 2 for n in range(1, 6)}
    return {
        **fte, **heads, "other_care_fte": "3.50", "treatment_fte": "1.20", "other_care_headcount": 5,
        "treatment_headcount": 2, "trainees": 4, "volunteers": 12 + seed, "location_id": location_id,
        "location": name, "inflow": 3, "outflow": 2, "sickness_rate": "6.40",
    }


def totals(rows):
    fte_fields = [f"level{n}_fte" for n in range(1, 6)] + ["other_care_fte", "treatment_fte"]
    count_fields = [f"level{n}_headcount" for n in range(1, 6)] + [
        "other_care_headcount", "treatment_headcount", "trainees", "volunteers"]
    result = {f: f"{sum(Decimal(r[f]) for r in rows):.2f}" for f in fte_fields}
    result.update({f: sum(r[f] for r in rows) for f in count_fields})
    result["care_fte"] = f"{sum(Decimal(result[f]) for f in fte_fields if f != 'treatment_fte'):.2f}"
    result["care_headcount"] = sum(result[f] for f in count_fields[:6])
    return result


def make_snapshot(*, locations=2, actions_per_location=2, body=BODY, action_title=None):
    names = [f"Locatie {chr(65 + i % 26)}{i // 26 or ''} Lindehof" for i in range(locations)]
    names[0] = "De Linde"
    rows = [staffing_row(i + 1, name, i) for i, name in enumerate(names)]
    paragraphs = []
    for i, name in enumerate(names):
        actions = [{
            "id": i * 1000 + j, "title": action_title or f"Valpreventie training ronde {j + 1}",
            "goal": "Minder valincidenten op de afdeling.", "measurable_result": "Het aantal vallen daalt met 20%.",
            "theme_key": "veiligheid", "owner": "Teamleider zorg", "due_quarter": "2027-Q2",
            "status": "in_progress" if j % 2 else "planned", "source": "client_council", "source_note": "",
            "carried_over_from": {"id": 7, "year": 2026, "status": "in_progress"} if j == 0 else None,
        } for j in range(actions_per_location)]
        paragraphs.append({"location_id": i + 1, "location": name, "body": body, "actions": actions})
    return {
        "schema": 1,
        "plan": {"id": 1, "year": 2027,
                 "organisation": {"id": 1, "name": "Zorggroep De Linde", "kvk_number": "12345678"},
                 "framework": {"id": 1, "key": "kwaliteitskader-verpleeghuiszorg-2017",
                               "name": "Kwaliteitskader Verpleeghuiszorg", "version": "2017", "rules": {}}},
        "sections": [
            {"key": "profiel", "kind": "organisation_profile", "title": "Profiel van de organisatie", "group": "",
             "required": True, "body": ""},
            {"key": "personeel", "kind": "staffing", "title": "Personeelssamenstelling", "group": "",
             "required": True, "body": ""},
            *[{"key": key, "kind": "theme", "title": title, "group": group, "required": True, "body": body}
              for key, group, title in THEMES],
            {"key": "verbeterparagrafen", "kind": "improvement_paragraphs", "title": "Verbeterparagrafen per locatie",
             "group": "", "required": True, "body": ""},
            {"key": "begroting", "kind": "text", "title": "Begroting", "group": "", "required": False, "body": ""},
        ],
        "organisation_profile": {"target_groups": ["psychogeriatrie", "somatiek"], "care_types": ["vpt"],
                                 "care_intensity": {"VV5": 40, "VV7": 25}, "text": "Wij werken in de regio."},
        "staffing": {"reference_date": "2027-01-01", "note": "Cijfers uit het personeelssysteem.", "rows": rows,
                     "totals": totals(rows)},
        "locations": [{"id": i + 1, "name": name, "kvk_establishment_number": f"00000{i:04d}", "is_active": True,
                       "places": 60} for i, name in enumerate(names)],
        "improvement_paragraphs": paragraphs,
    }


def render_pdf(snapshot, **kwargs):
    return render_version_pdf(snapshot, version_number=3, sha256=SHA, created_at=CREATED_AT,
                              created_by="Anna de Vries", note="Voor de cliëntenraad", **kwargs)


def render_html(snapshot):
    return render_version_html(snapshot, version_number=3, sha256=SHA, created_at=CREATED_AT,
                               created_by="Anna de Vries", note="Voor de cliëntenraad")


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(pdf: bytes, tmp_path) -> int | None:
    if shutil.which("pdfinfo") is None:
        return None
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])


class ActiveContent(HTMLParser):
    """Collects what a browser or PDF reader could run: script-like tags, event handlers and
    javascript: addresses. Escaped text (&lt;script&gt;) is data to the parser, so it is not counted."""

    ACTIVE_TAGS = {"script", "svg", "img", "iframe", "object", "embed", "math", "link", "base", "form"}

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in self.ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "xlink:href"} and "javascript:" in "".join((value or "").split()).lower():
                self.found.append(f"{tag}[{name}={value}]")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (Debian package poppler-utils) is not installed")


def test_it_makes_a_pdf():
    assert render_pdf(make_snapshot()).startswith(b"%PDF")


@needs_pdftotext
def test_the_pdf_holds_cover_contents_and_plan(tmp_path):
    text = pdf_text(render_pdf(make_snapshot()), tmp_path)
    flat = " ".join(text.split())
    assert "Zorggroep De Linde" in flat
    assert "Kwaliteitsplan 2027" in flat
    assert "Versie 3" in flat
    assert SHA in re.sub(r"\s+", "", text)
    assert "Inhoudsopgave" in flat
    assert "De Linde" in flat
    assert "Valpreventie training ronde 1" in flat
    assert "overgenomen uit 2026" in flat
    assert "Anna de Vries" in flat


@needs_pdftotext
def test_every_field_of_an_action_and_the_staffing_figures_are_in_the_pdf(tmp_path):
    flat = " ".join(pdf_text(render_pdf(make_snapshot()), tmp_path).split())
    for field in ("2. Valpreventie training ronde 2", "Thema: Veiligheid.", "Doel: Minder valincidenten op de afdeling.",
                  "Meetbaar resultaat: Het aantal vallen daalt met 20%.", "Trekker: Teamleider zorg",
                  "Kwartaal: 2027-Q2", "Status: Bezig", "Bron: Inbreng van de cliëntenraad"):
        assert field in flat
    assert "3,25 / 5" in flat  # niveau 3 of De Linde: fte / persons in one cell


@needs_pdftotext
def test_the_table_of_contents_gives_page_numbers(tmp_path):
    text = pdf_text(render_pdf(make_snapshot()), tmp_path)
    toc = text.split("Inhoudsopgave", 1)[1].split("\f", 1)[0]
    assert re.search(r"Personeelssamenstelling[ .]+\d+", toc)
    assert re.search(r"De Linde[ .]+\d+", toc)


@needs_pdftotext
def test_every_page_after_the_cover_is_numbered(tmp_path):
    pdf = render_pdf(make_snapshot())
    pages = pdf_text(pdf, tmp_path).split("\f")
    count = len([page for page in pages if page.strip()])
    assert "pagina" not in pages[0]
    assert f"pagina 2 van {count}" in pages[1]
    assert "Zorggroep De Linde · Versie 3" in pages[1]


def formats_snapshot():
    """A plan with a figure in the thousands, a date at the end of the year and a group without staff."""
    snapshot = make_snapshot(locations=1, actions_per_location=1)
    row = snapshot["staffing"]["rows"][0]
    row.update(level1_fte="4.50", level2_fte="1234.50", level2_headcount=1500, level4_fte="0.00", level4_headcount=0)
    snapshot["staffing"]["totals"] = totals(snapshot["staffing"]["rows"])
    snapshot["staffing"]["reference_date"] = "2027-12-31"
    return snapshot


@needs_pdftotext
def test_the_pdf_shows_figures_and_dates_in_dutch(tmp_path):
    flat = " ".join(pdf_text(render_pdf(formats_snapshot()), tmp_path).split())
    assert "Peildatum: 31 december 2027." in flat
    assert "4,50 / 3" in flat  # niveau 1: fte / persons
    assert "1.234,50" in flat and "1.500" in flat  # a cell this wide may wrap after the slash
    assert "4.50" not in flat and "2027-12-31" not in flat
    assert "0,00 / 0" not in flat and "0.00" not in flat  # a group without staff shows a dash
    assert "Een streepje (–) betekent: geen." in flat
    assert "Vastgelegd op 1 maart 2027, 14:05" in flat  # 13:05 UTC, read in Amsterdam


@needs_pdftotext
def test_every_page_shows_the_short_hash_and_the_colophon_the_full_one(tmp_path):
    pages = [page for page in pdf_text(render_pdf(formats_snapshot()), tmp_path).split("\f") if page.strip()]
    assert "Vingerafdruk 3f5a0c1e9b7d" in " ".join(pages[0].split())  # the title page
    for number, page in enumerate(pages[1:], start=2):
        assert f"vingerafdruk {SHA[:12]} · pagina {number} van {len(pages)}" in " ".join(page.split())
    # The full value once, in the colophon on the last page, so anyone can check it.
    assert [i for i, page in enumerate(pages) if SHA in re.sub(r"\s+", "", page)] == [len(pages) - 1]
    colophon = " ".join(pages[-1].split())
    assert "Over dit document" in colophon and "Volledige vingerafdruk (SHA-256)" in colophon
    assert "Hiermee kunt u nagaan dat de tekst niet is veranderd" in colophon


def test_the_figures_follow_the_language_of_the_reader():
    from django.utils import translation

    with translation.override("en"):
        html = render_html(formats_snapshot())
    assert "1,234.50 / 1,500" in html and "4.50 / 3" in html
    assert "31 December 2027" in html
    html = render_html(formats_snapshot())
    assert "1.234,50 / 1.500" in html and "31 december 2027" in html


def test_care_intensity_codes_say_what_they_mean():
    snapshot = make_snapshot(locations=1, actions_per_location=0)
    snapshot["organisation_profile"]["care_intensity"] = {"VV4": 0, "VV5": 40, "VV7": 1250}
    html = render_html(snapshot)
    assert '<th scope="row">VV5 – Beschermd wonen met intensieve dementiezorg</th><td class="num">40</td>' in html
    assert "VV7 – Beschermd wonen met zeer intensieve zorg, nadruk op begeleiding</th><td class=\"num\">1.250</td>" in html
    assert "VV4" not in html  # no residents: no row
    assert '<th scope="row">Totaal</th><td class="num">1.290</td>' in html


def test_the_html_shows_labels_staffing_and_actions():
    html = render_html(make_snapshot())
    assert "Mensen met dementie (psychogeriatrie)" in html
    assert "Volledig pakket thuis (VPT)" in html
    assert "VV7" in html
    assert "1 januari 2027" in html
    assert "Teamleider zorg" in html and "2027-Q2" in html and "Bezig" in html
    assert "Inbreng van de cliëntenraad" in html
    assert "<h3>Wat we willen bereiken</h3>" in html  # Markdown rendered, one level down
    assert html.count('class="total"') == 3  # care intensity and both staffing tables


def test_a_section_opens_with_its_summary_for_the_councils():
    snapshot = make_snapshot(locations=1, actions_per_location=0)
    snapshot["sections"][2]["summary"] = "Bewoners eten samen.\nZe koken <b>zelf</b>."
    html = render_html(snapshot)
    assert ('<p class="summary-title">In het kort</p><p>Bewoners eten samen.<br>Ze koken &lt;b&gt;zelf&lt;/b&gt;.</p>'
            in html)
    assert html.count('class="summary-box"') == 1  # sections without a summary have no empty box


@pytest.mark.parametrize("payload", XSS)
def test_plan_text_never_becomes_active_content(payload):
    snapshot = make_snapshot(body=f"Tekst {payload} meer tekst\n\n{payload}", action_title=payload)
    snapshot["organisation_profile"]["text"] = payload
    snapshot["staffing"]["note"] = payload
    snapshot["plan"]["organisation"]["name"] = payload
    snapshot["sections"][2]["title"] = payload
    snapshot["sections"][2]["summary"] = payload
    snapshot["improvement_paragraphs"][0]["location"] = payload
    action = snapshot["improvement_paragraphs"][0]["actions"][0]
    action.update(goal=payload, measurable_result=payload, owner=payload, source_note=payload)
    html = render_html(snapshot)
    # onerror=/onload= may appear as escaped text; the parser checks that no tag has such an attribute.
    assert active_content(html) == []
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<svg" not in lowered
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", lowered)


def test_plan_text_is_shown_as_text():
    html = render_html(make_snapshot(body="<script>alert(1)</script>", action_title="<b>Vet</b> & zo"))
    assert "&lt;b&gt;Vet&lt;/b&gt; &amp; zo" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_rendering_fetches_nothing(monkeypatch):
    """A link or image address in a text must not be fetched while the PDF is made."""
    import urllib.request

    opened = []
    # WeasyPrint turns a fetch error into a warning, so the attempts are recorded, not raised.
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda self, url, *a, **k: opened.append(url))
    body = "![logo](https://example.org/logo.png) [link](https://example.org/) ![](file:///etc/passwd)"
    assert render_pdf(make_snapshot(body=body)).startswith(b"%PDF")
    assert opened == []


def test_a_large_plan_renders(tmp_path):
    """40 locations with 10 actions each; the time is printed (run with -s), not asserted."""
    snapshot = make_snapshot(locations=40, actions_per_location=10)
    started = time.perf_counter()
    pdf = render_pdf(snapshot)
    seconds = time.perf_counter() - started
    assert pdf.startswith(b"%PDF")
    pages = pdf_pages(pdf, tmp_path)
    print(f"\nPDF of 40 locations and 400 actions: {pages or '?'} pages, {len(pdf) // 1024} KiB, {seconds:.1f} s")
    assert pages is None or pages > 40


def test_the_active_content_check_finds_what_it_looks_for():
    found = active_content('<p>ok</p><img src=x onerror="alert(1)"><a href=" javascript:alert(1)">x</a><svg></svg>')
    assert found == ["<img>", "img[onerror]", "a[href= javascript:alert(1)]", "<svg>"]
    assert active_content("<p>&lt;svg onload=alert(1)&gt;</p>") == []


def test_a_new_plan_without_content_renders():
    snapshot = make_snapshot(locations=1, actions_per_location=0, body="")
    snapshot["staffing"] = {"reference_date": None, "note": "", "rows": [], "totals": {}}
    snapshot["organisation_profile"] = {"target_groups": [], "care_types": [], "care_intensity": {}, "text": ""}
    html = render_html(snapshot)
    assert "Er zijn nog geen cijfers ingevuld." in html
    assert "Voor deze locatie staan geen verbeteracties in het plan." in html
    assert render_pdf(snapshot).startswith(b"%PDF")
