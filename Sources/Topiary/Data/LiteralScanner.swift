/// A minimal reader of the Python literals found in `.npy` headers: quoted strings, names
/// (`True`, `False`), integers and tuples of integers.
struct LiteralScanner {
    private let characters: [Character]
    private var position = 0

    init(_ text: String) { characters = Array(text) }

    var peek: Character? {
        var i = position
        while i < characters.count, characters[i].isWhitespace { i += 1 }
        return i < characters.count ? characters[i] : nil
    }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    /// Consumes `token` if it comes next.
    mutating func take(_ token: String) -> Bool {
        skipSpaces()
        let wanted = Array(token)
        guard position + wanted.count <= characters.count,
            Array(characters[position..<(position + wanted.count)]) == wanted
        else { return false }
        position += wanted.count
        return true
    }

    /// A single- or double-quoted string.
    mutating func string() -> String? {
        skipSpaces()
        guard position < characters.count, characters[position] == "'" || characters[position] == "\"" else { return nil }
        let quote = characters[position]
        var end = position + 1
        while end < characters.count, characters[end] != quote { end += 1 }
        guard end < characters.count else { return nil }
        let value = String(characters[(position + 1)..<end])
        position = end + 1
        return value
    }

    mutating func integer() -> Int? {
        skipSpaces()
        var end = position
        while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
        // Python 2 era files may write long integers as `3L`.
        guard end > position, let value = Int(String(characters[position..<end])) else { return nil }
        position = end
        if position < characters.count, characters[position] == "L" { position += 1 }
        return value
    }

    /// `()`, `(n,)` or `(a, b, …)`.
    mutating func intTuple() -> [Int]? {
        guard take("(") else { return nil }
        var values: [Int] = []
        while !take(")") {
            guard let value = integer() else { return nil }
            values.append(value)
            if !take(",") {
                guard take(")") else { return nil }
                break
            }
        }
        return values
    }
}
