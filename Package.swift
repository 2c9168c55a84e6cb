// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Topiary",
    products: [
        .library(name: "Topiary", targets: ["Topiary"]),
        .executable(name: "topiary", targets: ["topiary"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
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
            ]
        ),
        .executableTarget(
            name: "topiary",
            dependencies: [
                "Topiary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "reference-bench", dependencies: ["Topiary"], path: "Benchmarks/ReferenceThroughput"),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"]),
        .testTarget(name: "KerasImportTests", dependencies: ["Topiary", "HDF5"]),
        .testTarget(name: "ReferenceTests", dependencies: ["Topiary"]),
        .testTarget(name: "CLITests", dependencies: ["topiary"]),
        .testTarget(name: "CompressTests", dependencies: ["Topiary"]),
    ]
)
