"""Charts as server-rendered SVG: no script, no inline style, no external file, so the admin's strict
Content-Security-Policy holds. Each picture names itself (role="img", <title>, <desc>) and is shown beside
a table of the same numbers. Pure functions: values in, markup out; every label is escaped."""
from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Colours that keep 3:1 contrast on white and differ for the common colour-vision deficiencies.
PALETTE = ["#1f5f99", "#2e7d32", "#b3261e", "#8a5a00", "#6a3d9a"]
FONT = 'font-family="system-ui, sans-serif" font-size="11"'
_ids = count(1)


def _frame(*, title: str, desc: str, width: int, height: int, body: SafeString, css: str) -> SafeString:
    n = next(_ids)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart {}" role="img" viewBox="0 0 {} {}" width="{}" '
        'height="{}" aria-labelledby="chart-{}-title chart-{}-desc"><title id="chart-{}-title">{}</title>'
        '<desc id="chart-{}-desc">{}</desc>{}</svg>',
        css, width, height, width, height, n, n, n, title, n, desc, body)


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = "#333") -> SafeString:
    return format_html('<text x="{}" y="{}" text-anchor="{}" fill="{}" {}>{}</text>',
                       f"{x:.1f}", f"{y:.1f}", anchor, fill, mark_safe(FONT), text)


def bar_chart(*, title: str, labels: Sequence[str], values: Sequence[float | None], max_value: float | None = None,
              value_format: str = "{:g}", colour: str = PALETTE[0]) -> SafeString:
    """Horizontal bars, one a row, the value written at the end of each bar."""
    label_width, bar_width, row = 190, 260, 20
    top = max([v for v in values if v is not None] + [max_value or 0, 0]) or 1
    height = max(row * len(labels), row) + 6
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        y = 3 + i * row
        shown = "—" if value is None else value_format.format(value)
        length = 0 if value is None else bar_width * value / top
        parts.append(_text(label_width - 6, y + 13, label[:32], anchor="end"))
        parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                                 label_width, y + 3, f"{length:.1f}", row - 6, colour))
        parts.append(_text(label_width + length + 4, y + 13, shown))
    desc = "; ".join(f"{label}: {'no data' if v is None else value_format.format(v)}"
                     for label, v in zip(labels, values, strict=False))
    return _frame(title=title, desc=desc or "No data.", width=label_width + bar_width + 60, height=height,
                  body=format_html_join("", "{}", ((p,) for p in parts)), css="chart-bars")


def column_chart(*, title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> SafeString:
    """Grouped vertical columns: one group a category (a week), one column a series, with a legend."""
    left, bottom, plot_height, legend = 34, 34, 150, 22
    group = max(7 * len(series) + 6, 30)
    width = left + group * len(categories) + 10
    top = max([v for _, values in series for v in values] + [1])
    parts = [format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>', left, legend + plot_height,
                         width - 6, legend + plot_height),
             _text(left - 4, legend + 8, f"{top:g}", anchor="end"),
             _text(left - 4, legend + plot_height, "0", anchor="end")]
    for s, (name, _) in enumerate(series):
        x = left + s * 92
        parts.append(format_html('<rect x="{}" y="4" width="10" height="10" fill="{}"/>', x, PALETTE[s % len(PALETTE)]))
        parts.append(_text(x + 14, 13, name))
    column = (group - 8) / max(len(series), 1)
    for c, category in enumerate(categories):
        x0 = left + c * group + 4
        for s, (_, values) in enumerate(series):
            h = plot_height * values[c] / top
            parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>', f"{x0 + s * column:.1f}",
                                     f"{legend + plot_height - h:.1f}", f"{column - 1:.1f}", f"{h:.1f}",
                                     PALETTE[s % len(PALETTE)]))
        if group >= 44 or c % 2 == (len(categories) - 1) % 2:
            # narrow groups: every other label, the last one included, so labels never overlap
            parts.append(_text(x0 + (group - 8) / 2, legend + plot_height + 14, category, anchor="middle"))
    desc = "; ".join(f"{category}: " + ", ".join(f"{name} {values[c]}" for name, values in series)
                     for c, category in enumerate(categories))
    return _frame(title=title, desc=desc or "No data.", width=width, height=legend + plot_height + bottom,
                  body=format_html_join("", "{}", ((p,) for p in parts)), css="chart-columns")


def line_chart(*, title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
               low: float, high: float, value_format: str = "{:.2f}") -> SafeString:
    """Lines over `categories` (months) on a fixed scale low…high; a gap where a value is missing."""
    left, plot_width, plot_height, top_pad = 40, 360, 120, 22
    step = plot_width / max(len(categories) - 1, 1)

    def y(value: float) -> float:
        return top_pad + plot_height * (high - value) / (high - low)

    parts = [format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ccc"/>', left, f"{y(v):.1f}",
                         left + plot_width, f"{y(v):.1f}") for v in (low, (low + high) / 2, high)]
    parts += [_text(left - 4, y(v) + 4, f"{v:g}", anchor="end") for v in (low, (low + high) / 2, high)]
    for c, category in enumerate(categories):
        parts.append(_text(left + c * step, top_pad + plot_height + 16, category, anchor="middle"))
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        parts.append(format_html('<rect x="{}" y="4" width="10" height="10" fill="{}"/>', left + s * 130, colour))
        parts.append(_text(left + s * 130 + 14, 13, name))
        runs, run = [], []
        for c, value in enumerate(values):
            if value is None:
                runs, run = runs + ([run] if run else []), []
            else:
                run.append((left + c * step, y(value)))
        runs += [run] if run else []
        for points in runs:
            parts.append(format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                                     " ".join(f"{px:.1f},{py:.1f}" for px, py in points), colour))
            parts += [format_html('<circle cx="{}" cy="{}" r="3" fill="{}"/>', f"{px:.1f}", f"{py:.1f}", colour)
                      for px, py in points]
    desc = "; ".join(f"{name}: " + ", ".join(f"{category} {'—' if v is None else value_format.format(v)}"
                                             for category, v in zip(categories, values, strict=False))
                     for name, values in series)
    return _frame(title=title, desc=desc or "No data.", width=left + plot_width + 30,
                  height=top_pad + plot_height + 26, body=format_html_join("", "{}", ((p,) for p in parts)),
                  css="chart-lines")


def sparkline(*, title: str, values: Sequence[float | None], low: float, high: float,
              value_format: str = "{:.2f}") -> SafeString:
    """A small line for a table cell (one clinic's months); its numbers are in the row's other cells."""
    width, height, pad = 90, 22, 3
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = [(pad + i * step, pad + (height - 2 * pad) * (high - v) / (high - low))
              for i, v in enumerate(values) if v is not None]
    body = format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="1.5"/>',
                       " ".join(f"{x:.1f},{y:.1f}" for x, y in points), PALETTE[0]) if len(points) > 1 else (
        format_html('<circle cx="{}" cy="{}" r="2" fill="{}"/>', f"{points[0][0]:.1f}", f"{points[0][1]:.1f}",
                    PALETTE[0])
        if points else mark_safe(""))
    desc = ", ".join("—" if v is None else value_format.format(v) for v in values)
    return _frame(title=title, desc=desc, width=width, height=height, body=body, css="chart-spark")
