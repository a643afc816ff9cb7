"""What in a signal's text looks like personal data: phone numbers, e-mail addresses, BSN-like
numbers and names after "meneer"/"mevrouw". The giver is warned and chooses to change the text or
send it anyway (DOMAIN rule 24: a signal is anonymised before it goes any further).

Pure functions of the text: no database, cheap enough for every public POST.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    fragment: str  # the part of the text that looks personal, as typed


KINDS = {
    "email": _("een e-mailadres"),
    "phone": _("een telefoonnummer"),
    "bsn": _("een burgerservicenummer (BSN)"),
    "name": _("een naam"),
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Dutch numbers: 10 digits starting with 0, or +31/0031 and 9 digits; spaces and dashes allowed.
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)31[\s-]?(?:\(0\)[\s-]?)?|0)(?:[\s-]?\d){9}(?!\d)")
# Nine digits, possibly grouped with dots or spaces (123.456.782); the 11-test decides.
_NINE_DIGITS = re.compile(r"(?<![\d.,])\d(?:[.\s]?\d){8}(?![\d]|[.,]\d)")
_PARTICLES = r"(?:(?:van|de|der|den|ter|ten|te|het|'t|la|le|du)\s+)*"
_NAME = re.compile(
    r"\b(?i:meneer|mevrouw|mijnheer|dhr\.?|mevr\.?|mw\.?|dokter|zuster)\s+"
    + _PARTICLES + r"([A-ZÀ-ÖØ-Þ][\w'-]+)"
)


def _passes_eleven_test(digits: str) -> bool:
    if len(digits) != 9 or digits == "0" * 9:
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def find_personal_data(text: str) -> list[Finding]:
    """Each fragment that looks personal, in the order of the text, at most once per fragment."""
    found: list[tuple[int, Finding]] = []
    remaining = text
    for kind, pattern in (("email", _EMAIL), ("phone", _PHONE)):
        for match in pattern.finditer(remaining):
            found.append((match.start(), Finding(kind, match.group(0).strip())))
        # A found number is not looked at again as a BSN.
        remaining = pattern.sub(lambda m: " " * len(m.group(0)), remaining)
    for match in _NINE_DIGITS.finditer(remaining):
        if _passes_eleven_test(re.sub(r"\D", "", match.group(0))):
            found.append((match.start(), Finding("bsn", match.group(0))))
    for match in _NAME.finditer(remaining):
        found.append((match.start(), Finding("name", match.group(0))))
    seen, result = set(), []
    for _position, finding in sorted(found, key=lambda item: item[0]):
        if finding not in seen:
            seen.add(finding)
            result.append(finding)
    return result


def kinds_found(findings: list[Finding]) -> list[str]:
    """The kinds in plain words ("een telefoonnummer"), each once, for a sentence."""
    kinds = []
    for finding in findings:
        label = str(KINDS[finding.kind])
        if label not in kinds:
            kinds.append(label)
    return kinds
