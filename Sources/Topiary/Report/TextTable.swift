import Foundation

/// A plain-text table as the reports print it: columns two spaces apart, the leading
/// `leftAligned` columns (names) padded on the right, the others (numbers) on the left, a rule
/// under the header and, when the last row is a total, one above it.
struct TextTable {
    /// The header, then one row per line of the table; every row has the header's columns.
    var rows: [[String]]
    var leftAligned = 1
    var lastRowIsTotal = false

    /// The table's lines, without trailing spaces.
    func lines() -> [String] {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        func trimmed(_ line: String) -> String { String(line.reversed().drop { $0 == " " }.reversed()) }
        let rule = trimmed(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        var lines: [String] = []
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { column, text in
                column < leftAligned
                    ? text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - text.count) + text
            }
            lines.append(trimmed(cells.joined(separator: "  ")))
            if index == 0 || (lastRowIsTotal && index == rows.count - 2) { lines.append(rule) }
        }
        return lines
    }
}
