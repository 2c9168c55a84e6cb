import Testing
@testable import Topiary

@Suite("C comment escaping")
struct CCommentTests {
    @Test(
        "escaped text can neither end the comment nor reach the next line",
        arguments: [
            "*/ int x; /*", "/* nested", "a\\\nb", "a\\", "line\r\nbreak", "??/", "tab\there", "*/*/", "/*/", "naïve", "\u{0}\u{7f}",
        ])
    func safe(_ text: String) {
        let escaped = CComment.escape(text)
        #expect(!escaped.contains("*/"))
        #expect(!escaped.contains("/*"))
        #expect(!escaped.contains("\n") && !escaped.contains("\r"))
        #expect(!escaped.contains("??"))
        #expect(escaped.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7f })
        // Backslashes come in escape pairs, so none can join the comment's end to the next line.
        #expect(escaped.reversed().prefix { $0 == "\\" }.count % 2 == 0)
    }

    @Test("readable escapes")
    func readable() {
        #expect(CComment.escape("*/ int x; /*") == "*\\/ int x; /\\*")
        #expect(CComment.escape("a\\\nb") == "a\\\\\\nb")
        #expect(CComment.escape("naïve") == "na\\u{ef}ve")
        #expect(CComment.escape("plain name_1") == "plain name_1")
    }
}
