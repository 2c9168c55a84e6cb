/// The C kernel headers (`include/topiary/`) and the templates (`codegen/`), compiled into the
/// library by SwiftPM (`resources: .embedInCode`, through the links in `CodeGen/Embedded/`),
/// so `topiary` finds them from any working directory and needs no files beside the binary.
///
/// A header added to `include/topiary/` must also be listed in Package.swift and here; the
/// CodeGen tests compare both lists with the folder.
enum EmbeddedFiles {
    /// Kernel headers by file name.
    static let headers: [String: String] = [
        "topiary.h": text(PackageResources.topiary_h),
        "tp_activation_f32.h": text(PackageResources.tp_activation_f32_h),
        "tp_matmul_f32.h": text(PackageResources.tp_matmul_f32_h),
        "tp_dense_f32.h": text(PackageResources.tp_dense_f32_h),
        "tp_window.h": text(PackageResources.tp_window_h),
        "tp_conv_f32.h": text(PackageResources.tp_conv_f32_h),
        "tp_pool_f32.h": text(PackageResources.tp_pool_f32_h),
        "tp_layout_f32.h": text(PackageResources.tp_layout_f32_h),
        "tp_elementwise_f32.h": text(PackageResources.tp_elementwise_f32_h),
        "tp_recurrent_f32.h": text(PackageResources.tp_recurrent_f32_h),
        "tp_embedding_f32.h": text(PackageResources.tp_embedding_f32_h),
        "tp_conv_transpose_f32.h": text(PackageResources.tp_conv_transpose_f32_h),
        "tp_layer_norm_f32.h": text(PackageResources.tp_layer_norm_f32_h),
        "tp_fixedpoint.h": text(PackageResources.tp_fixedpoint_h),
        "tp_s8.h": text(PackageResources.tp_s8_h),
        "tp_dense_s8.h": text(PackageResources.tp_dense_s8_h),
        "tp_conv_s8.h": text(PackageResources.tp_conv_s8_h),
        "tp_depthwise_s8.h": text(PackageResources.tp_depthwise_s8_h),
        "tp_depthwise_sparse_s8.h": text(PackageResources.tp_depthwise_sparse_s8_h),
        "tp_pointwise_s8.h": text(PackageResources.tp_pointwise_s8_h),
        "tp_channel_scale_s8.h": text(PackageResources.tp_channel_scale_s8_h),
        "tp_sparse_s8.h": text(PackageResources.tp_sparse_s8_h),
        "tp_dense_csr_table_s8.h": text(PackageResources.tp_dense_csr_table_s8_h),
        "tp_pointwise_csr_s8.h": text(PackageResources.tp_pointwise_csr_s8_h),
        "tp_pool_s8.h": text(PackageResources.tp_pool_s8_h),
        "tp_softmax_s8.h": text(PackageResources.tp_softmax_s8_h),
        "tp_elementwise_s8.h": text(PackageResources.tp_elementwise_s8_h),
        "tp_quantize_f32.h": text(PackageResources.tp_quantize_f32_h),
        "tp_recurrent_s8.h": text(PackageResources.tp_recurrent_s8_h),
        "tp_s8w_f32.h": text(PackageResources.tp_s8w_f32_h),
    ]

    /// Template for the public header `NAME.h`.
    static let modelHeaderTemplate = text(PackageResources.model_h_tmpl)
    /// Template for the implementation `NAME.c`.
    static let modelSourceTemplate = text(PackageResources.model_c_tmpl)
    /// Template for the parity harness's host driver (float and int8 models).
    static let driverTemplate = text(PackageResources.driver_c_tmpl)

    /// `names` and every header they include (`#include "…"`), transitively, sorted.
    static func headerClosure(_ names: [String]) -> [String] {
        var result = Set<String>()
        var pending = names
        while let name = pending.popLast() {
            guard result.insert(name).inserted, let contents = headers[name] else { continue }
            for line in contents.split(separator: "\n") where line.hasPrefix("#include \"") {
                let included = line.dropFirst("#include \"".count).prefix { $0 != "\"" }
                pending.append(String(included))
            }
        }
        return result.sorted()
    }

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
