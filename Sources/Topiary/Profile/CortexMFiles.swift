/// The board support and driver `EmulatedProfiler` builds with (`codegen/cortex-m/`, listed in
/// Package.swift and compiled into the library like the kernel headers).
enum CortexMFiles {
    /// Start-up code of the MPS2 boards: vectors, memory set-up, semihosting, `main`.
    static let startup = utf8(PackageResources.startup_c)
    /// Memory map of the MPS2 boards.
    static let linkerScript = utf8(PackageResources.mps2_ld)
    /// Forced into a profiling build: defines `TOPIARY_PROFILE_MARK`.
    static let profileHook = utf8(PackageResources.profile_hook_h)
    /// The driver that times `NAME_predict_multi` with SysTick.
    static let profileDriverTemplate = utf8(PackageResources.profile_driver_c_tmpl)

    private static func utf8(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
