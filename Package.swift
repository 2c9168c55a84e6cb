// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Topiary",
    products: [
        .library(name: "Topiary", targets: ["Topiary"]),
        .executable(name: "topiary", targets: ["topiary"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CHDF5",
            pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]
        ),
        .target(name: "HDF5", dependencies: ["CHDF5"]),
        .target(
            name: "Topiary",
            dependencies: [
                "HDF5",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [
                // The C kernels (include/topiary/) and the templates (codegen/), compiled
                // into the library so the tool finds them from any working directory.
                .embedInCode("CodeGen/Embedded/include/topiary.h"),
                .embedInCode("CodeGen/Embedded/include/tp_activation_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_matmul_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_dense_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_window.h"),
                .embedInCode("CodeGen/Embedded/include/tp_conv_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_pool_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_layout_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_elementwise_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_recurrent_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_embedding_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_conv_transpose_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_layer_norm_f32.h"),
                .embedInCode("CodeGen/Embedded/templates/model.h.tmpl"),
                .embedInCode("CodeGen/Embedded/templates/model.c.tmpl"),
                .embedInCode("CodeGen/Embedded/templates/driver.c.tmpl"),
                // int8 kernels.
                .embedInCode("CodeGen/Embedded/include/tp_fixedpoint.h"),
                .embedInCode("CodeGen/Embedded/include/tp_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_dense_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_conv_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_depthwise_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_depthwise_sparse_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_pointwise_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_channel_scale_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_sparse_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_dense_csr_table_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_pointwise_csr_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_pool_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_softmax_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_elementwise_s8.h"),
                .embedInCode("CodeGen/Embedded/include/tp_quantize_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_s8w_f32.h"),
                .embedInCode("CodeGen/Embedded/include/tp_recurrent_s8.h"),
                // The Cortex-M board support and driver of `topiary profile`.
                .embedInCode("CodeGen/Embedded/templates/cortex-m/startup.c"),
                .embedInCode("CodeGen/Embedded/templates/cortex-m/mps2.ld"),
                .embedInCode("CodeGen/Embedded/templates/cortex-m/profile_hook.h"),
                .embedInCode("CodeGen/Embedded/templates/cortex-m/profile_driver.c.tmpl"),
            ]
        ),
        .executableTarget(
            name: "topiary",
            dependencies: [
                "Topiary",
                "HDF5",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "reference-bench", dependencies: ["Topiary"], path: "bench/ReferenceThroughput"),
        // Helpers every test target shares: samples locator, seeded generator, graph builder,
        // `topiary` runner, C program builder.
        .target(name: "TopiaryTestSupport", dependencies: ["Topiary"], path: "Tests/TopiaryTestSupport"),
        // One test target per area of Sources/, in the order the data flows through them.
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"]),
        .testTarget(
            name: "KerasImportTests",
            dependencies: ["Topiary", "HDF5", "TopiaryTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(name: "DataTests", dependencies: ["Topiary", "TopiaryTestSupport"]),
        .testTarget(name: "ReferenceTests", dependencies: ["Topiary", "TopiaryTestSupport"]),
        .testTarget(name: "CompressTests", dependencies: ["Topiary", "topiary", "TopiaryTestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Topiary", "TopiaryTestSupport"]),
        .testTarget(name: "CodeGenTests", dependencies: ["Topiary", "topiary", "TopiaryTestSupport"]),
        .testTarget(name: "VerifyTests", dependencies: ["Topiary", "TopiaryTestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Topiary", "TopiaryTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["Topiary", "topiary", "TopiaryTestSupport"]),
        .testTarget(name: "CortexMTests", dependencies: ["Topiary", "topiary", "TopiaryTestSupport"]),
    ]
)
