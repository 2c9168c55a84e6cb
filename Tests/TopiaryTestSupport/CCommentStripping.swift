/// `text` with C comments removed (string and character literals kept), for checking what a
/// compiler actually sees.
public func strippingComments(_ text: String) -> String {
    var result = ""
    var index = text.startIndex
    func peek(_ offset: Int) -> Character? {
        guard let i = text.index(index, offsetBy: offset, limitedBy: text.endIndex), i < text.endIndex else { return nil }
        return text[i]
    }
    while index < text.endIndex {
        let c = text[index]
        if c == "/" && peek(1) == "*" {
            guard let end = text.range(of: "*/", range: text.index(index, offsetBy: 2)..<text.endIndex) else { break }
            result += " "
            index = end.upperBound
        } else if c == "/" && peek(1) == "/" {
            while index < text.endIndex && text[index] != "\n" { index = text.index(after: index) }
        } else if c == "\"" || c == "'" {
            result.append(c)
            index = text.index(after: index)
            while index < text.endIndex && text[index] != c {
                if text[index] == "\\" { result.append(text[index]); index = text.index(after: index) }
                if index < text.endIndex { result.append(text[index]); index = text.index(after: index) }
            }
            if index < text.endIndex { result.append(text[index]); index = text.index(after: index) }
        } else {
            result.append(c)
            index = text.index(after: index)
        }
    }
    return result
}
