import Foundation
import Testing
import TopiaryTestSupport

/// `--max-accuracy-drop` and `--flash-budget` through the `topiary` executable: the measured
/// model meets the budget, and a budget nothing can meet exits 1 saying why.
@Suite("Budgeted compression on the command line")
struct BudgetCommandTests {
    typealias CLI = CompressionCommandTests

    static let data = [
        "--calibration", CLI.train, "--calibration-samples", "100", "--prune-method", "obs", "--quantize", "int8",
        "--budget-sparsities", "0.5,0.7,0.8,0.9",
    ]

    /// The first number (optionally signed, with decimals) after `prefix` on the line that has it.
    static func number(after prefix: String, in text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains(prefix) }),
            let range = line.range(of: prefix)
        else { return nil }
        let rest = line[range.upperBound...].drop { $0 == " " }
        return Double(rest.prefix { "-+.0123456789".contains($0) })
    }

    /// `convert` of the digits MLP as "digits" into `output`, searching for the sparsities
    /// whose int8 C fits `flashBudget` bytes, scored on the test digits.
    static func convert(flashBudget: Int, to output: String) throws -> Run {
        try topiary(
            arguments: [
                "convert", CLI.mlp, "-o", output, "--name", "digits", "--flash-budget", String(flashBudget),
                "--input", CLI.testX, "--labels", CLI.testY,
            ] + data)
    }

    @Test("evaluate --max-accuracy-drop: the compressed model is measured within the budget, and pruned")
    func accuracyBudget() throws {
        let run = try topiary(
            arguments: ["evaluate", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY, "--max-accuracy-drop", "1.5"] + Self.data)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "progress only goes to a terminal: \(run.stderr)")
        for column in ["Layer", "Sparsity", "Nonzeros", "Bytes", "fc1", "fc2", "fc3", "Total"] { #expect(run.stdout.contains(column)) }
        let change = try #require(Self.number(after: "change:", in: run.stdout), "\(run.stdout)")
        #expect(change >= -1.5, "\(run.stdout)")
        // The search's own measurement agrees with evaluate's.
        let measured = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("measured:") })
        let below = try #require(measured.firstMatch(of: /, (-?[0-9.]+) points below the float model/).flatMap { Double($0.1) })
        #expect(abs(below + change) < 0.01, "\(measured) vs change \(change)")
        // The chosen sparsities are recorded as the options that reproduce them.
        #expect(run.stdout.contains("--sparsity fc1="))
        let total = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("Total") })
        let sparsity = try #require(total.split(separator: " ").first { $0.hasSuffix("%") }.flatMap { Double($0.dropLast()) })
        #expect(sparsity >= 70, "the budget allows far more than \(sparsity)% on the digits MLP")
    }

    @Test("convert --flash-budget: the int8 C's constant data fits, and the choice is written in the header")
    func flashBudget() throws {
        try withScratchFolder { folder in
            let run = try Self.convert(flashBudget: 3200, to: folder)
            #expect(run.status == 0, "\(run.stderr)")
            let bytes = try #require(
                Self.number(after: "all constant data of the generated C (tables, float layers included):", in: run.stdout),
                "\(run.stdout)")
            #expect(bytes <= 3200)
            #expect(bytes > 2000, "a budget close to the size needed is used, not wasted")
            let header = try String(contentsOfFile: folder + "/digits.h", encoding: .utf8)
            #expect(header.contains("--sparsity fc1="))
            #expect(run.stdout.contains("bytes of constant data in the int8 C"))
        }
    }

    @Test(
        "convert --flash-budget --optimize size counts bytes in the formats convert writes for size: a budget only half-pruned bitmask layers fit"
    )
    func flashBudgetWithSizeGoal() throws {
        // Int8 at 50% everywhere is 7,521 bytes stored dense (balanced keeps half-pruned layers
        // dense) and 5,097 as bitmasks (size); 6,000 bytes is reachable only the way size stores.
        try withScratchFolder { folder in
            let run = try topiary(
                arguments: [
                    "convert", CLI.mlp, "-o", folder, "--name", "digits", "--flash-budget", "6000", "--optimize", "size",
                    "--budget-sparsities", "0.5", "--input", CLI.testX, "--labels", CLI.testY, "--calibration", CLI.train,
                    "--calibration-samples", "100", "--prune-method", "obs", "--quantize", "int8",
                ])
            #expect(run.status == 0, "\(run.stderr)")
            let measured = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("measured:") }, "\(run.stdout)")
            let searched = try #require(
                measured.firstMatch(of: /; ([0-9]+) bytes of constant data in the int8 C/).flatMap { Int($0.1) }, "\(measured)")
            let written = try #require(
                Self.number(after: "all constant data of the generated C (tables, float layers included):", in: run.stdout),
                "\(run.stdout)")
            #expect(Double(searched) == written, "the search counted \(searched) bytes, the C holds \(written)")
            #expect(written <= 6000)
            #expect(run.stdout.split(separator: "\n").contains { $0.hasPrefix("fc1") && $0.contains("bitmask") }, "\(run.stdout)")
        }
    }

    @Test(
        "the sparsities a search chose on the validation digits reproduce its measurement through --sparsity, and score on the holdout digits"
    )
    func chosenSparsitiesReproduce() throws {
        let data = samplesRoot.path + "/data/digits_"
        let search = try topiary(
            arguments: [
                "evaluate", CLI.mlp, "--input", data + "val_x.npy", "--labels", data + "val_y.npy",
                "--max-accuracy-drop", "2",
            ] + Self.data)
        #expect(search.status == 0, "\(search.stderr)")
        let measured = try #require(search.stdout.split(separator: "\n").first { $0.hasPrefix("measured:") }, "\(search.stdout)")
        let searchTop1 = try #require(measured.firstMatch(of: /top-1 ([0-9.]+)% \(([0-9]+)\/180\)/), "\(measured)")
        let chosen = try #require(
            search.stdout.firstMatch(of: /--sparsity (fc[0-9]=[0-9.]+(?:,fc[0-9]=[0-9.]+)*)/).map { String($0.1) },
            "\(search.stdout)")
        // Everything but the budget, with the chosen sparsities instead.
        var options = Self.data
        options.removeSubrange(options.firstIndex(of: "--budget-sparsities")!...options.firstIndex(of: "--budget-sparsities")! + 1)
        options += ["--sparsity", chosen]
        let again = try topiary(arguments: ["evaluate", CLI.mlp, "--input", data + "val_x.npy", "--labels", data + "val_y.npy"] + options)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("compressed: top-1 accuracy \(searchTop1.1)% (\(searchTop1.2)/180)"), "\(again.stdout)")
        let holdout = try topiary(
            arguments: ["evaluate", CLI.mlp, "--input", data + "holdout_x.npy", "--labels", data + "holdout_y.npy"] + options)
        #expect(holdout.status == 0, "\(holdout.stderr)")
        let change = try #require(Self.number(after: "change:", in: holdout.stdout), "\(holdout.stdout)")
        // Not chosen on these digits, so not held to the budget; far from magnitude pruning's collapse.
        #expect(change > -10, "\(holdout.stdout)")
    }

    @Test("a flash budget below the smallest model exits 1 and says what can be reached")
    func impossibleFlashBudget() throws {
        try withScratchFolder { folder in
            let run = try Self.convert(flashBudget: 600, to: folder + "/out")
            #expect(run.status == 1)
            #expect(run.stderr.contains("the flash budget of 600 bytes is below the smallest model the search can make"), "\(run.stderr)")
            #expect(run.stderr.contains("every layer at 90%"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/out"), "nothing is written when the budget fails")
        }
    }

    @Test("an accuracy budget the unpruned int8 model already breaks exits 1 and says by how much")
    func impossibleAccuracyBudget() throws {
        // Two calibration samples give poor int8 ranges: the unpruned int8 model loses a little.
        let run = try topiary(arguments: [
            "evaluate", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY, "--max-accuracy-drop", "0",
            "--quantize", "int8", "--calibration", CLI.train, "--calibration-samples", "2",
        ])
        #expect(run.status == 1)
        #expect(run.stderr.contains("even unpruned, the compressed model is"), "\(run.stderr)")
        #expect(run.stderr.contains("more than the 0.0 allowed"))
    }

    @Test("convert refuses validation data it would ignore: samples with nothing to compress, labels without samples")
    func dataItWouldIgnore() throws {
        let uncompressed = try topiary(
            arguments: ["convert", CLI.mlp, "-o", "/nonexistent/never", "--input", CLI.testX, "--labels", CLI.testY])
        #expect(uncompressed.status == 2)
        #expect(
            uncompressed.stderr.contains("--input and --labels measure the compressed model against the float model"),
            "\(uncompressed.stderr)")
        let unlabelled = try topiary(arguments: [
            "convert", CLI.mlp, "-o", "/nonexistent/never", "--sparsity", "0.5", "--labels", CLI.testY,
        ])
        #expect(unlabelled.status == 2)
        #expect(unlabelled.stderr.contains("--labels and --reshape apply to the validation samples: give --input X.npy too"))
    }

    @Test(
        "budget options that do not go together are usage errors",
        arguments: [
            (["--flash-budget", "3000", "--calibration", CLI.train], "--flash-budget counts the bytes of the int8 C"),
            (["--flash-budget", "3000", "--max-accuracy-drop", "1"], "not both"),
            (["--max-accuracy-drop", "1", "--sparsity", "0.8"], "drop --sparsity"),
            (["--max-accuracy-drop", "150"], "from 0 to 100"),
        ])
    func badOptions(_ extra: [String], _ message: String) throws {
        let run = try topiary(arguments: ["evaluate", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY] + extra)
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test("verify: an OBS-pruned int8 CNN has zero mismatches between C and the integer reference")
    func verifyObs() throws {
        let run = try topiary(arguments: [
            "verify", CLI.cnn, "--input", CLI.testX, "--reshape", "--sparsity", "0.8", "--prune-method", "obs",
            "--quantize", "int8", "--calibration", CLI.train, "--calibration-samples", "100",
        ])
        #expect(run.status == 0, "\(run.stderr)\(run.stdout)")
        #expect(run.stdout.contains("0 mismatches"))
        #expect(run.stdout.contains("compared 360 samples"))
    }
}
