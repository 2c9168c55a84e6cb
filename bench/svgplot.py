"""Small, dependency-free SVG charts for the benchmark: scatter/line panels with linear or
logarithmic axes. The output depends only on the data (no dates, no random ids), so a rerun
with the same figures writes the same file."""

import math

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]


def esc(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def fmt(value):
    """Axis label for a count: 500, 2k, 1.5k, 10M."""
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            v = value / factor
            return ("%g" % round(v, 1)) + suffix
    return "%g" % round(value, 2)


class Axis:
    def __init__(self, lo, hi, log=False, label="", percent=False):
        self.log, self.label, self.percent = log, label, percent
        if log:
            lo, hi = max(lo, 1e-12), max(hi, 1e-12)
            # Pad by 0.15 decade on each side.
            self.lo = 10 ** (math.log10(lo) - 0.15)
            self.hi = 10 ** (math.log10(hi) + 0.15)
        else:
            pad = (hi - lo) * 0.05 or 1.0
            self.lo, self.hi = lo - pad, hi + pad

    def frac(self, v):
        if self.log:
            return (math.log10(v) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        return (v - self.lo) / (self.hi - self.lo)

    def ticks(self):
        if self.log:
            decades = math.log10(self.hi) - math.log10(self.lo)
            if decades < 0.7:
                steps = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9)
            elif decades < 2.5:
                steps = (1, 2, 5)
            else:
                steps = (1,)
            out = []
            for e in range(math.floor(math.log10(self.lo)), math.ceil(math.log10(self.hi)) + 1):
                for m in steps:
                    v = m * 10 ** e
                    if self.lo <= v <= self.hi:
                        out.append(v)
            return out
        span = self.hi - self.lo
        raw = span / 5
        mag = 10 ** math.floor(math.log10(raw))
        step = min((m * mag for m in (1, 2, 2.5, 5, 10)), key=lambda s: abs(s - raw))
        first = math.ceil(self.lo / step) * step
        out, v = [], first
        while v <= self.hi + 1e-9:
            out.append(round(v, 10))
            v += step
        return out

    def tick_label(self, v):
        if self.percent:
            return "%g%%" % round(v * 100, 1)
        return fmt(v)


def marker(shape, x, y, color, filled=True, size=4.5):
    fill = color if filled else "white"
    common = 'fill="%s" stroke="%s" stroke-width="1.4"' % (fill, color)
    if shape == "circle":
        return '<circle cx="%.1f" cy="%.1f" r="%.1f" %s/>' % (x, y, size, common)
    if shape == "square":
        s = size * 0.9
        return '<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" %s/>' % (x - s, y - s, 2 * s, 2 * s, common)
    if shape == "triangle":
        s = size * 1.2
        pts = "%.1f,%.1f %.1f,%.1f %.1f,%.1f" % (x, y - s, x - s, y + s * 0.8, x + s, y + s * 0.8)
        return '<polygon points="%s" %s/>' % (pts, common)
    if shape == "diamond":
        s = size * 1.25
        pts = "%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f" % (x, y - s, x + s, y, x, y + s, x - s, y)
        return '<polygon points="%s" %s/>' % (pts, common)
    raise ValueError(shape)


class Panel:
    """One chart: axes, a title, series of points and optional horizontal reference lines."""

    def __init__(self, title, xaxis, yaxis):
        self.title, self.x, self.y = title, xaxis, yaxis
        self.items = []  # (kind, payload)

    def points(self, xs, ys, color, shape="circle", filled=True, line=False, dashed=False):
        self.items.append(("points", (list(xs), list(ys), color, shape, filled, line, dashed)))

    def hline(self, y, color, label):
        self.items.append(("hline", (y, color, label)))

    def note(self, text):
        """A line of text in the panel's lower right corner."""
        self.items.append(("note", text))

    def segment(self, x0, y0, x1, y1, color):
        self.items.append(("segment", (x0, y0, x1, y1, color)))

    def render(self, ox, oy, width, height):
        left, right, top, bottom = 52, 12, 24, 40
        pw, ph = width - left - right, height - top - bottom
        X = lambda v: ox + left + self.x.frac(v) * pw  # noqa: E731
        Y = lambda v: oy + top + (1 - self.y.frac(v)) * ph  # noqa: E731
        out = ['<g>',
               '<text x="%.1f" y="%.1f" font-size="13" font-weight="bold" text-anchor="middle">%s</text>'
               % (ox + left + pw / 2, oy + 16, esc(self.title)),
               '<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#444"/>'
               % (ox + left, oy + top, pw, ph)]
        for t in self.x.ticks():
            x = X(t)
            out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>' % (x, oy + top, x, oy + top + ph))
            out.append('<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle">%s</text>'
                       % (x, oy + top + ph + 13, esc(self.x.tick_label(t))))
        for t in self.y.ticks():
            y = Y(t)
            out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>' % (ox + left, y, ox + left + pw, y))
            out.append('<text x="%.1f" y="%.1f" font-size="10" text-anchor="end">%s</text>'
                       % (ox + left - 4, y + 3.5, esc(self.y.tick_label(t))))
        out.append('<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle">%s</text>'
                   % (ox + left + pw / 2, oy + height - 8, esc(self.x.label)))
        out.append('<text transform="translate(%.1f,%.1f) rotate(-90)" font-size="11" text-anchor="middle">%s</text>'
                   % (ox + 12, oy + top + ph / 2, esc(self.y.label)))
        for kind, p in self.items:
            if kind == "hline":
                y, color, label = p
                out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="5,3"/>'
                           % (ox + left, Y(y), ox + left + pw, Y(y), color))
                out.append('<text x="%.1f" y="%.1f" font-size="9" fill="%s" text-anchor="end">%s</text>'
                           % (ox + left + pw - 3, Y(y) - 3, color, esc(label)))
            elif kind == "note":
                out.append('<text x="%.1f" y="%.1f" font-size="9.5" fill="#333" text-anchor="end">%s</text>'
                           % (ox + left + pw - 4, oy + top + ph - 6, esc(p)))
            elif kind == "segment":
                x0, y0, x1, y1, color = p
                out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>'
                           % (X(x0), Y(y0), X(x1), Y(y1), color))
        for kind, p in self.items:
            if kind != "points":
                continue
            xs, ys, color, shape, filled, line, dashed = p
            if line and len(xs) > 1:
                pts = " ".join("%.1f,%.1f" % (X(a), Y(b)) for a, b in zip(xs, ys))
                out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5"%s/>'
                           % (pts, color, ' stroke-dasharray="4,3"' if dashed else ""))
            for a, b in zip(xs, ys):
                out.append(marker(shape, X(a), Y(b), color, filled))
        out.append('</g>')
        return "\n".join(out)


def figure(path, panels, columns, legend, panel_width=300, panel_height=250, caption=None):
    """Writes panels in a grid under a legend: [(label, color, shape, filled)]."""
    rows = (len(panels) + columns - 1) // columns
    width = columns * panel_width
    legend_columns = max(1, min(4, width // 240))
    legend_rows = (len(legend) + legend_columns - 1) // legend_columns
    head = 10 + 18 * legend_rows + (18 if caption else 0)
    height = head + rows * panel_height + 6
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="Helvetica, Arial, sans-serif">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>']
    y = 10
    if caption:
        out.append('<text x="%d" y="%d" font-size="12">%s</text>' % (12, y + 10, esc(caption)))
        y += 18
    col_width = width / legend_columns
    for i, (label, color, shape, filled) in enumerate(legend):
        lx = 16 + (i % legend_columns) * col_width
        ly = y + 9 + 18 * (i // legend_columns)
        out.append(marker(shape, lx, ly - 4, color, filled))
        out.append('<text x="%.1f" y="%.1f" font-size="11">%s</text>' % (lx + 10, ly, esc(label)))
    for i, panel in enumerate(panels):
        out.append(panel.render((i % columns) * panel_width, head + (i // columns) * panel_height,
                                panel_width, panel_height))
    out.append("</svg>\n")
    with open(path, "w") as f:
        f.write("\n".join(out))
