"""Standalone SVG images of the charts, for embedding in articles and for link previews.

Drawn from the same dicts the pages and the API serve; no plotting library. Text is escaped, and the
images carry a <title> and <desc> so screen readers get the numbers too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, Final
from xml.sax.saxutils import escape, quoteattr

#: The palette the pages use too (static/charts.js): colour-blind-safe and distinct on white.
PALETTE: Final = ("#2657c5", "#d1495b", "#0f8b7d", "#e09f3e", "#7b4fb8", "#5c6b73", "#c2571a", "#3a9d3f")
INK, MUTED, GRID, BAND, BOUNDS = "#1d2330", "#5f6b7a", "#e3e7ec", "#9db8ef", "#d5dae1"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
WIDTH, HEIGHT = 800, 450
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 64, 78


def _f(x: float) -> str:
    return f"{x:.1f}"


def _text(
    x: float, y: float, s: str, *, size: int = 13, fill: str = INK, anchor: str = "start", weight: str = "normal"
) -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" fill="{fill}" text-anchor="{anchor}" '
        f'font-weight="{weight}">{escape(s)}</text>'
    )


def _polyline(points: Iterable[tuple[float, float]], *, stroke: str, width: float = 2.0, dash: str = "") -> str:
    pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="{width}"{extra}/>'


def _area(
    upper: Sequence[tuple[float, float]], lower: Sequence[tuple[float, float]], *, fill: str, opacity: float
) -> str:
    if not upper:
        return ""
    pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in [*upper, *reversed(lower)])
    return f'<polygon points="{pts}" fill="{fill}" fill-opacity="{opacity}" stroke="none"/>'


def _document(title: str, desc: str, body: list[str], *, height: int = HEIGHT) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'role="img" aria-labelledby="t d" font-family={quoteattr(FONT)}>',
            f'<title id="t">{escape(title)}</title>',
            f'<desc id="d">{escape(desc)}</desc>',
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
            *body,
            "</svg>",
        ]
    )


def _nice_step(span: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if span / step <= 8:
            return step
    return 200


def x_range(body: dict[str, Any]) -> tuple[float, float]:
    """The years worth showing for an aggregate: from where any curve leaves zero to where the CDF levels off."""
    cdf, band = body["cdf"], body["band"]
    top = max((r["p"] or 0.0) for r in cdf) if cdf else 0.0
    # The bounds band is left out: words like "by 2030" allow arrival at any earlier time.
    start = next((r["t"] for r, b in zip(cdf, band, strict=False) if max(r["p"] or 0, b["high"] or 0) > 0.002), 2000.0)
    end = next((r["t"] for r in cdf if (r["p"] or 0) >= 0.97 * top), 2100.0) if top > 0 else 2100.0
    low = max(1950.0, math.floor((start - 3) / 5) * 5)
    high = min(2200.0, max(low + 25, math.ceil((end + 5) / 10) * 10))
    return low, high


def aggregate_chart(body: dict[str, Any], *, title: str) -> str:
    """The pooled CDF with the 25-75% band of individual views and the bounds the claims' words imply."""
    x0, x1 = x_range(body)
    w, h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(t: float) -> float:
        return LEFT + (t - x0) / (x1 - x0) * w

    def sy(p: float) -> float:
        return TOP + (1 - p) * h

    def clip(rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
        return [r for r in rows if x0 <= r["t"] <= x1 and all(r[k] is not None for k in keys)]

    out = [_text(LEFT, 28, title, size=18, weight="600")]
    median = body.get("median_year")
    q = body["quantiles"]
    summary = (
        (f"Median {median:.0f}" if median is not None else "Median not reached")
        + (f" · 80% interval {q['0.1']:.0f}–{q['0.9']:.0f}" if q.get("0.1") and q.get("0.9") else "")
        + (f" · P(never) {100 * body['p_never']:.0f}%" if body.get("p_never") is not None else "")
    )
    out.append(_text(LEFT, 50, summary, size=13, fill=MUTED))
    step = _nice_step(x1 - x0)
    for year in range(int(math.ceil(x0 / step) * step), int(x1) + 1, step):
        out.append(f'<line x1="{_f(sx(year))}" x2="{_f(sx(year))}" y1="{TOP}" y2="{TOP + h}" stroke="{GRID}"/>')
        out.append(_text(sx(year), TOP + h + 18, str(year), size=12, fill=MUTED, anchor="middle"))
    for p in (0, 0.25, 0.5, 0.75, 1):
        out.append(f'<line x1="{LEFT}" x2="{LEFT + w}" y1="{_f(sy(p))}" y2="{_f(sy(p))}" stroke="{GRID}"/>')
        out.append(_text(LEFT - 8, sy(p) + 4, f"{p:.0%}", size=12, fill=MUTED, anchor="end"))
    bounds = clip(body["bounds"], "low", "high")
    out.append(
        _area(
            [(sx(r["t"]), sy(r["high"])) for r in bounds],
            [(sx(r["t"]), sy(r["low"])) for r in bounds],
            fill=BOUNDS,
            opacity=0.7,
        )
    )
    band = clip(body["band"], "low", "high")
    out.append(
        _area(
            [(sx(r["t"]), sy(r["high"])) for r in band],
            [(sx(r["t"]), sy(r["low"])) for r in band],
            fill=BAND,
            opacity=0.55,
        )
    )
    out.append(_polyline([(sx(r["t"]), sy(r["p"])) for r in clip(body["cdf"], "p")], stroke=PALETTE[0], width=2.5))
    if median is not None and x0 <= median <= x1:
        out.append(_polyline([(sx(median), sy(0)), (sx(median), sy(0.5))], stroke=PALETTE[0], width=1, dash="4 3"))
    out.append(_text(LEFT - 48, TOP - 8, "P(arrived by)", size=12, fill=MUTED))
    legend_y = HEIGHT - 26
    items = [
        (PALETTE[0], "pooled CDF", 1.0),
        (BAND, "25–75% of individual views", 0.55),
        (BOUNDS, "bounds the claims' words imply", 0.7),
    ]
    x = LEFT
    for colour, label, opacity in items:
        out.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="14" height="10" fill="{colour}" fill-opacity="{opacity}"/>'
        )
        out.append(_text(x + 20, legend_y, label, size=12, fill=INK))
        x += 40 + 7 * len(label)
    foot = (
        f"{body['n_claims']} claims, {body['n_speakers']} speakers · {body['method']} pool, "
        f"{body['weighting']} weights · as of {body['as_of']}"
    )
    out.append(_text(WIDTH - RIGHT, HEIGHT - 8, foot, size=11, fill=MUTED, anchor="end"))
    desc = f"{title}. {summary}. {foot}."
    return _document(f"When will it arrive? {title}", desc, out)


def speaker_timeline(data: dict[str, Any]) -> str:
    """A speaker's claims: x the date said, y the arrival year read; intervals, bound arrows and "never"."""
    name = data["speaker"]["name"]
    points = [p for s in data["series"] for p in s["points"]]
    out = [
        _text(LEFT, 28, f"{name}: when will it arrive?", size=18, weight="600"),
        _text(
            LEFT,
            50,
            "Each dot is a claim: said (across) and the arrival it implies (up), with its 80% interval",
            size=13,
            fill=MUTED,
        ),
    ]
    if not points:
        out.append(_text(WIDTH / 2, HEIGHT / 2, "No claims yet", size=16, fill=MUTED, anchor="middle"))
        return _document(f"{name}: claims", "No claims yet.", out)
    xs = [p["x"] for p in points]
    ys = [v for p in points for v in (p["y"], p["low"], p["high"]) if v is not None]
    x0, x1 = math.floor(float(min(xs))) - 1, math.ceil(float(max(xs))) + 1
    y0: int = math.floor(float(min([*ys, *xs])) / 5) * 5 if ys else x0
    y1: int = min(2150, math.ceil((float(max(ys)) + 2) / 5) * 5) if ys else x0 + 30
    y1 = max(y1, y0 + 10)
    never_row = any(p["never"] for p in points)
    top = TOP + (34 if never_row else 0)
    w, h = WIDTH - LEFT - RIGHT, HEIGHT - top - BOTTOM

    def sx(t: float) -> float:
        return LEFT + (t - x0) / (x1 - x0) * w

    def sy(t: float) -> float:
        return top + (1 - (min(max(t, y0), y1) - y0) / (y1 - y0)) * h

    for year in range(int(math.ceil(x0 / _nice_step(x1 - x0)) * _nice_step(x1 - x0)), x1 + 1, _nice_step(x1 - x0)):
        out.append(f'<line x1="{_f(sx(year))}" x2="{_f(sx(year))}" y1="{top}" y2="{top + h}" stroke="{GRID}"/>')
        out.append(_text(sx(year), top + h + 18, str(year), size=12, fill=MUTED, anchor="middle"))
    ystep = _nice_step(y1 - y0)
    for year in range(int(math.ceil(y0 / ystep) * ystep), y1 + 1, ystep):
        out.append(f'<line x1="{LEFT}" x2="{LEFT + w}" y1="{_f(sy(year))}" y2="{_f(sy(year))}" stroke="{GRID}"/>')
        out.append(_text(LEFT - 8, sy(year) + 4, str(year), size=12, fill=MUTED, anchor="end"))
    if never_row:
        out.append(_text(LEFT - 8, TOP + 18, "never", size=12, fill=MUTED, anchor="end"))
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + w}" y1="{TOP + 14}" y2="{TOP + 14}" stroke="{GRID}" '
            'stroke-dasharray="2 3"/>'
        )
    for i, series in enumerate(data["series"]):
        colour = PALETTE[i % len(PALETTE)]
        for p in series["points"]:
            x = sx(p["x"])
            if p["never"]:
                out.append(
                    f'<path d="M{_f(x - 5)},{TOP + 9} l10,10 m0,-10 l-10,10" stroke="{colour}" stroke-width="2.5"/>'
                )
                continue
            if p["y"] is None:
                continue
            y = sy(p["y"])
            if p["low"] is not None and p["high"] is not None:
                out.append(
                    f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(sy(p["low"]))}" y2="{_f(sy(p["high"]))}" '
                    f'stroke="{colour}" stroke-width="2" stroke-opacity="0.55"/>'
                )
            if p["arrow"]:
                sign = -1 if p["arrow"] == "up" else 1
                tip = y + sign * 26
                out.append(
                    f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(y)}" y2="{_f(tip)}" stroke="{colour}" stroke-width="2"/>'
                )
                out.append(
                    f'<path d="M{_f(x - 5)},{_f(tip - sign * 7)} L{_f(x)},{_f(tip)} '
                    f'L{_f(x + 5)},{_f(tip - sign * 7)} Z" fill="{colour}"/>'
                )
            out.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="5" fill="{colour}" stroke="#ffffff" stroke-width="1.5"/>')
    x = LEFT
    legend_y = HEIGHT - 30
    for i, series in enumerate(data["series"]):
        label = series["name"] if len(series["name"]) <= 40 else series["name"][:38] + "…"
        if x + 30 + 7 * len(label) > WIDTH:
            break
        out.append(f'<circle cx="{x + 5}" cy="{legend_y - 4}" r="5" fill="{PALETTE[i % len(PALETTE)]}"/>')
        out.append(_text(x + 14, legend_y, label, size=12))
        x += 30 + 7 * len(label)
    out.append(
        _text(
            WIDTH - RIGHT,
            HEIGHT - 8,
            "Arrows: bounds only (not before / by). Said date across, arrival up.",
            size=11,
            fill=MUTED,
            anchor="end",
        )
    )
    desc = f"{name}: {len(points)} claims on {len(data['series'])} milestones."
    return _document(f"{name}: claims over time", desc, out)
