import Foundation

/// A small SVG line chart: axes with ticks, one polyline per series with a marker per point,
/// a legend, and optional dashed horizontal reference lines (named in the legend, where
/// close values cannot make their labels collide). Enough for `topiary sensitivity`
/// without pulling a plotting library into a tool that must stay dependency-free.
///
/// The output is a complete, well-formed SVG 1.1 document; every text is XML-escaped, and
/// numbers are written with at most two decimals so the file is stable across runs.
public struct SVGLinePlot: Equatable, Sendable {
    public struct Series: Equatable, Sendable {
        public var name: String
        public var points: [Point]
    }

    public struct Point: Equatable, Sendable {
        public var x: Double
        public var y: Double
    }

    /// A dashed horizontal line across the plot, named in the legend.
    public struct Reference: Equatable, Sendable {
        public var name: String
        public var y: Double
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var references: [Reference]
    /// How tick labels print (e.g. a percentage).
    public var xTick: @Sendable (Double) -> String
    public var yTick: @Sendable (Double) -> String

    init(
        title: String, xLabel: String, yLabel: String, series: [Series], references: [Reference] = [],
        xTick: @escaping @Sendable (Double) -> String = { SVGLinePlot.number($0) },
        yTick: @escaping @Sendable (Double) -> String = { SVGLinePlot.number($0) }
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.references = references
        self.xTick = xTick
        self.yTick = yTick
    }

    public static func == (a: SVGLinePlot, b: SVGLinePlot) -> Bool {
        a.title == b.title && a.xLabel == b.xLabel && a.yLabel == b.yLabel && a.series == b.series && a.references == b.references
    }

    /// Colours that stay apart for the first ten series (then repeat).
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// Dash patterns that tell reference lines apart.
    static let dashes = ["6 4", "2 3", "9 3 2 3"]

    // Layout, in SVG user units.
    static let width = 720.0, height = 440.0
    static let left = 70.0, right = 170.0, top = 40.0, bottom = 60.0

    /// The SVG document.
    public func render() -> String {
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = series.flatMap { $0.points.map(\.y) } + references.map(\.y)
        let (x0, x1, xStep) = Self.niceRange(xs.min() ?? 0, xs.max() ?? 1)
        let (y0, y1, yStep) = Self.niceRange(ys.min() ?? 0, ys.max() ?? 1)
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        func px(_ x: Double) -> Double { Self.left + (x - x0) / (x1 - x0) * plotWidth }
        func py(_ y: Double) -> Double { Self.top + (1 - (y - y0) / (y1 - y0)) * plotHeight }
        let f = Self.coordinate

        var lines: [String] = []
        lines.append(##"<?xml version="1.0" encoding="UTF-8"?>"##)
        lines.append(
            ##"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\##(f(Self.width))" height="\##(f(Self.height))" viewBox="0 0 \##(f(Self.width)) \##(f(Self.height))" font-family="sans-serif" font-size="12">"##
        )
        lines.append("<title>\(Self.escape(title))</title>")
        lines.append(##"<rect x="0" y="0" width="\##(f(Self.width))" height="\##(f(Self.height))" fill="white"/>"##)
        lines.append(
            ##"<text x="\##(f(Self.left + plotWidth / 2))" y="22" text-anchor="middle" font-size="14">\##(Self.escape(title))</text>"##)
        // Grid and ticks.
        lines.append(##"<g stroke="#dddddd" stroke-width="1">"##)
        for x in Self.ticks(x0, x1, xStep) {
            lines.append(##"<line x1="\##(f(px(x)))" y1="\##(f(Self.top))" x2="\##(f(px(x)))" y2="\##(f(Self.top + plotHeight))"/>"##)
        }
        for y in Self.ticks(y0, y1, yStep) {
            lines.append(##"<line x1="\##(f(Self.left))" y1="\##(f(py(y)))" x2="\##(f(Self.left + plotWidth))" y2="\##(f(py(y)))"/>"##)
        }
        lines.append("</g>")
        lines.append(##"<g fill="#333333">"##)
        for x in Self.ticks(x0, x1, xStep) {
            lines.append(
                ##"<text x="\##(f(px(x)))" y="\##(f(Self.top + plotHeight + 18))" text-anchor="middle">\##(Self.escape(xTick(x)))</text>"##)
        }
        for y in Self.ticks(y0, y1, yStep) {
            lines.append(##"<text x="\##(f(Self.left - 8))" y="\##(f(py(y) + 4))" text-anchor="end">\##(Self.escape(yTick(y)))</text>"##)
        }
        lines.append(
            ##"<text x="\##(f(Self.left + plotWidth / 2))" y="\##(f(Self.height - 16))" text-anchor="middle">\##(Self.escape(xLabel))</text>"##
        )
        lines.append(
            ##"<text transform="translate(18 \##(f(Self.top + plotHeight / 2))) rotate(-90)" text-anchor="middle">\##(Self.escape(yLabel))</text>"##
        )
        lines.append("</g>")
        lines.append(
            ##"<rect x="\##(f(Self.left))" y="\##(f(Self.top))" width="\##(f(plotWidth))" height="\##(f(plotHeight))" fill="none" stroke="#333333"/>"##
        )
        for (index, reference) in references.enumerated() {
            let y = py(reference.y)
            lines.append(
                ##"<line x1="\##(f(Self.left))" y1="\##(f(y))" x2="\##(f(Self.left + plotWidth))" y2="\##(f(y))" stroke="#555555" stroke-dasharray="\##(Self.dashes[index % Self.dashes.count])"/>"##
            )
        }
        // Series, then the legend.
        for (index, s) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let points = s.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            lines.append(##"<g><title>\##(Self.escape(s.name))</title>"##)
            lines.append(##"<polyline points="\##(points)" fill="none" stroke="\##(colour)" stroke-width="2"/>"##)
            for point in s.points {
                lines.append(##"<circle cx="\##(f(px(point.x)))" cy="\##(f(py(point.y)))" r="3" fill="\##(colour)"/>"##)
            }
            lines.append("</g>")
        }
        for (index, s) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let y = Self.top + 10 + Double(index) * 18
            let x = Self.left + plotWidth + 16
            lines.append(##"<rect x="\##(f(x))" y="\##(f(y - 8))" width="14" height="4" fill="\##(colour)"/>"##)
            lines.append(##"<text x="\##(f(x + 20))" y="\##(f(y - 2))">\##(Self.escape(s.name))</text>"##)
        }
        for (index, reference) in references.enumerated() {
            let y = Self.top + 10 + Double(series.count + index) * 18
            let x = Self.left + plotWidth + 16
            lines.append(
                ##"<line x1="\##(f(x))" y1="\##(f(y - 6))" x2="\##(f(x + 14))" y2="\##(f(y - 6))" stroke="#555555" stroke-dasharray="\##(Self.dashes[index % Self.dashes.count])"/>"##
            )
            lines.append(##"<text x="\##(f(x + 20))" y="\##(f(y - 2))" fill="#555555">\##(Self.escape(reference.name))</text>"##)
        }
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` safe inside XML elements and attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            // XML 1.0 forbids most control characters outright.
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r": result += " "
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A coordinate with at most two decimals and no trailing zeros.
    static func coordinate(_ value: Double) -> String {
        number((value * 100).rounded() / 100)
    }

    /// `value` in the shortest form that reads back as itself.
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// An axis range covering `low...high` that starts and ends on round ticks, and its tick step.
    static func niceRange(_ low: Double, _ high: Double) -> (Double, Double, Double) {
        var low = low, high = high
        if !(high > low) {
            low -= 1
            high += 1
        }
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        return (floor(low / step) * step, ceil(high / step) * step, step)
    }

    static func ticks(_ low: Double, _ high: Double, _ step: Double) -> [Double] {
        let count = Int(((high - low) / step).rounded())
        return (0...max(count, 0)).map { low + Double($0) * step }
    }
}
