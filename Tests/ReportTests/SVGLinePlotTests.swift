import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("SVG line plot")
struct SVGLinePlotTests {
    static func plot(names: [String]) -> SVGLinePlot {
        SVGLinePlot(
            title: "A <title> & more", xLabel: "x", yLabel: "y",
            series: names.enumerated().map { k, name in
                SVGLinePlot.Series(name: name, points: [0, 50, 90].map { SVGLinePlot.Point(x: $0, y: 100 - $0 * Double(k + 1) / 2) })
            },
            references: [SVGLinePlot.Reference(name: "float", y: 97.5)])
    }

    @Test("hostile names are escaped and the document parses, one polyline per series")
    func wellFormed() throws {
        let names = ["fc1", "a<b>&\"c'", "conv\u{1}2"]
        let svg = Self.plot(names: names).render()
        let counter = SVGCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(counter.polylines.count == 3)
        #expect(counter.texts.contains("a<b>&\"c'"), "the name reads back unescaped")
        #expect(counter.texts.contains("A <title> & more"))
        #expect(!svg.contains("\u{1}"))
    }

    @Test("the axes cover the data on round ticks")
    func niceRange() {
        let (low, high, step) = SVGLinePlot.niceRange(44.7, 97.8)
        #expect(low <= 44.7 && high >= 97.8)
        #expect([1.0, 2, 2.5, 5].contains { step == $0 * 10 } || step == 100, "a round step: \(step)")
        #expect((3...8).contains(SVGLinePlot.ticks(low, high, step).count))
        let flat = SVGLinePlot.niceRange(5, 5)
        #expect(flat.0 < 5 && flat.1 > 5, "a single value still gets a range")
    }

    @Test("identical input renders identical bytes")
    func deterministic() {
        #expect(Self.plot(names: ["a", "b"]).render() == Self.plot(names: ["a", "b"]).render())
    }
}
