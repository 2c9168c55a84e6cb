// Throughput of the float reference engine on a sample model (by default the digits CNN in
// samples/models/cnn): samples per second on one thread and over every core, in one run.
//
//     swift run -c release reference-bench [SAMPLE_FOLDER] [--repeat N] [--one-thread]
//
// Wall-clock figures on shared machines vary between runs; the ratio printed at the end
// (all cores / one thread) is measured within one run and is the steadier number. For a
// repeatable cost, count instructions with `--one-thread` under callgrind at two repeat
// counts; the difference divided by the extra samples is the instructions per sample:
//
//     valgrind --tool=callgrind --callgrind-out-file=/tmp/a.out reference-bench --one-thread --repeat 1
//     valgrind --tool=callgrind --callgrind-out-file=/tmp/b.out reference-bench --one-thread --repeat 3
import Foundation
import Topiary

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}

func main() throws {
    var arguments = Array(CommandLine.arguments.dropFirst())
    var repeats = 5
    let oneThread = arguments.contains("--one-thread")
    arguments.removeAll { $0 == "--one-thread" }
    if let flag = arguments.firstIndex(of: "--repeat") {
        guard flag + 1 < arguments.count, let value = Int(arguments[flag + 1]), value > 0 else {
            throw BenchmarkFailure(description: "--repeat needs a positive count")
        }
        repeats = value
        arguments.removeSubrange(flag...(flag + 1))
    }
    let folder = arguments.first ?? "samples/models/cnn"
    let infoData = try Data(contentsOf: URL(fileURLWithPath: folder + "/info.json"))
    guard let info = try JSONSerialization.jsonObject(with: infoData) as? [String: Any], let file = info["file"] as? String else {
        throw BenchmarkFailure(description: "\(folder)/info.json: no 'file' entry; give a samples/models/<name> folder")
    }
    let config = (info["config"] as? String).map { folder + "/" + $0 }
    let graph = try KerasImporter().importGraph(modelPath: folder + "/" + file, configPath: config)
    let engine = try FloatInference(graph: graph)
    let input = try NpyFile.read(path: folder + "/input.npy")
    let expected = try NpyFile.read(path: folder + "/output.npy")
    let samples = (0..<input.sampleCount).map { [input.sample($0)] }

    // Warm up, and check the engine still agrees with Keras before timing it.
    let outputs = oneThread ? try samples.map { try engine.run($0) } : try engine.run(batch: samples)
    let worst = zip(outputs.flatMap { $0[0].values }, expected.values).map { abs($0 - $1) }.max() ?? 0

    let clock = ContinuousClock()
    let single = try clock.measure {
        for _ in 0..<repeats {
            for sample in samples { _ = try engine.run(sample) }
        }
    }
    let parallel = try clock.measure {
        if !oneThread {
            for _ in 0..<repeats { _ = try engine.run(batch: samples) }
        }
    }
    func rate(_ duration: Duration) -> Double {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        return Double(samples.count * repeats) / seconds
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("model \(graph.name) (\(folder)), \(samples.count) samples × \(repeats), max |Δ| vs Keras \(worst)")
    print("one thread: \(Int(rate(single).rounded())) samples/s")
    if !oneThread {
        print("\(cores) cores:    \(Int(rate(parallel).rounded())) samples/s")
        print("ratio all cores / one thread: \(String(format: "%.2f", rate(parallel) / rate(single)))")
    }
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
