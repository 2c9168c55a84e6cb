import Testing
@testable import Topiary

@Suite("C identifiers")
struct CIdentifierTests {
    @Test(
        "hostile names become plain identifiers",
        arguments: [
            ("*/ int x; /*", "int_x"),
            ("#define", "define"),
            ("a\\\nb", "a_b"),
            ("int", "l_int"),
            ("9lives", "l_9lives"),
            ("naïve", "na_uef_ve"),
            ("conv 1", "conv_1"),
            ("\"quoted\"", "quoted"),
            ("dense#2", "dense_2"),
            ("_hidden", "hidden"),
            ("__reserved", "reserved"),
            ("", "l"),
            ("***", "l"),
            ("日本", "u65e5_u672c"),
        ])
    func sanitize(_ name: String, _ expected: String) {
        let result = CIdentifier.sanitize(name)
        #expect(result == expected)
        #expect(CIdentifier.isValid(result), "'\(result)' is not a valid C identifier")
    }

    @Test("long names are cut, and names equal once cut stay distinct")
    func longNames() {
        let long = String(repeating: "layer_", count: 20)
        #expect(CIdentifier.sanitize(long).count <= CIdentifier.maximumLength)
        #expect(CIdentifier.isValid(CIdentifier.sanitize(long)))
        var table = CSymbolTable()
        #expect(table.claim(long + "a", "kernel") != table.claim(long + "b", "kernel"))
    }

    @Test("validation accepts C identifiers and refuses everything else")
    func validation() {
        for name in ["digits", "Digits2", "my_model", "_x", "x_"] {
            #expect(CIdentifier.isValid(name), "\(name) should be accepted")
        }
        for name in ["", "9lives", "int", "while", "my model", "naïve", "a-b", "__x", "_X", "a*/b", "a\nb"] {
            #expect(!CIdentifier.isValid(name), "\(name.debugDescription) should be refused")
        }
    }

    @Test("macro names upper-case ASCII letters only")
    func macroCase() {
        #expect(CIdentifier.macroCase("digits") == "DIGITS")
        #expect(CIdentifier.macroCase("myNet_2") == "MYNET_2")
    }

    @Test("names that collide after sanitizing get distinct identifiers, deterministically")
    func uniqueness() {
        var table = CSymbolTable(reserved: ["digits_predict"])
        let names = ["conv 1", "conv_1", "conv-1", "conv_1_", "conv__1"].map { table.claim($0, "kernel") }
        #expect(names == ["conv_1_kernel", "conv_1_kernel_2", "conv_1_kernel_3", "conv_1_kernel_4", "conv_1_kernel_5"])
        #expect(Set(names).count == names.count)
        // A layer whose name plus a suffix equals another's.
        var other = CSymbolTable()
        #expect(other.claim("a", "depthwise_kernel") == "a_depthwise_kernel")
        #expect(other.claim("a_depthwise", "kernel") == "a_depthwise_kernel_2")
        // Reserved names and the kernels' own prefix are never handed out.
        #expect(table.claim("digits_predict") == "digits_predict_2")
        #expect(table.claim("tp_dense_f32") == "l_tp_dense_f32")
        #expect(table.claim("while") == "l_while")
    }
}
