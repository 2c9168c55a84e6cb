import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("C float literals")
struct CFloatLiteralTests {
    /// Reads a C float constant back the way a C library does (`strtof` reads hex floats).
    func readBack(_ literal: String) -> Float {
        var text = literal
        if text.hasSuffix("f") { text.removeLast() }
        if text == "INFINITY" { return .infinity }
        if text == "-INFINITY" { return -.infinity }
        return strtof(text, nil)
    }

    static let specials: [Float] = [
        0, -0.0, 1, -1, 0.5, 6, 0.1, 1e-5, .pi, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        .leastNormalMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude / 3,
        Float(bitPattern: 0x007F_FFFF), 16_777_215, 16_777_216, 0.1953125, 1.0 / 3.0, -2.5e-38, 3.0e38,
    ]

    @Test("special values read back bit for bit", arguments: specials)
    func specialRoundTrip(_ value: Float) throws {
        let literal = try CFloatLiteral.literal(value)
        #expect(readBack(literal).bitPattern == value.bitPattern, "\(value) -> \(literal)")
    }

    @Test("random values read back bit for bit")
    func randomRoundTrip() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<20_000 {
            let value = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator))
            guard !value.isNaN else { continue }
            let literal = try CFloatLiteral.literal(value)
            #expect(readBack(literal).bitPattern == value.bitPattern, "\(value) -> \(literal)")
        }
    }

    @Test("short exact decimals stay decimal; the rest is hex; infinities use INFINITY")
    func spellings() throws {
        #expect(try CFloatLiteral.literal(0.5) == "0.5f")
        #expect(try CFloatLiteral.literal(6) == "6.0f")
        #expect(try CFloatLiteral.literal(-0.0) == "-0.0f")
        #expect(try CFloatLiteral.literal(0.1953125) == "0.1953125f")
        #expect(try CFloatLiteral.literal(0.1) == "0x1.99999ap-4f")
        #expect(try CFloatLiteral.literal(.greatestFiniteMagnitude) == "0x1.fffffep+127f")
        #expect(try CFloatLiteral.literal(.leastNonzeroMagnitude) == "0x1p-149f")
        #expect(try CFloatLiteral.literal(.infinity) == "INFINITY")
        #expect(try CFloatLiteral.literal(-.infinity) == "-INFINITY")
    }

    @Test("NaN is refused")
    func nanRefused() {
        #expect(throws: CFloatLiteral.Failure.notANumber) { try CFloatLiteral.literal(.nan) }
        #expect(throws: CFloatLiteral.Failure.notANumber) { try CFloatLiteral.literal(-.signalingNaN) }
    }

    @Test("a C compiler reads every spelling back exactly, under -Werror")
    func compiledRoundTrip() throws {
        let values = Self.specials + [.infinity, -.infinity]
        let literals = try values.map { try CFloatLiteral.literal($0) }
        let program = """
            #include <math.h>
            #include <stdio.h>
            #include <string.h>
            static const float values[\(values.count)] = { \(literals.joined(separator: ", ")) };
            int main(void)
            {
                int i;
                for (i = 0; i < \(values.count); ++i) {
                    unsigned int bits;
                    memcpy(&bits, &values[i], sizeof bits);
                    printf("%u\\n", bits);
                }
                return 0;
            }
            """
        try withScratchFolder { folder in
            try program.write(toFile: folder + "/floats.c", atomically: false, encoding: .utf8)
            try CCompiler.host().compile(CCompiler.strictFlags + ["floats.c", "-o", "floats", "-lm"], in: folder)
            let run = try ProcessRunner.run(folder + "/floats", [], in: folder)
            #expect(run.succeeded)
            let bits = run.stdout.split(separator: "\n").compactMap { UInt32($0) }
            #expect(bits == values.map(\.bitPattern))
        }
    }
}
