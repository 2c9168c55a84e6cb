/// A Cortex-M core Topiary builds for and profiles on: its compiler flags and the QEMU board
/// that runs its instructions.
public enum CortexMTarget: String, CaseIterable, Sendable, Codable {
    /// Cortex-M4 with the DSP extension and the single-precision FPU (hard-float ABI).
    case cortexM4 = "cortex-m4"
    /// Cortex-M0+ (Armv6-M: no DSP extension, no FPU, no hardware divide).
    case cortexM0plus = "cortex-m0plus"

    /// `arm-none-eabi-gcc` flags that select the core.
    public var cpuFlags: [String] {
        switch self {
        case .cortexM4: return ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]
        case .cortexM0plus: return ["-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft"]
        }
    }

    /// The `qemu-system-arm -M` board. QEMU has no Cortex-M0+ board with room for a model, so
    /// M0+ code runs on the Cortex-M3 board: Armv6-M is a subset of Armv7-M, every instruction
    /// of the M0+ build executes there as it would on an M0+, and the count is the same.
    public var board: String {
        switch self {
        case .cortexM4: return "mps2-an386"
        case .cortexM0plus: return "mps2-an385"
        }
    }
}

/// What the compiler optimises the profiled build for.
public enum ProfileOptimization: String, CaseIterable, Sendable, Codable {
    /// `-O2`.
    case speed
    /// `-Os`.
    case size

    public var flag: String { self == .speed ? "-O2" : "-Os" }
}
