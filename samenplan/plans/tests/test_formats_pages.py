"""What a council member reads on the version, diff and plan pages: Dutch figures and dates, the
fingerprint short with the full value on request, care-intensity codes explained, Markdown rendered
in the diff."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from samenplan.core.tests.world import login
from samenplan.plans import services

pytestmark = pytest.mark.shared_world


def text_of(page: str) -> str:
    """The page as a reader sees it: no tags, entities read, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split()).replace(" ,", ",").replace(" .", ".")


def version_with_figures(world):
    quality = world.people["quality"]
    services.update_profile(plan=world.plan, by=quality, target_groups=["psychogeriatrie"], care_types=[],
                            care_intensity={"VV5": 40, "VV7": 1, "VV8": 0}, text="")
    services.update_staffing(plan=world.plan, by=quality, reference_date=date(2027, 12, 31), note="Uit **AFAS**.",
                             rows=[{"location": world.location, "level1_fte": Decimal("1234.50"),
                                    "level1_headcount": 1500, "level3_fte": Decimal("4.50"), "level3_headcount": 6,
                                    "volunteers": 12}])
    services.update_section(plan=world.plan, key="wonen-en-welzijn", base_revision=1, by=quality,
                            body="Bewoners eten **samen**. Wie wil, gaat *elke dag* naar buiten.")
    version = services.freeze_version(plan=world.plan, by=quality, note="Met cijfers")
    services.share_version_with_councils(version=version, by=quality)
    return version


def get(client, url, language=None) -> str:
    if language:  # as with the switch in the footer, which also saves it in the person's profile
        client.post(reverse("core:set_language"), {"language": language})
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_version_page_shows_the_short_hash_and_the_full_one_on_request(world, client):
    version = version_with_figures(world)
    login(client, world.people["council_member"])
    page = get(client, reverse("plans:version", args=[version.pk]))
    assert f'<code class="hash">{version.short_hash}</code>' in page
    assert len(version.short_hash) == 12
    details = page.split('<details class="fingerprint">', 1)[1].split("</details>", 1)[0]
    assert "<summary>Volledige vingerafdruk</summary>" in details
    assert version.sha256 in details
    assert page.count(version.sha256) == 1  # the full value only inside the details
    assert "Hiermee kunt u nagaan dat de tekst niet is veranderd." in page
    assert "Vingerafdruk (SHA-256)" not in page


def test_the_version_page_shows_figures_and_dates_in_dutch(world, client):
    version = version_with_figures(world)
    login(client, world.people["council_member"])
    read = text_of(get(client, reverse("plans:version", args=[version.pk])))
    assert "peildatum 31 december 2027" in read
    assert "1.234,50 fte · 1.500 personen" in read
    assert "4,50 fte · 6 personen" in read
    assert "12 personen" in read  # volunteers: a count
    assert "0.00" not in read and "0,00 fte" not in read and "2027-12-31" not in read
    assert "— geen" in read  # an empty group: a dash, read out as "geen"
    assert "Uit AFAS." in read  # the staffing note, rendered


def test_the_version_page_explains_care_intensity_codes(world, client):
    version = version_with_figures(world)
    login(client, world.people["council_member"])
    read = text_of(get(client, reverse("plans:version", args=[version.pk])))
    assert "VV5 – Beschermd wonen met intensieve dementiezorg: 40 bewoners" in read
    assert "VV7 – Beschermd wonen met zeer intensieve zorg, nadruk op begeleiding: 1 bewoner" in read
    assert "VV8" not in read  # nobody with that profile


def test_the_version_page_in_english_has_english_figures(world, client):
    version = version_with_figures(world)
    login(client, world.people["council_member"])
    read = text_of(get(client, reverse("plans:version", args=[version.pk]), language="en"))
    assert "1,234.50 FTE" in read and "4.50 FTE" in read
    assert "31 December 2027" in read
    assert "4,50" not in read


def test_the_diff_renders_markdown_and_shows_both_fingerprints(world, client):
    version = version_with_figures(world)
    login(client, world.people["council_member"])
    page = get(client, reverse("plans:version_diff", args=[version.pk]) + f"?met={world.version.pk}")
    wonen = page.split('id="diff-wonen-en-welzijn"', 1)[1].split("</section>", 1)[0]
    assert "**" not in wonen and "*elke" not in wonen
    assert "<strong>" in wonen and "<em>" in wonen
    assert 'toegevoegd: </span>samen</ins></strong>' in wonen
    for shown in (world.version, version):
        assert f'<code class="hash">{shown.short_hash}</code>' in page
        assert page.count(shown.sha256) == 1
    read = text_of(page)
    assert "Vingerafdruk van versie 2" in read and f"Vingerafdruk van versie {version.number}" in read
    assert "Peildatum: toegevoegd: 31 december 2027" in read  # the staffing changes, in Dutch
    assert "De Linde: zorgpersoneel 1.239,00 fte (1.506 personen)" in read


def test_the_consent_request_shows_the_fingerprint_with_the_full_one_on_request(world, client):
    login(client, world.people["council_member"])
    page = get(client, reverse("consent:request", args=[world.consent_request.pk]))
    assert f'<code class="hash">{world.version.short_hash}</code>' in page
    assert "<summary>Volledige vingerafdruk</summary>" in page and world.version.sha256 in page


def test_the_plan_page_shows_staffing_totals_in_dutch(world, client):
    version_with_figures(world)
    login(client, world.people["quality"])
    read = text_of(get(client, reverse("plans:detail", args=[world.plan.pk])))
    assert "1.506 zorgmedewerkers, samen 1.239,00 fte (op basis van 36 uur)." in read


def test_a_plan_without_staffing_figures_says_so(world, client):
    login(client, world.people["quality"])
    read = text_of(get(client, reverse("plans:detail", args=[world.plan.pk])))
    assert "Er zijn nog geen personeelscijfers ingevuld." in read
    assert "0 zorgmedewerkers" not in read


def test_the_profile_form_labels_each_code_with_its_meaning(world, client):
    login(client, world.people["quality"])
    page = get(client, reverse("plans:profile", args=[world.plan.pk]))
    assert '<label for="id_zzp_VV5">VV5 – Beschermd wonen met intensieve dementiezorg:</label>' in page
    assert "VV10 – Beschermd verblijf met intensieve palliatief-terminale zorg:</label>" in page
