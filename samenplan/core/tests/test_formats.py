"""Numbers and dates as people read them (samenplan.core.formats and the template filters that call
it): Dutch by default, English when the reader chose English, never an error for odd input."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from samenplan.core.formats import is_none, long_date, number

# Formatting reads no database: once per CI run is enough (pytest.ini).
pytestmark = pytest.mark.database_independent


def render(source: str, **context) -> str:
    return Template("{% load samenplan %}" + source).render(Context(context))


# Numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("4.50", "4,50"),
    ("4.5", "4,50"),
    (Decimal("4.5"), "4,50"),
    (4, "4,00"),
    (0.1, "0,10"),
    ("0.00", "0,00"),
    ("1234.50", "1.234,50"),
    ("1234567.891", "1.234.567,89"),
    ("-12.5", "-12,50"),
])
def test_a_number_in_dutch_has_a_decimal_comma_and_a_thousands_dot(value, expected):
    assert number(value) == expected


def test_the_number_of_decimals_is_the_argument():
    assert number("4.567", 1) == "4,6"
    assert number(1500, 0) == "1.500"
    assert number(6, 0) == "6"
    assert number("12.00", 0) == "12"
    assert number("2.005") == "2,01" and number("0.125", 2) == "0,13"  # rounded half up, not cut off


def test_a_number_in_english_has_a_decimal_point_and_a_thousands_comma():
    with translation.override("en"):
        assert number("4.50") == "4.50"
        assert number("1234.5") == "1,234.50"
        assert number(1500, 0) == "1,500"


@pytest.mark.parametrize("empty", [None, ""])
def test_no_number_is_an_empty_string(empty):
    assert number(empty) == ""
    assert number(empty, 0) == ""


@pytest.mark.parametrize("odd", ["onbekend", "NaN", "Infinity", "4,50"])
def test_what_is_not_a_number_comes_back_unchanged(odd):
    assert number(odd) == odd


def test_none_is_empty_or_zero_but_not_text():
    for nothing in (None, "", 0, "0", "0.00", Decimal("0.00"), 0.0):
        assert is_none(nothing) is True, nothing
    for something in ("0.01", 1, "onbekend"):
        assert is_none(something) is False, something


# Dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2027-12-31", date(2027, 12, 31), datetime(2027, 12, 31, 10, 0)])
def test_a_date_in_dutch_is_day_month_name_year(value):
    assert long_date(value) == "31 december 2027"


def test_a_date_in_english():
    with translation.override("en"):
        assert long_date("2027-12-31") == "31 December 2027"
        assert long_date(date(2027, 3, 1)) == "1 March 2027"


def test_an_aware_moment_is_the_day_on_the_readers_clock():
    # 23:30 UTC on 31 December is already 1 January in Amsterdam (settings.TIME_ZONE).
    assert long_date(datetime(2027, 12, 31, 23, 30, tzinfo=UTC)) == "1 januari 2028"


def test_an_iso_moment_as_text_gives_its_day():
    assert long_date("2027-02-01T09:15:00") == "1 februari 2027"


@pytest.mark.parametrize("empty", [None, ""])
def test_no_date_is_an_empty_string(empty):
    assert long_date(empty) == ""


def test_text_that_is_not_a_date_comes_back_unchanged():
    assert long_date("volgend jaar") == "volgend jaar"
    assert long_date("2027-13-45") == "2027-13-45"


# The template filters --------------------------------------------------------------------------


def test_the_filters_in_a_template():
    html = render('{{ fte|nl_number }} · {{ people|nl_number:0 }} · {{ day|nl_date }}',
                  fte="1234.5", people=2500, day="2027-12-31")
    assert html == "1.234,50 · 2.500 · 31 december 2027"


def test_the_filters_follow_the_active_language():
    with translation.override("en"):
        html = render('{{ fte|nl_number }} · {{ day|nl_date }}', fte="4.5", day="2027-12-31")
    assert html == "4.50 · 31 December 2027"


def test_the_filters_leave_empty_values_empty():
    assert render("[{{ missing|nl_number }}][{{ missing|nl_date }}][{{ none|nl_number:0 }}]", none=None) == "[][][]"


def test_a_care_intensity_code_with_its_meaning():
    assert render('{{ "VV5"|care_profile }}') == "VV5 – Beschermd wonen met intensieve dementiezorg"
    assert render('{{ "VV9b"|care_profile }}') == "VV9b – Herstelgerichte behandeling met verpleging en verzorging"
    assert render('{{ "ZZP99"|care_profile }}') == "ZZP99"  # unknown: as stored


def test_nonzero_items_leaves_out_what_is_zero():
    assert render("{% for k, v in d|nonzero_items %}{{ k }}={{ v }};{% endfor %}",
                  d={"VV4": 0, "VV5": 40, "VV6": None, "VV7": 3}) == "VV5=40;VV7=3;"


def test_a_staffing_cell_says_what_it_counts():
    assert render("{% fte_and_people '4.50' 6 %}") == (
        '<span class="nowrap">4,50 fte</span> · <span class="nowrap">6 personen</span>')
    assert render("{% fte_and_people '1.00' 1 %}") == (
        '<span class="nowrap">1,00 fte</span> · <span class="nowrap">1 persoon</span>')
    assert render("{% fte_and_people None 1200 %}") == "1.200 personen"


def test_an_empty_staffing_cell_is_a_dash_read_out_as_none():
    for fte, people in (("'0.00'", "0"), ("None", "0"), ("''", "None")):
        html = render(f"{{% fte_and_people {fte} {people} %}}")
        assert html == '<span aria-hidden="true">—</span><span class="visually-hidden">geen</span>'
        assert "0,00" not in html and "0.00" not in html
