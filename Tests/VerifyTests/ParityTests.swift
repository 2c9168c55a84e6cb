import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// The generated C against the Swift reference on every sample model and zoo layer, through
/// the same harness `topiary verify` uses: each model compiled once, all its samples in one run.
@Suite("Parity of the generated C")
struct ParityTests {
    @Test("the sample folders are there")
    func samplesExist() {
        #expect(SampleFolder.all(in: "models").count >= 2)
        #expect(SampleFolder.all(in: "zoo").count >= 10)
    }

    @Test(
        "C matches the reference within tolerance, the model and driver compiling without a warning", arguments: SampleFolder.modelsAndZoo)
    func parity(_ sample: SampleFolder) throws {
        let inputs = try sample.inputs()
        try #require(!inputs.isEmpty, "\(sample.name) has no input arrays")
        let graph = try sample.importGraph()
        let report = try ParityHarness().verify(graph, inputs: inputs)
        #expect(report.samples == inputs[0].sampleCount)
        #expect(report.passed, "\(sample.name): \(report)")
        #expect(report.compilerOutput.isEmpty, "\(sample.name): \(report.compilerOutput)")
        #expect(report.tolerance == ((try sample.info()["recurrent"] as? Bool ?? false) ? 1e-4 : 1e-5))
    }

    @Test("no sanitizer report", arguments: ["mlp", "cnn", "gru", "residual", "multi_io"].map(SampleFolder.model))
    func sanitized(_ sample: SampleFolder) throws {
        let inputs = try sample.inputs()
        let report = try ParityHarness(sanitize: true).verify(try sample.importGraph(), inputs: inputs)
        #expect(report.passed, "\(sample.name): \(report)")
        #expect(report.compileCommand.contains("-fsanitize=address,undefined"))
    }

    @Test("a hand-made diamond graph with an in-place add matches the reference")
    func diamond() throws {
        let report = try ParityHarness().verify(HandMadeGraphs.diamond(), inputs: [randomSamples([16, 8], in: -2...2, seed: 7)])
        #expect(report.passed, "\(report)")
    }

    @Test("an embedding id outside the vocabulary makes the C return an error, as the reference throws")
    func embeddingOutOfRange() throws {
        let sample = SampleFolder(
            name: "zoo/embedding_flatten", path: repositoryRoot.appendingPathComponent("samples/zoo/embedding_flatten").path)
        let graph = try sample.importGraph()
        var bad = try sample.inputs()[0]
        bad.values[3] = 1000
        // The reference refuses first; check the C on its own through a direct run.
        #expect(throws: InferenceError.self) { try ParityHarness().verify(graph, inputs: [bad]) }
        let model = try CodeGenerator(options: ConversionOptions(name: "emb")).generate(graph)
        try withScratchFolder { folder in
            try write(model, to: folder)
            let program = """
                #include <stdio.h>
                #include "emb.h"
                int main(void)
                {
                    float input[EMB_INPUT_SIZE] = { 0 };
                    float output[EMB_OUTPUT_SIZE];
                    int good = emb_predict(input, output);
                    input[2] = 10.0f;
                    printf("%d %d %d\\n", good, emb_predict(input, output), emb_predict(NULL, output));
                    return 0;
                }
                """
            try program.write(toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try CCompiler.host().compile(CCompiler.strictFlags + ["emb.c", "main.c", "-o", "main", "-lm"], in: folder)
            let run = try ProcessRunner.run(folder + "/main", [], in: folder)
            #expect(run.stdout == "0 1 2\n")
        }
    }
}
