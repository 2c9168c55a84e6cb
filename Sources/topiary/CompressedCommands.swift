import ArgumentParser
import Foundation
import Topiary

/// What `convert` and `verify` share when compression options are given: the library's
/// converter for these options and the account of what structured pruning did.
extension CompressionArguments {
    /// The converter for these options, with `conversion` and the flags recorded in the header comment.
    func converter(_ conversion: ConversionOptions, source: SourceDescription?) throws -> Converter {
        var conversion = conversion
        conversion.format = format
        conversion.optimize = optimize
        conversion.compression = recorded
        return Converter(compression: try options, conversion: conversion, source: source)
    }

    /// Prints what fine-tuning did and which channels structured pruning removed.
    func printOutcome(_ result: CompressionPipeline.Result) {
        if let summary = result.fineTuning { Console.say(summary.description) }
        if let summary = result.biasCorrection { Console.say(summary.description) }
        printChannelPruning(result.channelPruning)
        for (layer, count) in result.unreadChannels.sorted(by: { $0.key < $1.key }) {
            Console.say("removed \(count) channel(s) of '\(layer)' that no later layer reads after pruning")
        }
    }

    /// Prints which channels structured pruning removed and which layers it left alone.
    func printChannelPruning(_ result: ChannelPruningResult?) {
        guard let result else { return }
        for (layer, removed) in result.removed.sorted(by: { $0.key < $1.key }) {
            Console.say("removed \(removed.count) channel(s) of '\(layer)'")
        }
        for skipped in result.skipped { Console.say("kept every channel of '\(skipped.layer)': \(skipped.reason)") }
    }
}

extension ModelDataOptions {
    /// The imported model, the input arrays, and the outputs of the float model and of the
    /// compressed one.
    func predictCompressed(_ compression: CompressionArguments) throws -> (graph: Graph, float: [NDArray], compressed: [NDArray]) {
        let graph = try importGraph()
        let arrays = try loadInputs()
        let float = try FloatInference(graph: graph).predict(arrays, sources: input, reshape: reshape)
        let compressed = try compression.compress(graph).graph
        return (graph, float, try CompressedPrediction.predict(compressed, arrays, sources: input, reshape: reshape))
    }
}
