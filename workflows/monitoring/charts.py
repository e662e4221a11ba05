"""The dashboard's charts: SVG drawn on the server by pygal, with no script and nothing
loaded from elsewhere (the page works offline, in the county's intranet)."""

import re

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#333",
    foreground_strong="#111",
    foreground_subtle="#888",
    colors=("#b71c1c", "#5d4037", "#ef9a9a", "#8d6e63"),
    font_family="'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=14,
    value_font_size=11,
)


SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _render(chart) -> SafeString:
    # pygal escapes the labels it writes. Its inline configuration script serves the tooltips
    # of its JavaScript, which is not loaded: it goes, so the page runs no script from a chart.
    return mark_safe(SCRIPT.sub("", chart.render(is_unicode=True)))


def _chart(kind, title: str, height: int):
    return kind(
        style=STYLE,
        title=title,
        height=height,
        width=720,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        explicit_size=False,
        no_data_text="本月无数据",
        legend_at_bottom=True,
        truncate_label=-1,
        truncate_legend=-1,
    )


def _counts_axis(chart, top: int) -> None:
    """Counts are whole numbers: ticks at whole steps, at most about ten of them."""
    step = max(1, -(-top // 10))
    chart.y_labels = list(range(0, max(top, 1) + step, step))


def bars(title: str, lines: list[tuple[str, int]]) -> SafeString:
    """One bar per line that has a count (the table beside the chart lists every line)."""
    shown = [(label, count) for label, count in lines if count]
    chart = _chart(pygal.Bar, title, 320)
    if shown:  # pygal draws its "no data" text only for a chart with no series
        chart.x_labels = [label for label, _ in shown]
        _counts_axis(chart, max(count for _, count in shown))
        chart.add("", [count for _, count in shown])
    return _render(chart)


def grouped_bars(title: str, labels: list[str], series: dict[str, list[int]]) -> SafeString:
    chart = _chart(pygal.Bar, title, 320)
    chart.show_legend = True
    if labels:
        chart.x_labels = labels
        _counts_axis(chart, max((v for values in series.values() for v in values), default=0))
        for name, values in series.items():
            chart.add(name, values)
    return _render(chart)
