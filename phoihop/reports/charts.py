"""Charts of the coordination report: PNGs for the DOCX (matplotlib) and plotly figure specs for
the web preview. Both are drawn from the same `ChartData`, read off the `Report`: no figure is
computed here.

- Trend: the headline figures of the report (the first count of each section, at most six) for
  the same period of the previous year, the previous period and the period itself — one small
  panel per figure, each on its own scale, so that 3.429 opinions and 01 arrest both read.
- Cases by category and by force: the crime section's breakdown figures, whose keys are
  `cases.category.<category>` and `cases.lead_force.<force code>` (figures.py).

matplotlib draws with DejaVu Sans, which it bundles and which carries every Vietnamese letter; it
is used through `matplotlib.figure.Figure` (no pyplot state), so rendering is safe in threads and
tasks. The plotly specs are plain dicts (`{"data": [...], "layout": {...}}`) that plotly.js draws
as they are; `layout.separators` makes plotly print `3.429` and `11,09`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from phoihop.core import formats
from phoihop.reports.document import Figure, FigureKind, Number, Report, format_value

# Bars: the period itself stands out; the comparisons are quieter.
COLOR_LAST_YEAR = "#9bb7d4"
COLOR_PREVIOUS = "#5b8cc0"
COLOR_CURRENT = "#a5222a"
FORCE_COLORS = {"CA": "#1f5f3a", "QS": "#6b7a2a", "BP": "#1d4f8c"}
BAR_COLOR = "#a5222a"

CATEGORY_PREFIX = "cases.category."
FORCE_PREFIX = "cases.lead_force."
TREND_LIMIT = 6
DPI = 150
FONT = "DejaVu Sans"
# Width of the text block of an A4 page with 30 mm and 15 mm margins, in inches.
TEXT_WIDTH_IN = 165 / 25.4


@dataclass
class Bar:
    label: str
    value: Number
    text: str  # the value as the report writes it
    color: str = BAR_COLOR


@dataclass
class Panel:
    """One small chart: a figure's bars, or one breakdown."""

    title: str
    bars: list[Bar]


@dataclass
class ChartData:
    key: str  # "trend" | "cases_by_category_force"
    title: str
    panels: list[Panel] = field(default_factory=list)


@dataclass
class ChartImage:
    key: str
    title: str
    png: bytes
    width_in: float
    height_in: float


# --- what the charts show (read off the report)


def period_labels(report: Report) -> tuple[str, str, str]:
    """(same period last year, previous period, this period) as short Vietnamese labels."""
    from phoihop.indicators.periods import Period

    period = Period.parse(report.period_key)
    return (
        _cap(period.same_period_last_year.label),
        _cap(period.previous.label),
        _cap(period.label),
    )


def trend_data(report: Report) -> ChartData | None:
    """The headline count of each section across the three periods; None when no figure has
    a comparison to show."""
    last_year_label, previous_label, current_label = period_labels(report)
    panels = []
    shown: set[str] = set()
    for section in report.sections:
        headline = next(
            (
                f
                for f in section.figures
                if f.kind is FigureKind.COUNT
                and f.key not in shown
                and not _is_breakdown(f)
                and (f.previous is not None or f.last_year is not None)
            ),
            None,
        )
        if headline is None:
            continue
        shown.add(headline.key)
        bars = []
        if headline.last_year is not None:
            bars.append(_bar(headline, last_year_label, headline.last_year, COLOR_LAST_YEAR))
        if headline.previous is not None:
            bars.append(_bar(headline, previous_label, headline.previous, COLOR_PREVIOUS))
        bars.append(_bar(headline, current_label, headline.value, COLOR_CURRENT))
        panels.append(Panel(title=_panel_title(headline), bars=bars))
        if len(panels) == TREND_LIMIT:
            break
    if not panels:
        return None
    return ChartData(
        key="trend",
        title=_("Kết quả chủ yếu %(period)s so với kỳ trước và cùng kỳ năm trước")
        % {"period": report.period_label},
        panels=panels,
    )


def cases_data(report: Report) -> ChartData | None:
    """Cases by category and by lead force; None when the report has no such breakdown."""
    by_category = [f for f in report.figures() if f.key.startswith(CATEGORY_PREFIX)]
    by_force = [f for f in report.figures() if f.key.startswith(FORCE_PREFIX)]
    panels = []
    if by_category:
        panels.append(
            Panel(
                title=_("Theo lĩnh vực"),
                bars=[_bar(f, f.label, f.value, BAR_COLOR) for f in by_category],
            )
        )
    if by_force:
        panels.append(
            Panel(
                title=_("Theo lực lượng chủ trì"),
                bars=[
                    _bar(
                        f,
                        f.label,
                        f.value,
                        FORCE_COLORS.get(f.key.removeprefix(FORCE_PREFIX), BAR_COLOR),
                    )
                    for f in by_force
                ],
            )
        )
    if not panels:
        return None
    return ChartData(
        key="cases_by_category_force",
        title=_("Số vụ phát hiện, bắt giữ, xử lý %(period)s theo lĩnh vực và lực lượng")
        % {"period": report.period_label},
        panels=panels,
    )


def chart_data(report: Report) -> list[ChartData]:
    return [c for c in (trend_data(report), cases_data(report)) if c is not None]


# --- PNG (DOCX)


def render_png(chart: ChartData) -> ChartImage:
    """The chart as a PNG sized for the text block of an A4 page."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure as MplFigure

    if chart.key == "trend":
        columns = min(3, len(chart.panels))
        rows = -(-len(chart.panels) // columns)
        width, height = TEXT_WIDTH_IN, 2.6 * rows + 0.3
    else:
        columns, rows = len(chart.panels), 1
        longest = max(len(p.bars) for p in chart.panels)
        width, height = TEXT_WIDTH_IN, max(2.6, 0.34 * longest + 1.2)

    with rc_context(
        {
            "font.family": FONT,
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "none",
        }
    ):
        figure = MplFigure(figsize=(width, height), dpi=DPI, layout="constrained")
        axes = figure.subplots(rows, columns, squeeze=False)
        for index, panel in enumerate(chart.panels):
            ax = axes[index // columns][index % columns]
            if chart.key == "trend":
                _draw_columns(ax, panel)
            else:
                _draw_horizontal(ax, panel)
        for index in range(len(chart.panels), rows * columns):
            axes[index // columns][index % columns].set_visible(False)
        buffer = io.BytesIO()
        # No "Software" stamp: the same report gives the same bytes.
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return ChartImage(
        key=chart.key, title=chart.title, png=buffer.getvalue(), width_in=width, height_in=height
    )


def render_pngs(report: Report) -> list[ChartImage]:
    return [render_png(chart) for chart in chart_data(report)]


def _draw_columns(ax: Any, panel: Panel) -> None:
    positions = list(range(len(panel.bars)))
    values = [float(b.value) for b in panel.bars]
    ax.bar(positions, values, color=[b.color for b in panel.bars], width=0.6)
    top = max(values) if values and max(values) > 0 else 1.0
    ax.set_ylim(0, top * 1.22)
    for x, bar in zip(positions, panel.bars, strict=True):
        ax.text(x, float(bar.value) + top * 0.03, bar.text, ha="center", va="bottom", fontsize=7)
    ax.set_xticks(positions, [_wrap(b.label, 12) for b in panel.bars], fontsize=6.5)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_title(_wrap(panel.title, 30), fontsize=7.5, fontweight="bold")


def _draw_horizontal(ax: Any, panel: Panel) -> None:
    bars = list(reversed(panel.bars))  # first listed on top
    positions = list(range(len(bars)))
    values = [float(b.value) for b in bars]
    ax.barh(positions, values, color=[b.color for b in bars], height=0.6)
    top = max(values) if values and max(values) > 0 else 1.0
    ax.set_xlim(0, top * 1.18)
    for y, bar in zip(positions, bars, strict=True):
        ax.text(float(bar.value) + top * 0.02, y, bar.text, va="center", fontsize=7)
    ax.set_yticks(positions, [_wrap(b.label, 28) for b in bars], fontsize=7)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.set_title(panel.title, fontsize=8.5, fontweight="bold")


# --- plotly (web preview)


def plotly_figure(chart: ChartData) -> dict[str, Any]:
    """A plotly figure as a plain dict: one subplot per panel, bars labelled the Vietnamese way."""
    count = len(chart.panels)
    horizontal = chart.key != "trend"
    columns = count if horizontal else min(3, count)
    rows = -(-count // columns)
    gap = 0.08
    data: list[dict[str, Any]] = []
    layout: dict[str, Any] = {
        "title": {"text": chart.title, "font": {"size": 15}},
        "separators": ",.",  # decimal mark, then thousands: 3.429 and 11,09
        "showlegend": False,
        "height": (320 if horizontal else 280) * rows + 60,
        "margin": {"l": 60, "r": 20, "t": 70, "b": 40},
        "font": {"family": "Times New Roman, DejaVu Sans, sans-serif"},
        "annotations": [],
    }
    for index, panel in enumerate(chart.panels):
        n = index + 1
        suffix = "" if n == 1 else str(n)
        row, column = index // columns, index % columns
        x0 = column / columns + (gap / 2 if column else 0)
        x1 = (column + 1) / columns - (gap / 2 if column < columns - 1 else 0)
        y1 = 1 - row / rows - (gap / 2 if row else 0)
        y0 = 1 - (row + 1) / rows + (gap if row < rows - 1 else 0)
        labels = [b.label for b in panel.bars]
        values = [_plain(b.value) for b in panel.bars]
        trace: dict[str, Any] = {
            "type": "bar",
            "name": panel.title,
            "text": [b.text for b in panel.bars],
            "textposition": "outside",
            "hovertemplate": "%{text}<extra></extra>",
            "marker": {"color": [b.color for b in panel.bars]},
            "xaxis": f"x{suffix}",
            "yaxis": f"y{suffix}",
        }
        if horizontal:
            trace.update({"orientation": "h", "x": values, "y": labels})
        else:
            trace.update({"x": labels, "y": values})
        data.append(trace)
        layout[f"xaxis{suffix}"] = {"domain": [x0, x1], "anchor": f"y{suffix}"}
        layout[f"yaxis{suffix}"] = {"domain": [y0, y1], "anchor": f"x{suffix}"}
        if horizontal:
            layout[f"xaxis{suffix}"]["showticklabels"] = False
            layout[f"yaxis{suffix}"]["autorange"] = "reversed"
            layout[f"yaxis{suffix}"]["automargin"] = True
        else:
            layout[f"yaxis{suffix}"]["showticklabels"] = False
        layout["annotations"].append(
            {
                "text": f"<b>{panel.title}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": (x0 + x1) / 2,
                "y": y1,
                "yanchor": "bottom",
                "xanchor": "center",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    return {"data": data, "layout": layout}


def plotly_figures(report: Report) -> list[dict[str, Any]]:
    """Every chart of the report for the web preview: `{"key", "title", "figure"}`; the figure
    is JSON-serialisable as it is (`json.dumps`)."""
    return [
        {"key": chart.key, "title": chart.title, "figure": plotly_figure(chart)}
        for chart in chart_data(report)
    ]


# --- helpers


def _is_breakdown(figure: Figure) -> bool:
    return figure.key.startswith((CATEGORY_PREFIX, FORCE_PREFIX))


def _bar(figure: Figure, label: str, value: Number, color: str) -> Bar:
    """A bar labelled with its value alone (`3.429`, `11,09`): the unit is in the panel's
    title, and plain numbers read better on a chart than the zero-padded counts of the text."""
    if figure.kind is FigureKind.COUNT:
        text = formats.number(int(value), max_decimals=0)
    else:
        text = format_value(value, figure.kind)
    return Bar(label=label, value=value, text=text, color=color)


def _panel_title(figure: Figure) -> str:
    return f"{figure.label} ({figure.unit})" if figure.unit else figure.label


def _plain(value: Number) -> int | float:
    return float(value) if isinstance(value, Decimal) else int(value)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _wrap(text: str, width: int) -> str:
    """Break a label into lines of about `width` characters at spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return "\n".join(lines)
