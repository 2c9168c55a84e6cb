import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// `--target`: each core's compiler flags, the header line that records it, and measured sizes
/// that differ between cores where the instruction set and the FPU say they must.
@Suite("Cortex-M targets")
struct CortexMTargetTests {
    @Test("every core selects its CPU, Thumb and its float ABI")
    func flagsPerCore() {
        let expected: [CortexMTarget: String] = [
            .cortexM0plus: "-mcpu=cortex-m0plus -mthumb -mfloat-abi=soft",
            .cortexM3: "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft",
            .cortexM4: "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft",
            .cortexM4F: "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16",
            .cortexM7: "-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16",
            .cortexM33: "-mcpu=cortex-m33 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16",
            .cortexM55: "-mcpu=cortex-m55 -mthumb -mfloat-abi=hard -mfpu=auto",
        ]
        #expect(
            CortexMTarget.allCases.map(\.rawValue) == [
                "cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m4f", "cortex-m7", "cortex-m33", "cortex-m55",
            ])
        for target in CortexMTarget.allCases {
            #expect(target.cpuFlags.joined(separator: " ") == expected[target], "\(target)")
            #expect(Footprint.armFlags(for: target) == ["-std=c99"] + target.cpuFlags + ["-Os"])
        }
        // Without --target the size figures keep the soft-float Cortex-M4 build; profile the M4 with its FPU.
        #expect(CortexMTarget.measurementDefault == .cortexM4 && CortexMTarget.profileDefault == .cortexM4F)
        #expect(CortexMTarget.profiled == [.cortexM0plus, .cortexM3, .cortexM4, .cortexM4F, .cortexM7])
        #expect(CortexMTarget.cortexM0plus.board == "mps2-an385" && CortexMTarget.cortexM7.board == "mps2-an500")
    }

    @Test("the header comment records the named core and its flags, and nothing when none is named")
    func headerRecordsTheTarget() throws {
        let graph = try SampleFolder.model("mlp").importGraph()
        let named = try CodeGenerator(options: ConversionOptions(name: "net", target: .cortexM0plus)).generate(graph)
        #expect(named.header.contains("\n * Target: cortex-m0plus (arm-none-eabi-gcc -mcpu=cortex-m0plus -mthumb -mfloat-abi=soft)\n"))
        #expect(named.source.contains("\n * Target: cortex-m0plus (arm-none-eabi-gcc -mcpu=cortex-m0plus -mthumb -mfloat-abi=soft)\n"))
        let unnamed = try CodeGenerator(options: ConversionOptions(name: "net")).generate(graph)
        #expect(!unnamed.header.contains("Target:"))
    }

    @Test(
        "a float model measures more code without an FPU and the same data on every core",
        .enabled(if: installed("arm-none-eabi-gcc") && installed("arm-none-eabi-size"), "the ARM toolchain is not installed"))
    func measuredSizesDifferByCore() throws {
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try SampleFolder.model("cnn").importGraph())
        var sizes: [CortexMTarget: Footprint] = [:]
        for target in CortexMTarget.allCases {
            let footprint = Footprint.of(model, measure: .always, target: target)
            guard case let .measured(command) = footprint.method else {
                Issue.record("\(target): not measured: \(footprint.method)")
                continue
            }
            #expect(command == "arm-none-eabi-gcc " + Footprint.armFlags(for: target).joined(separator: " "))
            sizes[target] = footprint
        }
        let m0 = try #require(sizes[.cortexM0plus]), m4 = try #require(sizes[.cortexM4]), m4f = try #require(sizes[.cortexM4F])
        // Weights and the arena are the same bytes whatever the core.
        for footprint in sizes.values {
            #expect(footprint.rodata == m4f.rodata && footprint.bss == m4f.bss && footprint.data == m4f.data)
        }
        // Soft float calls a library routine per operation where the FPU has one instruction,
        // and Armv6-M's 16-bit Thumb needs more instructions than Armv7-M's Thumb-2.
        #expect(try #require(m4.text) > (try #require(m4f.text)), "M4 \(m4.text ?? 0), M4F \(m4f.text ?? 0)")
        #expect(try #require(m0.text) > (try #require(m4.text)), "M0+ \(m0.text ?? 0), M4 \(m4.text ?? 0)")
        // No --target: the soft-float Cortex-M4 figures.
        #expect(Footprint.of(model, measure: .always) == m4)
    }
}
