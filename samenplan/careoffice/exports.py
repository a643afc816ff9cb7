"""The region overview as CSV and XLSX, with the same filters as the page.

CSV uses ";" and starts with a UTF-8 BOM, which is what Dutch Excel needs to open it with the
columns and the accents right. XLSX is written in openpyxl's write-only mode, row by row.
"""

import csv
import io

from django.utils.translation import gettext as _

from .selectors import mark_rows, with_locations

CHUNK = 500


def headers() -> list[str]:
    return [_("Organisatie"), _("Regio"), _("Locaties"), _("Namen van de locaties"), _("Stand van zaken"),
            _("Te laat"), _("Ingediend op"), _("Ingediende versie"), _("Aandachtspunten bij indienen")]


def _rows(queryset, deadline):
    # In chunks, so a national export holds one chunk of organisations in memory at a time.
    chunk = []
    for organisation in queryset.iterator(chunk_size=CHUNK):
        chunk.append(organisation)
        if len(chunk) == CHUNK:
            yield from _lines(chunk, deadline)
            chunk = []
    if chunk:
        yield from _lines(chunk, deadline)


def _lines(chunk, deadline):
    for row in mark_rows(with_locations(chunk), deadline):
        yield [row.name, row.region.name, row.location_count,
               ", ".join(location.name for location in row.active_location_list), str(row.state_label),
               _("ja") if row.is_late else _("nee"),
               row.submitted_at.date().isoformat() if row.submitted_at else "",
               row.submitted_number or "", row.warning_count if row.warning_count is not None else ""]


def _safe(value):
    # A cell starting with = + - @ would be a formula to a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def overview_csv(queryset, deadline) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers())
    for line in _rows(queryset, deadline):
        writer.writerow([_safe(v) for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def overview_xlsx(queryset, deadline, *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Overzicht")
    sheet.append(headers())
    for line in _rows(queryset, deadline):
        sheet.append([_safe(v) for v in line])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
