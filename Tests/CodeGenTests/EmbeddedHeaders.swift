import Foundation
import TopiaryTestSupport

/// The kernel headers in `include/topiary/`.
enum EmbeddedHeaders {
    static var onDisk: [String] {
        let folder = repositoryRoot.appendingPathComponent("include/topiary").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".h") }.sorted()
    }
}
