/// A Cortex-M core Topiary builds for: the `arm-none-eabi-gcc` flags that select it (for the
/// flash and RAM measurement and for profiling) and, where QEMU has one, the board that runs
/// its instructions.
public enum CortexMTarget: String, CaseIterable, Sendable, Codable {
    /// Cortex-M0+ (Armv6-M: no DSP extension, no FPU, no hardware divide).
    case cortexM0plus = "cortex-m0plus"
    /// Cortex-M3 (Armv7-M: hardware divide, no DSP extension, no FPU).
    case cortexM3 = "cortex-m3"
    /// Cortex-M4 without an FPU: float arithmetic in software (the soft-float ABI).
    case cortexM4 = "cortex-m4"
    /// Cortex-M4 with the single-precision FPU (FPv4-SP, hard-float ABI).
    case cortexM4F = "cortex-m4f"
    /// Cortex-M7 with its FPU, taken single precision (FPv5-SP, the one every M7 FPU has).
    case cortexM7 = "cortex-m7"
    /// Cortex-M33 (Armv8-M Mainline) with the DSP extension and the single-precision FPU.
    case cortexM33 = "cortex-m33"
    /// Cortex-M55 (Armv8.1-M) with its FPU and the Helium vector extension.
    case cortexM55 = "cortex-m55"

    /// The core the flash and RAM figures are measured for when none is named: a Cortex-M4
    /// without FPU, whose code also runs on the FPU parts.
    public static let measurementDefault = CortexMTarget.cortexM4
    /// The core `profile` runs when none is named: the common Cortex-M4 with its FPU.
    public static let profileDefault = CortexMTarget.cortexM4F

    /// `arm-none-eabi-gcc` flags that select the core, its instruction set and its float ABI.
    public var cpuFlags: [String] {
        switch self {
        case .cortexM0plus: return ["-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft"]
        case .cortexM3: return ["-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft"]
        case .cortexM4: return ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft"]
        case .cortexM4F: return ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]
        case .cortexM7: return ["-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"]
        case .cortexM33: return ["-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"]
        case .cortexM55: return ["-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard", "-mfpu=auto"]
        }
    }

    /// The `qemu-system-arm -M` board `profile` runs the core on, or nil when QEMU has none
    /// with the memory map of `codegen/cortex-m/mps2.ld` (the Armv8-M boards place code and
    /// data elsewhere). QEMU has no Cortex-M0+ board, so M0+ code runs on the Cortex-M3 board:
    /// Armv6-M is a subset of Armv7-M, every instruction of the M0+ build executes there as it
    /// would on an M0+, and the count is the same. The M4 board has the FPU, which soft-float
    /// code leaves unused.
    public var board: String? {
        switch self {
        case .cortexM0plus, .cortexM3: return "mps2-an385"
        case .cortexM4, .cortexM4F: return "mps2-an386"
        case .cortexM7: return "mps2-an500"
        case .cortexM33, .cortexM55: return nil
        }
    }

    /// The cores `profile` can run.
    public static var profiled: [CortexMTarget] { allCases.filter { $0.board != nil } }
}

/// What the compiler optimises the profiled build for.
public enum ProfileOptimization: String, CaseIterable, Sendable, Codable {
    /// `-O2`.
    case speed
    /// `-Os`.
    case size

    public var flag: String { self == .speed ? "-O2" : "-Os" }
}
