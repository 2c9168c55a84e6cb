import Foundation

/// What `EmulatedProfiler` measured: instructions per inference on the emulated core, in total
/// and per layer, the model's flash and RAM, and how its outputs compare with the reference.
public struct ProfileReport: Codable, Equatable, Sendable {
    /// One layer's share of an inference.
    public struct Layer: Codable, Equatable, Sendable {
        /// The Keras layer name.
        public var name: String
        /// The op, as `inspect` prints it.
        public var op: String
        /// Mean instructions per inference (multiples of 40, the timer's resolution).
        public var instructions: Int
    }

    /// Bytes of the model's own object file (`NAME.c` compiled with the profiled flags).
    public struct Footprint: Codable, Equatable, Sendable {
        public var text: Int
        public var rodata: Int
        public var data: Int
        public var bss: Int
        public var flash: Int
        public var ram: Int

        public init(text: Int, rodata: Int, data: Int, bss: Int) {
            self.text = text
            self.rodata = rodata
            self.data = data
            self.bss = bss
            flash = text + rodata + data
            ram = data + bss
        }
    }

    public var target: CortexMTarget
    public var board: String
    /// The compiler command the model and driver were built with.
    public var compileCommand: String
    public var samples: Int
    /// Mean instructions of one `NAME_predict_multi` call, from the build without profiling code.
    public var instructions: Int
    public var minInstructions: Int
    public var maxInstructions: Int
    /// Per layer, from the profiling build, in execution order; layers without code are left out.
    public var layers: [Layer]
    /// The rest of the call: input checks, quantizing the input, copying out the outputs.
    public var entryPointInstructions: Int
    public var model: Footprint
    /// Flash and RAM of the whole image (model, driver, C library), as `arm-none-eabi-size` counts them.
    public var imageFlash: Int
    public var imageRam: Int
    /// `bit-exact` for int8 models, else the tolerance on |C - reference| / max(1, |reference|).
    public var comparison: String
    public var mismatchedSamples: Int
    /// Largest |C - reference| / max(1, |reference|) over every output.
    public var largestError: Float
    /// True when every sample's outputs matched.
    public var passed: Bool
}

extension ProfileReport: CustomStringConvertible {
    public var description: String {
        var lines = ["\(target.rawValue) on qemu-system-arm -M \(board) -icount shift=0, compiled with: \(compileCommand)"]
        let spread = minInstructions == maxInstructions ? "" : " (\(minInstructions.formatted3)..\(maxInstructions.formatted3))"
        lines.append("instructions per inference: \(instructions.formatted3)\(spread), mean of \(samples) sample\(samples == 1 ? "" : "s")")
        let nameWidth = max(5, layers.map(\.name.count).max() ?? 0)
        let opWidth = max(2, layers.map(\.op.count).max() ?? 0)
        lines.append("Layer".padded(nameWidth) + "  " + "Op".padded(opWidth) + "  " + "Instructions".leftPadded(12) + "  Share")
        let rows =
            layers.map { ($0.name, $0.op, $0.instructions) } + [("(entry point)", "checks, quantize, copies", entryPointInstructions)]
        for (name, op, count) in rows {
            let share = instructions > 0 ? Double(count) * 100 / Double(instructions) : 0
            lines.append(
                name.padded(nameWidth) + "  " + op.padded(opWidth) + "  " + count.formatted3.leftPadded(12) + "  "
                    + String(format: "%5.1f%%", share))
        }
        lines.append(
            "flash: \(model.flash) bytes (text \(model.text), rodata \(model.rodata), data \(model.data)), "
                + "RAM: \(model.ram) bytes (bss \(model.bss), data \(model.data)) for the model; image \(imageFlash) flash, \(imageRam) RAM"
        )
        let verdict = passed ? "PASS" : "FAIL (\(mismatchedSamples) of \(samples) samples differ)"
        lines.append("outputs vs the Swift reference (\(comparison)): largest error \(largestError): \(verdict)")
        return lines.joined(separator: "\n")
    }
}

extension Int {
    /// `12,345,678`.
    fileprivate var formatted3: String {
        let digits = String(abs(self))
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (self < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}

extension String {
    fileprivate func padded(_ width: Int) -> String { self + String(repeating: " ", count: Swift.max(0, width - count)) }
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: " ", count: Swift.max(0, width - count)) + self }
}
