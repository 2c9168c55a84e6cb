import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// The `_arena` entry points keep no state of their own: two threads on one model with their
/// own arenas, and two models sharing one buffer, give byte for byte what the static entry
/// points give, and a NULL or misaligned arena is an error status, not a crash.
@Suite("Caller-owned arenas")
struct CallerArenaTests {
    /// A model under test: its label, its graph and the test inputs of its first input.
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let sample: String
        let int8: Bool
        var testDescription: String { label }

        func graph() throws -> Graph {
            let graph = try SampleFolder.model(sample).importGraph()
            guard int8 else { return graph }
            let calibration = try Calibration.samples(from: try SampleFolder.model(sample).inputs(), for: graph)
            return try Quantizer.quantize(graph, samples: calibration)
        }

        /// The first 16 test samples of the first input, raw little-endian float32.
        func inputBytes() throws -> (data: Data, samples: Int) {
            let input = try #require(try SampleFolder.model(sample).inputs().first)
            let count = min(input.sampleCount, 16)
            let values = Array(input.values.prefix(count * input.sampleShape.reduce(1, *)))
            return (values.withUnsafeBufferPointer { Data(buffer: $0) }, count)
        }
    }

    /// A convolutional model, a recurrent one (whose state must live in the arena) and both
    /// quantized (whose float entry points stage int8 copies in the arena).
    static let cases = [
        Case(label: "float cnn", sample: "cnn", int8: false), Case(label: "float gru", sample: "gru", int8: false),
        Case(label: "int8 cnn", sample: "cnn", int8: true), Case(label: "int8 gru", sample: "gru", int8: true),
    ]

    /// The compiler that builds and runs a ThreadSanitizer program here, if any.
    static let threadSanitizerCompiler: String? = ["gcc", "clang"].first { compiler in
        guard installed(compiler) else { return false }
        return
            (try? withScratchFolder { folder in
                try "int main(void) { return 0; }\n".write(toFile: folder + "/probe.c", atomically: false, encoding: .utf8)
                try CCompiler(command: [compiler]).compile(["-fsanitize=thread", "probe.c", "-o", "probe"], in: folder)
                return try CProgram.execute(folder + "/probe", []).status == 0
            }) ?? false
    }

    /// Writes `model` (named `net`), the threads program and the inputs; compiles with
    /// `compiler` and `flags` and runs it, returning its standard output.
    func runThreads(_ test: Case, compiler: String, flags: [String]) throws -> String {
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try test.graph())
        let (inputs, samples) = try test.inputBytes()
        return try withScratchFolder { folder in
            try write(model, to: folder)
            try Self.threadsProgram(samples: samples, int8: test.int8).write(toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try inputs.write(to: URL(fileURLWithPath: folder + "/inputs.bin"))
            try CCompiler(command: [compiler]).compile(
                CProgram.strictFlags + flags + ["-I", CProgram.includeDirectory, "main.c", "net.c", "-o", "threads", "-pthread", "-lm"],
                in: folder)
            let result = try CProgram.execute(folder + "/threads", [folder + "/inputs.bin"])
            #expect(result.status == 0, "\(test.label): \(result.stdout) \(result.stderr.prefix(3000))")
            #expect(!result.stderr.contains("ThreadSanitizer"), "\(result.stderr.prefix(3000))")
            return result.stdout
        }
    }

    /// The line the threads program prints when both threads matched the static entry point on
    /// every pass.
    func expectedLine(_ test: Case, model: GeneratedModel) throws -> String {
        let samples = try test.inputBytes().samples
        let values = 2 * 3 * samples * model.outputSizes[0]
        return test.int8 ? "identical: \(values) float and \(values) int8 values\n" : "identical: \(values) float values\n"
    }

    @Test("two threads with their own arenas give the static entry point's outputs byte for byte", arguments: cases)
    func twoThreads(_ test: Case) throws {
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try test.graph())
        let output = try runThreads(test, compiler: CCompiler.host().command[0], flags: ["-O2"])
        #expect(output == (try expectedLine(test, model: model)))
    }

    @Test(
        "two threads on one model raise no ThreadSanitizer report",
        .enabled(if: threadSanitizerCompiler != nil, "no compiler here links -fsanitize=thread"), arguments: cases)
    func twoThreadsUnderThreadSanitizer(_ test: Case) throws {
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try test.graph())
        let compiler = try #require(Self.threadSanitizerCompiler)
        let output = try runThreads(test, compiler: compiler, flags: ["-O1", "-g", "-fsanitize=thread"])
        #expect(output == (try expectedLine(test, model: model)))
    }

    @Test("two models called in turn on one buffer of the larger ARENA_BYTES give their static outputs")
    func twoModelsShareOneBuffer() throws {
        let mlp = Case(label: "float mlp", sample: "mlp", int8: false)
        let first = try CodeGenerator(options: ConversionOptions(name: "first")).generate(try mlp.graph())
        let second = try CodeGenerator(options: ConversionOptions(name: "second")).generate(try Self.cases[2].graph())
        let (inputs, samples) = try mlp.inputBytes()
        #expect(first.arenaBytes > 0 && second.arenaBytes > 0)
        let output = try withScratchFolder { folder in
            try write(first, to: folder)
            try write(second, to: folder)
            try Self.sharedBufferProgram(samples: samples).write(toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try inputs.write(to: URL(fileURLWithPath: folder + "/inputs.bin"))
            try CCompiler.host().compile(
                CProgram.strictFlags + CProgram.sanitizerFlags
                    + ["-O1", "-I", CProgram.includeDirectory, "main.c", "first.c", "second.c", "-o", "shared", "-lm"],
                in: folder)
            let result = try CProgram.execute(folder + "/shared", [folder + "/inputs.bin"])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr.prefix(3000))")
            return result.stdout
        }
        let values = samples * (first.outputSizes[0] + 2 * second.outputSizes[0])
        #expect(output == "identical: \(values) values\n")
    }

    @Test("a NULL arena returns 2 and a misaligned one 3, leaving the output untouched", arguments: [cases[0], cases[2]])
    func badArena(_ test: Case) throws {
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try test.graph())
        let output = try withScratchFolder { folder in
            try write(model, to: folder)
            try Self.badArenaProgram(int8: test.int8).write(toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try CCompiler.host().compile(
                CProgram.strictFlags + CProgram.sanitizerFlags
                    + ["-O1", "-I", CProgram.includeDirectory, "main.c", "net.c", "-o", "bad", "-lm"], in: folder)
            let result = try CProgram.execute(folder + "/bad", [])
            #expect(result.status == 0, "\(result.stderr.prefix(3000))")
            return result.stdout
        }
        let expected =
            test.int8
            ? "NULL: 2 2 2 2\nmisaligned: 3 3 3 3\noutput untouched\n" : "NULL: 2 2\nmisaligned: 3 3\noutput untouched\n"
        #expect(output == expected)
    }

    @Test("a model that needs no arena takes NULL for it")
    func noArenaTakesNull() throws {
        let model = try CodeGenerator(options: ConversionOptions(name: "edge")).generate(EdgeCaseGraphTests.graphs[0].1)
        #expect(model.arenaBytes == 0)
        let output = try withScratchFolder { folder in
            try write(model, to: folder)
            try """
            #include <stdio.h>
            #include "edge.h"
            int main(void)
            {
                float input[EDGE_INPUT_SIZE] = {0}, expected[EDGE_OUTPUT_SIZE], output[EDGE_OUTPUT_SIZE];
                int statuses[2];
                statuses[0] = edge_predict(input, expected);
                statuses[1] = edge_predict_arena(NULL, input, output);
                printf("%d %d %d\\n", statuses[0], statuses[1], EDGE_ARENA_BYTES);
                return 0;
            }

            """.write(toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try CCompiler.host().compile(
                CProgram.strictFlags + ["-I", CProgram.includeDirectory, "main.c", "edge.c", "-o", "edge", "-lm"], in: folder)
            return try CProgram.execute(folder + "/edge", []).stdout
        }
        #expect(output == "0 0 0\n")
    }

    @Test("the header documents the arena macros, the _arena prototypes and the error status")
    func headerDocumentsArena() throws {
        for test in [Self.cases[0], Self.cases[2]] {
            let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try test.graph())
            let lines = model.header.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("#define NET_ARENA_ALIGN ") && $0.hasSuffix(" 4") })
            #expect(lines.contains("int net_predict_arena(void *arena, const float *input, float *output);"))
            #expect(lines.contains("int net_predict_multi_arena(void *arena, const float *const *inputs, float *const *outputs);"))
            #expect(model.header.contains("3 when the arena is not\n * aligned to NET_ARENA_ALIGN bytes."))
            #expect(model.header.contains("calls on separate arenas may run at once"))
            if test.int8 {
                #expect(lines.contains("int net_predict_int8_arena(void *arena, const int8_t *input, int8_t *output);"))
                #expect(
                    lines.contains(
                        "int net_predict_int8_multi_arena(void *arena, const int8_t *const *inputs, int8_t *const *outputs);"))
                let total = (model.arenaBytes + 3) / 4 * 4
                let staging = model.inputSizes[0] + model.outputSizes[0]
                #expect(lines.contains { $0.hasPrefix("#define NET_ARENA_BYTES ") && $0.hasSuffix(" \(total)") })
                #expect(lines.contains { $0.hasPrefix("#define NET_STAGING_BYTES ") && $0.hasSuffix(" \(staging)") })
            } else {
                #expect(lines.contains { $0.hasPrefix("#define NET_ARENA_BYTES ") && $0.hasSuffix(" \(model.arenaBytes)") })
            }
        }
    }

    @Test("the static arena is the only mutable file-scope object of the generated C")
    func onlyStaticArenaIsMutable() throws {
        for test in Self.cases {
            let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try test.graph())
            let code = strippingComments(model.source).split(separator: "\n")
            // Everything else at file scope is a constant or a function (`static int NAME_run(`).
            let mutableStatics = code.filter { $0.hasPrefix("static ") && !$0.hasPrefix("static const ") && !$0.hasPrefix("static int ") }
            #expect(mutableStatics == ["static net_arena_views net_arena TOPIARY_ARENA_SECTION TOPIARY_ALIGN(16);"], "\(test.label)")
        }
    }

    /// Reads the samples, runs the static entry point once for the expected outputs, then two
    /// threads each with its own malloc'd arena run every sample three times; prints how many
    /// values matched, or the first mismatch, exiting non-zero.
    static func threadsProgram(samples: Int, int8: Bool) -> String {
        """
        #define _POSIX_C_SOURCE 200809L
        #include <math.h>
        #include <pthread.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include "net.h"

        #define SAMPLES \(samples)
        #define PASSES 3
        #define INT8_MODEL \(int8 ? 1 : 0)

        static float inputs[SAMPLES][NET_INPUT_SIZE];
        static float expected[SAMPLES][NET_OUTPUT_SIZE];
        #if INT8_MODEL
        static int8_t quantized[SAMPLES][NET_INPUT_SIZE];
        static int8_t expected_int8[SAMPLES][NET_OUTPUT_SIZE];
        #endif

        struct worker {
            void *arena;
            int failures;
            float outputs[PASSES][SAMPLES][NET_OUTPUT_SIZE];
        #if INT8_MODEL
            int8_t outputs_int8[PASSES][SAMPLES][NET_OUTPUT_SIZE];
        #endif
        };

        static void *work(void *argument)
        {
            struct worker *w = argument;
            int pass, s;
            for (pass = 0; pass < PASSES; ++pass) {
                for (s = 0; s < SAMPLES; ++s) {
                    w->failures += net_predict_arena(w->arena, inputs[s], w->outputs[pass][s]) != 0;
        #if INT8_MODEL
                    w->failures += net_predict_int8_arena(w->arena, quantized[s], w->outputs_int8[pass][s]) != 0;
        #endif
                }
            }
            return NULL;
        }

        int main(int argc, char **argv)
        {
            struct worker *workers[2];
            pthread_t threads[2];
            long matched = 0;
            int s, t, pass;
            FILE *file = argc > 1 ? fopen(argv[1], "rb") : NULL;
            if (file == NULL || fread(inputs, sizeof inputs, 1, file) != 1) {
                printf("cannot read the inputs\\n");
                return 1;
            }
            fclose(file);
            for (s = 0; s < SAMPLES; ++s) {
                if (net_predict(inputs[s], expected[s]) != 0) {
                    printf("static entry point failed on sample %d\\n", s);
                    return 1;
                }
        #if INT8_MODEL
                for (t = 0; t < NET_INPUT_SIZE; ++t) {
                    long q = lroundf(inputs[s][t] / NET_INPUT_SCALE) + NET_INPUT_ZERO_POINT;
                    quantized[s][t] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
                }
                if (net_predict_int8(quantized[s], expected_int8[s]) != 0) {
                    printf("static int8 entry point failed on sample %d\\n", s);
                    return 1;
                }
        #endif
            }
            for (t = 0; t < 2; ++t) {
                workers[t] = calloc(1, sizeof *workers[t]);
                workers[t]->arena = malloc(NET_ARENA_BYTES);
                if (workers[t]->arena == NULL) {
                    return 1;
                }
            }
            for (t = 0; t < 2; ++t) {
                pthread_create(&threads[t], NULL, work, workers[t]);
            }
            for (t = 0; t < 2; ++t) {
                pthread_join(threads[t], NULL);
            }
            for (t = 0; t < 2; ++t) {
                if (workers[t]->failures != 0) {
                    printf("thread %d: %d calls failed\\n", t, workers[t]->failures);
                    return 1;
                }
                for (pass = 0; pass < PASSES; ++pass) {
                    for (s = 0; s < SAMPLES; ++s) {
                        if (memcmp(workers[t]->outputs[pass][s], expected[s], sizeof expected[s]) != 0) {
                            printf("thread %d pass %d sample %d differs\\n", t, pass, s);
                            return 1;
                        }
        #if INT8_MODEL
                        if (memcmp(workers[t]->outputs_int8[pass][s], expected_int8[s], sizeof expected_int8[s]) != 0) {
                            printf("thread %d pass %d sample %d differs (int8)\\n", t, pass, s);
                            return 1;
                        }
        #endif
                        matched += NET_OUTPUT_SIZE;
                    }
                }
                free(workers[t]->arena);
                free(workers[t]);
            }
        #if INT8_MODEL
            printf("identical: %ld float and %ld int8 values\\n", matched, matched);
        #else
            printf("identical: %ld float values\\n", matched);
        #endif
            return 0;
        }

        """
    }

    /// A float model `first` and an int8 model `second` on one buffer of the larger of their
    /// ARENA_BYTES, called in turn on every sample (each call overwrites the other's arena),
    /// against their static entry points.
    static func sharedBufferProgram(samples: Int) -> String {
        """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include "first.h"
        #include "second.h"

        #define SAMPLES \(samples)
        #define SHARED_BYTES (FIRST_ARENA_BYTES > SECOND_ARENA_BYTES ? FIRST_ARENA_BYTES : SECOND_ARENA_BYTES)

        static float inputs[SAMPLES][FIRST_INPUT_SIZE];
        static int8_t quantized[SAMPLES][SECOND_INPUT_SIZE];

        int main(int argc, char **argv)
        {
            float a[FIRST_OUTPUT_SIZE], b[SECOND_OUTPUT_SIZE], expected_a[FIRST_OUTPUT_SIZE], expected_b[SECOND_OUTPUT_SIZE];
            int8_t c[SECOND_OUTPUT_SIZE], expected_c[SECOND_OUTPUT_SIZE];
            long matched = 0;
            int s, k;
            void *shared = malloc(SHARED_BYTES);
            FILE *file = argc > 1 ? fopen(argv[1], "rb") : NULL;
            typedef char same_input[FIRST_INPUT_SIZE == SECOND_INPUT_SIZE ? 1 : -1];
            (void)sizeof(same_input);
            if (shared == NULL || file == NULL || fread(inputs, sizeof inputs, 1, file) != 1) {
                printf("cannot read the inputs\\n");
                return 1;
            }
            fclose(file);
            for (s = 0; s < SAMPLES; ++s) {
                for (k = 0; k < SECOND_INPUT_SIZE; ++k) {
                    long q = lroundf(inputs[s][k] / SECOND_INPUT_SCALE) + SECOND_INPUT_ZERO_POINT;
                    quantized[s][k] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
                }
                if (first_predict_arena(shared, inputs[s], a) != 0 || second_predict_arena(shared, inputs[s], b) != 0
                    || second_predict_int8_arena(shared, quantized[s], c) != 0) {
                    printf("an _arena call failed on sample %d\\n", s);
                    return 1;
                }
                if (first_predict(inputs[s], expected_a) != 0 || second_predict(inputs[s], expected_b) != 0
                    || second_predict_int8(quantized[s], expected_c) != 0) {
                    printf("a static call failed on sample %d\\n", s);
                    return 1;
                }
                if (memcmp(a, expected_a, sizeof a) != 0 || memcmp(b, expected_b, sizeof b) != 0 || memcmp(c, expected_c, sizeof c) != 0) {
                    printf("sample %d differs\\n", s);
                    return 1;
                }
                matched += FIRST_OUTPUT_SIZE + 2 * SECOND_OUTPUT_SIZE;
            }
            free(shared);
            printf("identical: %ld values\\n", matched);
            return 0;
        }

        """
    }

    /// Calls every `_arena` entry point with NULL, then with an arena one byte past an aligned
    /// address, printing the statuses, and checks the output buffers kept their contents.
    static func badArenaProgram(int8: Bool) -> String {
        """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include "net.h"

        #define INT8_MODEL \(int8 ? 1 : 0)

        int main(void)
        {
            float input[NET_INPUT_SIZE], output[NET_OUTPUT_SIZE], sentinel[NET_OUTPUT_SIZE];
            const float *inputs[1];
            float *outputs[NET_OUTPUT_COUNT];
            char *memory = malloc(NET_ARENA_BYTES + NET_ARENA_ALIGN);
            void *misaligned = memory + 1;
            int k, untouched;
        #if INT8_MODEL
            int8_t input_int8[NET_INPUT_SIZE], output_int8[NET_OUTPUT_SIZE], sentinel_int8[NET_OUTPUT_SIZE];
            const int8_t *inputs_int8[1];
            int8_t *outputs_int8[NET_OUTPUT_COUNT];
            memset(input_int8, 0, sizeof input_int8);
            memset(output_int8, 0x5a, sizeof output_int8);
            memcpy(sentinel_int8, output_int8, sizeof output_int8);
            inputs_int8[0] = input_int8;
            for (k = 0; k < NET_OUTPUT_COUNT; ++k) {
                outputs_int8[k] = output_int8;
            }
        #endif
            if (memory == NULL) {
                return 1;
            }
            for (k = 0; k < NET_INPUT_SIZE; ++k) {
                input[k] = 0.5f;
            }
            for (k = 0; k < NET_OUTPUT_SIZE; ++k) {
                output[k] = -7.0f;
            }
            memcpy(sentinel, output, sizeof output);
            inputs[0] = input;
            for (k = 0; k < NET_OUTPUT_COUNT; ++k) {
                outputs[k] = output;
            }
            printf("NULL: %d %d", net_predict_arena(NULL, input, output), net_predict_multi_arena(NULL, inputs, outputs));
        #if INT8_MODEL
            printf(" %d %d", net_predict_int8_arena(NULL, input_int8, output_int8),
                   net_predict_int8_multi_arena(NULL, inputs_int8, outputs_int8));
        #endif
            printf("\\nmisaligned: %d %d", net_predict_arena(misaligned, input, output),
                   net_predict_multi_arena(misaligned, inputs, outputs));
        #if INT8_MODEL
            printf(" %d %d", net_predict_int8_arena(misaligned, input_int8, output_int8),
                   net_predict_int8_multi_arena(misaligned, inputs_int8, outputs_int8));
        #endif
            untouched = memcmp(output, sentinel, sizeof output) == 0;
        #if INT8_MODEL
            untouched = untouched && memcmp(output_int8, sentinel_int8, sizeof output_int8) == 0;
        #endif
            printf("\\noutput %s\\n", untouched ? "untouched" : "changed");
            free(memory);
            return 0;
        }

        """
    }
}
