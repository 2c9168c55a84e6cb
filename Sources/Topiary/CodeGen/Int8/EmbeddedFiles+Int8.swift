/// The int8 kernel headers and templates, compiled into the library like the float ones
/// (listed in Package.swift too; `EmbeddedFiles.headers` includes these).
extension EmbeddedFiles {
    static let int8Headers: [String: String] = [
        "tp_fixedpoint.h": utf8(PackageResources.tp_fixedpoint_h),
        "tp_s8.h": utf8(PackageResources.tp_s8_h),
        "tp_dense_s8.h": utf8(PackageResources.tp_dense_s8_h),
        "tp_conv_s8.h": utf8(PackageResources.tp_conv_s8_h),
        "tp_pool_s8.h": utf8(PackageResources.tp_pool_s8_h),
        "tp_softmax_s8.h": utf8(PackageResources.tp_softmax_s8_h),
        "tp_elementwise_s8.h": utf8(PackageResources.tp_elementwise_s8_h),
        "tp_quantize_f32.h": utf8(PackageResources.tp_quantize_f32_h),
        "tp_s8w_f32.h": utf8(PackageResources.tp_s8w_f32_h),
    ]

    /// Template for an int8 model's `NAME.h`.
    static let int8HeaderTemplate = utf8(PackageResources.model_int8_h_tmpl)
    /// Template for an int8 model's `NAME.c`.
    static let int8SourceTemplate = utf8(PackageResources.model_int8_c_tmpl)
    /// Template for the int8 parity harness's host driver.
    static let int8DriverTemplate = utf8(PackageResources.driver_int8_c_tmpl)

    private static func utf8(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
