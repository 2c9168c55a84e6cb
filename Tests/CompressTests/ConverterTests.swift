import Testing
@testable import Topiary
import TopiaryTestSupport

/// The library's entry point from a graph to C: what it returns is the C of the compressed
/// graph, in the graph's precision, with the account of what compression did.
@Suite("converter")
struct ConverterTests {
    @Test("int8 with sparsity: the C of the compressed graph, the per-layer report of its weights, the options in the header")
    func int8Conversion() throws {
        let graph = try Samples.graph("cnn")
        let calibration = try Samples.calibration(for: graph)
        let compression = CompressionOptions(pruning: PruningOptions(target: .uniform(0.8)), quantization: .int8)
        let conversion = ConversionOptions(name: "net", format: .bitmask, compression: "--sparsity 0.8 --quantize int8")
        let converted = try Converter(compression: compression, conversion: conversion).convert(graph, calibration: calibration)

        let compressed = try CompressionPipeline.run(graph, options: compression, calibration: calibration).graph
        #expect(converted.graph == compressed)
        #expect(converted.model == (try CodeGenerator(options: conversion).generate(compressed)))
        #expect(converted.model.precision == .int8)
        #expect(converted.model.quantization?.inputs.count == 1)
        #expect(converted.model.source.contains("tp_dense_bitmask_s8"))
        #expect(converted.model.header.contains("Options: --name net --sparsity 0.8 --quantize int8"))
        let report = try #require(converted.report)
        #expect(report.layers == converted.model.layers)
        #expect(report.layers.map(\.layer) == ["conv1", "conv2", "bn2", "fc1", "fc2"])
        #expect(report.constantBytes == converted.model.weightBytes)
    }

    @Test("no compression: the float C of the imported graph itself, and no compression report")
    func floatConversion() throws {
        let graph = try Samples.graph("mlp")
        let converted = try Converter(conversion: ConversionOptions(name: "net")).convert(graph)
        #expect(converted.graph == graph)
        #expect(converted.report == nil)
        #expect(converted.model.precision == .float32)
        #expect(converted.model.quantization == nil)
        #expect(converted.model == (try CodeGenerator(options: ConversionOptions(name: "net")).generate(graph)))
        #expect(converted.model.header.contains("Options: --name net\n"))
    }

    @Test("a float model compressed without int8 records its compression in the header, as an int8 one does")
    func floatCompressionRecorded() throws {
        let options = CompressionOptions(pruning: PruningOptions(target: .uniform(0.5)))
        let converted = try Converter(compression: options, conversion: ConversionOptions(compression: "--sparsity 0.5"))
            .convert(try Samples.graph("mlp"))
        #expect(converted.model.precision == .float32)
        #expect(converted.model.header.contains(" * Options: --sparsity 0.5\n"))
        #expect(converted.report?.layers.map(\.layer) == ["fc1", "fc2", "fc3"])
    }
}
