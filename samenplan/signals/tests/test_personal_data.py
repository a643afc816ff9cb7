"""The check for personal data in a signal's text: each kind is found, plain text is left alone."""

import pytest

from samenplan.signals.personal_data import find_personal_data, kinds_found

pytestmark = pytest.mark.database_independent


@pytest.mark.parametrize(("text", "kind", "fragment"), [
    ("Bel mij terug op 06-12345678 alstublieft.", "phone", "06-12345678"),
    ("Mijn nummer is 0344 612 345, bel gerust.", "phone", "0344 612 345"),
    ("Bereikbaar via +31 6 1234 5678.", "phone", "+31 6 1234 5678"),
    ("Mail mij op jan.pieters@example.nl over de kamer.", "email", "jan.pieters@example.nl"),
    ("Zijn BSN is 111222333, staat in het dossier.", "bsn", "111222333"),
    ("Nummer 123.456.782 hoort bij mijn moeder.", "bsn", "123.456.782"),
    ("Mevrouw de Vries kreeg haar eten koud.", "name", "Mevrouw de Vries"),
    ("Ik heb het aan meneer Jansen gevraagd.", "name", "meneer Jansen"),
    ("Dhr. Bakker zat de hele dag alleen.", "name", "Dhr. Bakker"),
    ("Vraag het mevr. van den Berg maar.", "name", "mevr. van den Berg"),
])
def test_each_kind_of_personal_data_is_found(text, kind, fragment):
    findings = find_personal_data(text)
    assert [(f.kind, f.fragment) for f in findings] == [(kind, fragment)]


@pytest.mark.parametrize("text", [
    "In 2025 was het in kamer 12 vaak koud, vooral om 14.30 uur.",
    "Kamer 104 en 105 delen een badkamer sinds 2024-2025.",
    "Op 12-03-2025 om 10:00 was er niemand op de afdeling.",
    "De meneer van de koffie is altijd vriendelijk.",
    "Er wonen 123 mensen en 45 medewerkers werken hier 3 dagen per week.",
    "Het kost 123456789 euro, zei de krant.",  # nine digits that fail the 11-test
])
def test_plain_text_with_years_times_and_room_numbers_gives_no_warning(text):
    assert find_personal_data(text) == []


def test_several_findings_are_named_once_per_kind_in_plain_words():
    findings = find_personal_data("Bel 06-12345678 of 06-87654321, of mail a@b.nl.")
    assert [f.kind for f in findings] == ["phone", "phone", "email"]
    assert kinds_found(findings) == ["een telefoonnummer", "een e-mailadres"]
