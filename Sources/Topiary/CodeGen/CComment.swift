/// Text that is safe inside a C block comment.
///
/// Layer and model names are free text and appear in generated comments. A comment ends at
/// the first `*/`, a `/*` inside one is a `-Wcomment` warning (an error under `-Werror`), and a
/// backslash-newline splices lines before comments are even recognised; trigraphs such as `??/`
/// are a backslash under `-std=c99`. `escape` removes every one of these: the escaped text
/// shows the original name readably but can neither end the comment nor reach the next line.
enum CComment {
    /// `text` made safe for a single-line block comment: `*/` becomes `*\/`, `/*` becomes
    /// `/\*`, a backslash is doubled, `??` becomes `?\?`, line breaks and other control
    /// characters become `\n`, `\r`, `\t` or `\xNN`, and non-ASCII characters `\u{…}`.
    static func escape(_ text: String) -> String {
        var result = ""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "/" where previous == "*":
                result += "\\/"
            case "*" where previous == "/":
                result += "\\*"
            case "?" where previous == "?":
                result += "\\?"
            case "\\":
                result += "\\\\"
            case "\n":
                result += "\\n"
            case "\r":
                result += "\\r"
            case "\t":
                result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    result += "\\x" + hex(scalar.value, width: 2)
                } else if !scalar.isASCII {
                    result += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            previous = scalar
        }
        return result
    }

    /// A whole `/* … */` comment holding `text`, escaped.
    static func block(_ text: String) -> String {
        "/* " + escape(text) + " */"
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
