import ArgumentParser
import Foundation
import Topiary

extension TopiaryCommand {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the generated C against Topiary's Swift reference on real inputs.",
            discussion: """
                Generates the C for MODEL (compressed as the compression options ask) into a \
                temporary folder, compiles it with the host C compiler (cc, or the CC environment \
                variable) and a small driver, runs it on every sample of X, and compares each \
                output with Topiary's Swift reference. Prints the largest error and the worst \
                sample; exits 1 when a float model's output differs by more than \
                1e-5 * max(1, |y|) (1e-4 for models with recurrent layers), or when any output of \
                an int8 model differs at all. The temporary folder is always removed. With \
                compression options, also prints how far the compressed model is from the float \
                model on the same samples: the C can match the reference while compression broke \
                the model.
                """
        )

        @OptionGroup var data: ModelDataOptions

        @OptionGroup var conversion: ConversionArguments

        @OptionGroup(title: "Compression") var compression: CompressionArguments

        @Flag(help: "Compile with -fsanitize=address,undefined -fno-sanitize-recover=all.")
        var sanitize = false

        @Flag(help: "Print the report as JSON on standard output; messages go to standard error.")
        var json = false

        func run() throws {
            Console.jsonOutput = json
            let graph = try data.importGraph()
            let arrays = try data.loadInputs()
            let converter = try compression.converter(conversion.options, source: nil)
            let compressed = try compression.compress(graph).graph
            let harness = ParityHarness(options: converter.conversion, compiler: .host(), sanitize: sanitize)
            let report = try harness.verify(compressed, inputs: arrays, sources: data.input, reshape: data.reshape)
            let fidelity =
                compression.isEmpty
                ? nil
                : try FidelityReport.measure(
                    original: graph, compressed: compressed, arrays: arrays, sources: data.input, reshape: data.reshape)
            if json {
                if !report.compilerOutput.isEmpty { Console.say(report.compilerOutput) }
                try Console.json(VerificationReport(parity: report, fidelity: fidelity))
            } else {
                print("compiled with: \(report.compileCommand)")
                if !report.compilerOutput.isEmpty { print(report.compilerOutput) }
                print(report)
                if let fidelity { print(fidelity) }
            }
            guard report.passed else { throw ParityError.disagrees(report) }
        }
    }
}
