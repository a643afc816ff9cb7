"""Bar charts as inline SVG, drawn on the server: each bar carries its number as text and a hatch
pattern with a dark outline, so the chart reads in black and white and without colour. The page
shows a table with the same figures beside every chart."""

from dataclasses import dataclass

WIDTH = 480
LABEL_HEIGHT = 20
BAR_HEIGHT = 20
ROW_GAP = 14
MAX_BAR = 400
MAX_LABEL = 48


@dataclass(frozen=True)
class Bar:
    label: str  # shortened to fit; the table beside the chart has it in full
    count: int
    label_y: int
    bar_y: int
    width: int
    count_x: int


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    height: int
    width: int = WIDTH


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1].rstrip() + "…"


def bar_chart(chart_id: str, rows, *, title: str, description: str) -> BarChart:
    """`rows`: objects with `label` and `count` (selectors.CountRow), drawn in the given order."""
    rows = list(rows)
    largest = max((row.count for row in rows), default=0) or 1
    bars, y = [], 0
    for row in rows:
        width = max(2, round(MAX_BAR * row.count / largest)) if row.count else 0
        bars.append(Bar(label=_short(row.label), count=row.count, label_y=y + 15, bar_y=y + LABEL_HEIGHT,
                        width=width, count_x=width + 8))
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    return BarChart(id=chart_id, title=title, description=description, bars=tuple(bars), height=max(y, 1))
