import Foundation

/// The repository's root folder, found from this file's path, so the tests run from any
/// working directory.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The repository's `samples/` folder: the models Keras wrote, their inputs and outputs.
public let samplesRoot = repositoryRoot.appendingPathComponent("samples")
