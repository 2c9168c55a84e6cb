/// The `#define`s of a model header, each under its documentation comment, with the names
/// padded to one column so that the values line up.
struct MacroDefinitions {
    /// The width names are padded to; a longer name is not cut.
    let nameWidth: Int
    private(set) var lines: [String] = []

    init(nameWidth: Int) {
        self.nameWidth = nameWidth
    }

    mutating func define(_ name: String, _ value: String, _ comment: String) {
        let padded = name.padding(toLength: max(name.count, nameWidth), withPad: " ", startingAt: 0)
        lines.append("/** \(CComment.escape(comment)) */")
        lines.append("#define \(padded) \(value)")
    }

    /// An empty line between groups of macros.
    mutating func separate() {
        lines.append("")
    }

    var text: String { lines.joined(separator: "\n") }
}
