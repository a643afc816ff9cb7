"""The staffing comparison as a server-rendered SVG: one stacked bar per organisation, FTE per
place by qualification level. Each level has its own pattern as well as its own shade, the legend
names them, and every bar carries its total as text, so the chart reads without colour; the page
shows the same figures in a table beside it."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LEVELS = [
    ("level1_fte", gettext_lazy("Niveau 1")),
    ("level2_fte", gettext_lazy("Niveau 2")),
    ("level3_fte", gettext_lazy("Niveau 3")),
    ("level4_fte", gettext_lazy("Niveau 4")),
    ("level5_fte", gettext_lazy("Niveau 5")),
    ("other_care_fte", gettext_lazy("Overig zorgpersoneel")),
]

# Shade and pattern per level: dark enough against white (3:1 for graphics, WCAG 1.4.11).
_FILLS = ["#1b4f72", "#2e6b30", "#6c3483", "#7b4a12", "#8c1c3b", "#444444"]
_PATTERNS = [
    '<path d="M0 8 L8 0" stroke="#fff" stroke-width="1.5"/>',  # diagonal
    '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',  # dots
    '<path d="M0 4 H8" stroke="#fff" stroke-width="1.5"/>',  # horizontal
    '<path d="M4 0 V8" stroke="#fff" stroke-width="1.5"/>',  # vertical
    '<path d="M0 0 L8 8 M8 0 L0 8" stroke="#fff" stroke-width="1.2"/>',  # crosses
    "",  # plain
]

LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT, TOP, RIGHT = 230, 380, 30, 20, 70


def _defs() -> str:
    parts = []
    for n, (fill, pattern) in enumerate(zip(_FILLS, _PATTERNS, strict=True)):
        parts.append(f'<pattern id="staffing-level-{n}" width="8" height="8" patternUnits="userSpaceOnUse">'
                     f'<rect width="8" height="8" fill="{fill}"/>{pattern}</pattern>')
    return "<defs>" + "".join(parts) + "</defs>"


def _short(name: str, limit: int = 30) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def staffing_chart(lines) -> str:
    """SVG markup (safe) for the lines of selectors.staffing_comparison, or "" without figures."""
    shown = [line for line in lines if line.version is not None and line.places]
    if not shown:
        return ""
    widest = max((line.total_per_place or Decimal(0)) for line in shown) or Decimal(1)
    legend_top = TOP + len(shown) * ROW_HEIGHT + 20
    height = legend_top + 30 * ((len(LEVELS) + 2) // 3) + 10
    width = LABEL_WIDTH + BAR_WIDTH + RIGHT
    parts = [
        format_html('<svg class="chart staffing-chart" role="img" viewBox="0 0 {} {}" width="100%" '
                    'aria-labelledby="staffing-chart-title staffing-chart-desc" xmlns="http://www.w3.org/2000/svg">',
                    width, height),
        format_html('<title id="staffing-chart-title">{}</title>', _("Fte per plaats, per organisatie en per niveau")),
        format_html('<desc id="staffing-chart-desc">{}</desc>',
                    _("Per organisatie een balk. De balk is opgebouwd uit de niveaus 1 tot en met 5 en overig "
                      "zorgpersoneel, elk met een eigen patroon. Achter de balk staat het totaal aantal fte per "
                      "plaats. De tabel onder de grafiek geeft dezelfde cijfers.")),
        mark_safe(_defs()),
    ]
    for row, line in enumerate(shown):
        y = TOP + row * ROW_HEIGHT
        parts.append(format_html('<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>',
                                 LABEL_WIDTH - 8, y + 15, _short(line.organisation.name)))
        x = Decimal(LABEL_WIDTH)
        for n, (key, label) in enumerate(LEVELS):
            value = line.per_place.get(key) or Decimal(0)
            if value <= 0:
                continue
            w = value / widest * BAR_WIDTH
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="20" fill="url(#staffing-level-{})" stroke="#fff">'
                '<title>{}</title></rect>',
                f"{x:.1f}", y, f"{w:.1f}", n,
                _("%(organisation)s, %(level)s: %(value)s fte per plaats") % {
                    "organisation": line.organisation.name, "level": label, "value": number_format(value, 2)}))
            x += w
        parts.append(format_html('<text x="{}" y="{}" class="chart-value">{}</text>', f"{x + 6:.1f}", y + 15,
                                 number_format(line.total_per_place or 0, 2)))
    for n, (_key, label) in enumerate(LEVELS):
        lx = 10 + (n % 3) * 230
        ly = legend_top + (n // 3) * 30
        parts.append(format_html(
            '<rect x="{}" y="{}" width="20" height="16" fill="url(#staffing-level-{})" stroke="#000"/>'
            '<text x="{}" y="{}" class="chart-legend">{}</text>', lx, ly, n, lx + 28, ly + 13, label))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


