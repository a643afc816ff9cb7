"""The Word file of a frozen version: the structure of the PDF, real headings and repeating table
headers, Dutch figures, plan texts that cannot carry anything active, and the download."""

import io
import zipfile

import pytest
from docx import Document

from samenplan.core.tests.world import login
from samenplan.plans.docx import CONTENT_TYPE, render_version_docx

from .test_pdf import CREATED_AT, SHA, make_snapshot

BODY = ("## Wat we doen\n\nBewoners eten **samen** en gaan *elke dag* naar buiten. Zie "
        "[het verslag](https://example.org/verslag) en [dit](javascript:alert(1)).\n\n"
        "- vaste tafel\n- tuin open\n\n| Wat | Wanneer |\n|---|---|\n| Koken | maandag |\n\n<script>alert(1)</script>")


def render(snapshot=None, **kwargs):
    snapshot = snapshot or make_snapshot(body=BODY)
    return render_version_docx(snapshot, version_number=3, sha256=SHA, created_at=CREATED_AT,
                               created_by="Anna de Vries", note="Voor de cliëntenraad", **kwargs)


def xml_of(content: bytes, name="word/document.xml") -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read(name).decode()


@pytest.mark.database_independent
def test_the_word_file_holds_title_page_parts_and_colophon():
    document = Document(io.BytesIO(render()))
    texts = [p.text for p in document.paragraphs]
    assert "Zorggroep De Linde" in texts and "Kwaliteitsplan 2027" in texts and "Versie 3" in texts
    assert f"Vingerafdruk: {SHA[:12]}" in texts
    assert SHA in texts  # the colophon's full fingerprint
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Inhoud") in headings
    assert ("Heading 1", "Veiligheid") in headings
    assert ("Heading 1", "Over dit document") in headings
    assert ("Heading 2", "De Linde") in headings  # a location's improvement paragraph
    assert ("Heading 3", "Wat we doen") in headings  # a heading in the plan text


def test_the_plan_in_short_lists_each_section_with_its_summary():
    snapshot = make_snapshot()
    snapshot["sections"][2]["summary"] = "Iedereen eet samen."
    document = Document(io.BytesIO(render(snapshot)))
    texts = [p.text for p in document.paragraphs]
    assert "Het plan in het kort" in texts
    assert any("Iedereen eet samen." in t for t in texts)
    assert any(cell.text.startswith("In het kort") for table in document.tables for cell in table.rows[0].cells)


def test_tables_have_a_repeating_header_row_and_dutch_figures():
    document = Document(io.BytesIO(render()))
    staffing = next(t for t in document.tables if t.rows[0].cells[0].text == "Locatie"
                    and t.rows[0].cells[1].text == "Niveau 1")
    assert staffing.rows[1].cells[1].text == "1,25 / 3"
    assert staffing.rows[-1].cells[0].text == "Totaal"
    for table in document.tables:
        if len(table.rows) > 1:
            assert table.rows[0]._tr.trPr is not None and "tblHeader" in table.rows[0]._tr.trPr.xml
    actions = next(t for t in document.tables if t.rows[0].cells[0].text == "Verbeteractie")
    assert actions.rows[1].cells[0].text.startswith("1. Valpreventie training ronde 1 (overgenomen uit 2026)")


def test_markdown_becomes_bold_italic_lists_tables_and_safe_links():
    content = render()
    document = Document(io.BytesIO(content))
    runs = [r for p in document.paragraphs for r in p.runs]
    assert any(r.text == "samen" and r.bold for r in runs)
    assert any(r.text == "elke dag" and r.italic for r in runs)
    assert any(p.style.name == "List Bullet" and p.text == "vaste tafel" for p in document.paragraphs)
    assert any(t.rows[0].cells[0].text == "Wat" and t.rows[1].cells[0].text == "Koken" for t in document.tables)
    relations = xml_of(content, "word/_rels/document.xml.rels")
    assert "https://example.org/verslag" in relations
    assert "javascript" not in relations.lower()
    # Raw HTML is text, never markup.
    assert "<script>" not in xml_of(content)
    assert any("<script>alert(1)</script>" in p.text for p in document.paragraphs)


def test_core_properties_name_the_plan_in_dutch():
    document = Document(io.BytesIO(render()))
    properties = document.core_properties
    assert properties.title == "Kwaliteitsplan 2027 · Zorggroep De Linde · Versie 3"
    assert properties.language == "nl-NL"
    assert 'w:val="nl-NL"' in xml_of(render(), "word/styles.xml")


def test_a_large_plan_is_made_quickly_enough_for_a_request():
    import time

    snapshot = make_snapshot(locations=40, actions_per_location=10, body=BODY)
    started = time.perf_counter()
    render(snapshot)
    assert time.perf_counter() - started < 2


@pytest.mark.django_db
def test_a_reader_of_the_version_downloads_the_word_file(world, client):
    login(client, world.people["council_member"])
    response = client.get(f"/versies/{world.version.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="kwaliteitsplan-2027-versie-2.docx"'
    assert Document(io.BytesIO(response.content)).core_properties.title.startswith("Kwaliteitsplan 2027")


@pytest.mark.django_db
def test_the_api_gives_the_word_file_and_a_stranger_a_404(world, client):
    login(client, world.people["quality"])
    response = client.get(f"/api/v1/versions/{world.version.pk}/docx")
    assert response.status_code == 200 and response["Content-Type"] == CONTENT_TYPE
    login(client, world.people["outsider"])
    assert client.get(f"/api/v1/versions/{world.version.pk}/docx").status_code == 404


@pytest.mark.django_db
def test_the_version_page_offers_the_word_file(world, client):
    login(client, world.people["quality"])
    page = client.get(f"/versies/{world.version.pk}/").content.decode()
    assert f"/versies/{world.version.pk}/docx/" in page and "Download als Word-bestand" in page


@pytest.mark.database_independent
def test_the_word_file_has_the_same_parts_in_the_same_order_as_the_pdf():
    import html
    import re

    from samenplan.plans.pdf import render_version_html

    snapshot = make_snapshot(body=BODY)
    page = render_version_html(snapshot, version_number=3, sha256=SHA, created_at=CREATED_AT,
                               created_by="Anna de Vries", note="Voor de cliëntenraad")
    pdf_parts = [html.unescape(title) for title in
                 re.findall(r'<section class="part[^"]*" id="[^"]*">\s*(?:<p class="part-group">.*?</p>\s*)?'
                            r"<h2>(.*?)</h2>", page, re.S)]
    document = Document(io.BytesIO(render(snapshot)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    # The Word file opens with its contents and closes with the colophon; in between, the parts.
    assert headings[0] in ("Inhoud", "Het plan in het kort") and headings[-1] == "Over dit document"
    assert len(pdf_parts) >= 4
    assert headings[1:-1] == pdf_parts
