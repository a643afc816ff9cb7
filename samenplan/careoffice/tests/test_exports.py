"""The region overview as CSV and XLSX, read back."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samenplan.core.tests.world import login

from .region import grow_region, set_deadline

pytestmark = pytest.mark.shared_world

YEAR = timezone.localdate().year


def _export(client, world, **query):
    response = client.get(reverse("careoffice:portal_export", args=[world.care_office.pk]), {"year": YEAR, **query})
    assert response.status_code == 200
    return response


def test_the_csv_opens_in_dutch_excel_and_holds_the_filtered_rows(world, client):
    grow_region(world, 6, year=YEAR)
    set_deadline(world, YEAR, timezone.localdate() - timedelta(days=1))
    login(client, world.people["care_office"])
    response = _export(client, world, format="csv", late="on")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Organisatie" and rows[0][4] == "Stand van zaken"
    names = {row[0]: row for row in rows[1:]}
    assert "Regio-organisatie 003 adopted" in names
    assert "Regio-organisatie 004 submitted" not in names
    assert names["Regio-organisatie 003 adopted"][5] == "ja"
    assert "Locatie 003-0" in names["Regio-organisatie 003 adopted"][3]


def test_the_xlsx_holds_the_same_rows_as_the_page(world, client):
    grow_region(world, 6, year=YEAR)
    login(client, world.people["care_office"])
    response = _export(client, world, format="xlsx", state="submitted")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Organisatie"
    assert [r[0] for r in rows[1:]] == ["Regio-organisatie 004 submitted"]
    assert rows[1][4] == "Ingediend" and rows[1][7] == 1


def test_a_cell_that_looks_like_a_formula_is_kept_as_text(world, client):
    world.organisation.name = "=HYPERLINK(\"x\")"
    world.organisation.save()
    login(client, world.people["care_office"])
    rows = list(csv.reader(io.StringIO(_export(client, world, format="csv").content.decode("utf-8-sig")),
                           delimiter=";"))
    assert any(row[0] == "'=HYPERLINK(\"x\")" for row in rows)


def test_an_unknown_format_is_a_404(world, client):
    login(client, world.people["care_office"])
    response = client.get(reverse("careoffice:portal_export", args=[world.care_office.pk]), {"format": "pdf"})
    assert response.status_code == 404
