/// Turning arbitrary names (Keras layer and model names) into C identifiers, and checking
/// names a user gives for C.
///
/// Layer names are free text in Keras: spaces, quotes, `*/`, `#`, backslashes, newlines and
/// non-ASCII letters all occur. Generated code must never paste such text into C, so every
/// name goes through `sanitize` before it becomes part of an identifier; `CSymbolTable` then
/// makes the results unique.
public enum CIdentifier {
    /// The keywords of C99 and C11 plus the compiler extensions gcc and clang reserve; an
    /// identifier equal to one of these would not compile (or would change meaning).
    public static let keywords: Set<String> = [
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
        "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
        "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
        "typedef", "union", "unsigned", "void", "volatile", "while",
        "_Bool", "_Complex", "_Imaginary", "_Alignas", "_Alignof", "_Atomic", "_Generic",
        "_Noreturn", "_Static_assert", "_Thread_local",
        "asm", "typeof", "bool", "true", "false", "alignas", "alignof", "static_assert",
        "thread_local", "nullptr", "constexpr", "typeof_unqual",
    ]

    /// Longest identifier `sanitize` returns.
    public static let maximumLength = 40

    /// True when `text` can be used as a C identifier as it is: ASCII letters, digits and
    /// underscores, not starting with a digit, not a keyword, and not one of the names the C
    /// standard reserves for the implementation (a leading underscore followed by a capital or
    /// another underscore).
    public static func isValid(_ text: String) -> Bool {
        guard let first = text.utf8.first, !isDigit(first) else { return false }
        guard text.utf8.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }) else { return false }
        if keywords.contains(text) { return false }
        let bytes = Array(text.utf8)
        if bytes[0] == UInt8(ascii: "_"), bytes.count > 1,
            bytes[1] == UInt8(ascii: "_") || (bytes[1] >= UInt8(ascii: "A") && bytes[1] <= UInt8(ascii: "Z"))
        {
            return false
        }
        return true
    }

    /// A C identifier made from `text`: ASCII letters and digits are kept; every other ASCII
    /// character becomes `_` (runs collapse to one); a non-ASCII character becomes `u` and its
    /// code point in hex (`naïve` → `na_uef_ve`), so distinct names stay distinct where possible.
    /// Underscores at either end are dropped, and the result is cut to `maximumLength`. A result that starts with a digit or is a keyword
    /// gets the prefix `fallback` (`9lives` → `l_9lives`); an empty one is `fallback`.
    ///
    /// The result is only a base: two names can sanitize to the same identifier, so callers that
    /// need uniqueness go through `CSymbolTable`.
    public static func sanitize(_ text: String, prefix fallback: String = "l") -> String {
        var result = ""
        var lastWasUnderscore = false
        func append(_ piece: String) {
            for character in piece {
                if character == "_" {
                    if lastWasUnderscore { continue }
                    lastWasUnderscore = true
                } else {
                    lastWasUnderscore = false
                }
                result.append(character)
            }
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                append(isLetter(byte) || isDigit(byte) ? String(scalar) : "_")
            } else {
                append("_u" + String(scalar.value, radix: 16) + "_")
            }
        }
        // Long names are cut (C99 only promises 63 significant characters, and the generator
        // appends suffixes); `CSymbolTable` keeps names that then coincide apart.
        if result.count > maximumLength { result = String(result.prefix(maximumLength)) }
        // Underscores at either end carry nothing (and a leading one can make a reserved name).
        while result.hasSuffix("_") { result.removeLast() }
        while result.hasPrefix("_") { result.removeFirst() }
        if result.isEmpty { return fallback }
        if let first = result.utf8.first, isDigit(first) { result = fallback + "_" + result }
        if keywords.contains(result) { result = fallback + "_" + result }
        return result
    }

    /// `text` with ASCII letters upper-cased, for macro names (`digits` → `DIGITS`).
    public static func macroCase(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }, as: UTF8.self)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
