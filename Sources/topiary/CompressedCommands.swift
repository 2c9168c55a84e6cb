import ArgumentParser
import Foundation
import Topiary

/// What `convert`, `verify`, `evaluate` and `predict` do when compression options are given:
/// compress the imported model with the library's passes, then generate, check or run the
/// compressed model.
extension CompressionArguments {
    /// `convert`: writes the C of the compressed model and prints the per-layer table.
    func convert(_ graph: Graph, conversion: ConversionOptions, source: SourceDescription, output: String) throws {
        let result = try compress(graph)
        let compressed = result.graph
        let files: [GeneratedModel.File]
        let report: CompressionReport
        let generated: GeneratedModel
        switch quantize {
        case .int8:
            let model = try Int8CodeGenerator(options: conversion, format: format, compression: recorded, source: source).generate(compressed)
            generated = model.generated
            files = model.generated.files
            report = CompressionReport(layers: model.layers, original: graph, constantBytes: model.generated.weightBytes)
            if !model.floatLayers.isEmpty {
                print("computed in float inside the int8 model: \(model.floatLayers.joined(separator: ", "))")
            }
        case .int8Weights:
            generated = try CodeGenerator(options: conversion, source: source).generate(compressed)
            files = generated.files
            report = CompressionReport(layers: CompressionReport.int8WeightLayers(compressed), original: graph)
        case .none:
            generated = try CodeGenerator(options: conversion, source: source).generate(compressed)
            files = generated.files
            report = CompressionReport(layers: CompressionReport.floatLayers(compressed), original: graph, constantBytes: generated.weightBytes)
        }
        let written = try OutputFolder.write(files, to: output)
        print("wrote \(written[0]), \(written[1]) and \(written.count - 2) kernel header\(written.count == 3 ? "" : "s")")
        print(report.table(title: "Compression (\(recorded)):"))
        for cap in result.globalRankingCaps { print("capped: \(cap.description), so that every layer and output channel keeps weights") }
        let footprint = Footprint.of(generated)
        switch footprint.method {
        case let .measured(command):
            print("flash: \(footprint.flashBytes) bytes, RAM: \(footprint.ramBytes) bytes (arm-none-eabi-size on `\(command) -c \(generated.name).c`)")
        case let .computed(reason):
            print("flash: \(footprint.rodata) bytes of constants plus code, RAM: \(footprint.bss) bytes (computed, not measured: \(reason))")
        }
        print("arena: \(generated.arenaBytes) bytes planned (\(generated.unsharedArenaBytes) with one buffer per tensor)")
    }

    /// `verify`: for int8, zero mismatches with the integer reference; otherwise the float
    /// harness on the compressed model.
    func verify(_ graph: Graph, conversion: ConversionOptions, inputs: [NDArray], sources: [String], reshape: Bool,
                sanitize: Bool) throws {
        let compressed = try compress(graph).graph
        switch quantize {
        case .int8:
            let generator = Int8CodeGenerator(options: conversion, format: format, compression: recorded)
            let report = try Int8ParityHarness(generator: generator, compiler: .host(), sanitize: sanitize)
                .verify(compressed, inputs: inputs, reshape: reshape)
            print("compiled with: \(report.compileCommand)")
            if !report.compilerOutput.isEmpty { print(report.compilerOutput) }
            print(report)
            guard report.passed else { throw Int8ParityError(report) }
        case .none, .int8Weights:
            let report = try ParityHarness(options: conversion, compiler: .host(), sanitize: sanitize)
                .verify(compressed, inputs: inputs, sources: sources, reshape: reshape)
            print("compiled with: \(report.compileCommand)")
            if !report.compilerOutput.isEmpty { print(report.compilerOutput) }
            print(report)
            guard report.passed else { throw ParityError.outOfTolerance(report) }
        }
    }
}

extension ModelDataOptions {
    /// The imported model, the input arrays, and the outputs of the float model and of the
    /// compressed one.
    func predictCompressed(_ compression: CompressionArguments) throws -> (graph: Graph, float: [NDArray], compressed: [NDArray]) {
        let graph = try importing.importer.importGraph(modelPath: model, configPath: config)
        let arrays = try input.map(ArrayFile.load)
        let float = try FloatInference(graph: graph).predict(arrays, sources: input, reshape: reshape)
        let compressed = try compression.compress(graph).graph
        return (graph, float, try CompressedPrediction.predict(compressed, arrays, sources: input, reshape: reshape))
    }
}
