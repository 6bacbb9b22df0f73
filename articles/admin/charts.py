"""Charts drawn on the server as SVG: no script, no stylesheet from elsewhere. Each chart is an
`<svg role="img">` whose <title> and <desc> are its text alternative; the page puts the numbers
beside it as a table. Every text in it is escaped (format_html).

Pure: values in, markup out (no database, no request).
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 28  # room for the axes' labels


def _scale(values) -> int:
    """The y axis's top: the largest value, rounded up to a readable number (at least 1)."""
    peak = max([*values, 1])
    for top in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if peak <= top:
            return top
    magnitude = 10 ** (len(str(peak)) - 1)
    return -(-peak // magnitude) * magnitude


def _frame(chart_id: str, title: str, description: str, top: int, labels, body) -> SafeString:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    every = max(1, len(labels) // 8)
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="chart-label" text-anchor="middle">{}</text>',
        (
            (round(LEFT + (n + 0.5) * plot_w / len(labels), 1), HEIGHT - 8, label)
            for n, label in enumerate(labels)
            if n % every == 0
        ),
    )
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img"'
        ' aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMidYMid meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" class="chart-axis"/>'
        '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" class="chart-axis"/>'
        '<text x="{lx}" y="{ty}" class="chart-label" text-anchor="end">{top}</text>'
        '<text x="{lx}" y="{b}" class="chart-label" text-anchor="end">0</text>'
        "{body}{ticks}</svg>",
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=description,
        l=LEFT,
        r=LEFT + plot_w,
        t=TOP,
        b=TOP + plot_h,
        lx=LEFT - 4,
        ty=TOP + 8,
        top=f"{top:,}",
        body=body,
        ticks=ticks,
    )


def bar_chart(chart_id: str, title: str, description: str, labels, series) -> SafeString:
    """Bars side by side per label: `series` is [(css class, values)], one value per label."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _scale([v for _, values in series for v in values])
    slot = plot_w / max(1, len(labels))
    bar = slot * 0.8 / max(1, len(series))
    bars = []
    for s, (css, values) in enumerate(series):
        for n, value in enumerate(values):
            height = plot_h * value / top
            x = LEFT + n * slot + slot * 0.1 + s * bar
            bars.append(
                (css, round(x, 1), round(TOP + plot_h - height, 1), round(bar, 1), round(height, 1))
            )
    body = format_html_join("", '<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>', bars)
    return _frame(chart_id, title, description, top, labels, body)


def line_chart(chart_id: str, title: str, description: str, labels, values) -> SafeString:
    """One line through `values`, one point per label."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _scale(values)
    slot = plot_w / max(1, len(labels))
    points = " ".join(
        f"{LEFT + (n + 0.5) * slot:.1f},{TOP + plot_h - plot_h * v / top:.1f}"
        for n, v in enumerate(values)
    )
    body = format_html('<polyline class="chart-line" points="{}"/>', points)
    return _frame(chart_id, title, description, top, labels, body)
