import ArgumentParser
import Foundation
import Topiary

extension TopiaryCommand {
    struct Profile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count the instructions of one inference on an emulated Cortex-M core.",
            discussion: """
                Generates the C for MODEL (compressed as the compression options say), builds it \
                with arm-none-eabi-gcc for the target core with a small driver, runs it under \
                qemu-system-arm with -icount shift=0 (one emulated nanosecond per instruction, \
                read through the SysTick timer, resolution 40 instructions) and prints the \
                instructions per inference in total and per layer, the flash and RAM of the model \
                and of the whole image, and how the outputs compare with the Swift reference \
                (int8 models: bit for bit). Per-layer counts come from a second build in which \
                TOPIARY_PROFILE_MARK reads the timer between layers; the total comes from the \
                build as users compile it. Exits 1 when a tool is missing (the message names the \
                Debian package) or when an output differs from the reference.
                """
        )

        @OptionGroup var data: ModelDataOptions

        @Option(help: "How many samples of X to run (default 4; each takes a few seconds of emulation on a large model).")
        var samples: Int = 4

        @Option(help: "Compile for speed (-O2) or size (-Os).")
        var opt: ProfileOptimization = .speed

        @Flag(help: "Print the report as JSON.")
        var json = false

        @OptionGroup var conversion: ConversionArguments

        @OptionGroup(title: "Compression") var compression: CompressionArguments

        func validate() throws {
            guard samples > 0 else { throw ValidationError("--samples must be at least 1") }
        }

        func run() throws {
            Console.jsonOutput = json
            if let missing = EmulatedProfiler.missingTool() { throw missing }
            let graph = try data.importGraph()
            let arrays = try data.loadInputs()
            let (generated, compiled) = try compression.generate(graph, conversion: conversion.options)
            let report = try EmulatedProfiler(target: conversion.target ?? .profileDefault, optimization: opt)
                .profile(generated, graph: compiled, inputs: arrays, sources: data.input, reshape: data.reshape, limit: samples)
            if json {
                try Console.json(report)
            } else {
                print(report)
            }
            guard report.passed else { throw ExitCode(ExitStatus.failure.rawValue) }
        }
    }
}

extension ProfileOptimization: ExpressibleByArgument {}

extension CompressionArguments {
    /// The C for `graph` compressed with these options (as `convert` makes it, so without options
    /// too), and the graph it was generated from, whose reference outputs it must reproduce.
    func generate(_ graph: Graph, conversion: ConversionOptions) throws -> (GeneratedModel, Graph) {
        let options = try converter(conversion, source: nil).conversion
        let compressed = try compress(graph).graph
        return (try CodeGenerator(options: options).generate(compressed), compressed)
    }
}
