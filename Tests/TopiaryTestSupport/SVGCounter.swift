import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Counts the elements of an SVG document by name, and collects the `points` of each
/// polyline and the text of each `title`.
public final class SVGCounter: NSObject, XMLParserDelegate {
    public private(set) var counts: [String: Int] = [:]
    public private(set) var polylines: [String] = []
    public private(set) var texts: [String] = []
    private var text = ""

    public override init() {}

    public func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        counts[name, default: 0] += 1
        if name == "polyline" { polylines.append(attributes["points"] ?? "") }
        text = ""
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { texts.append(text) }
    }
}
