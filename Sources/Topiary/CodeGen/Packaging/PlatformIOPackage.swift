import Foundation

/// `library.json` of a PlatformIO library: the sources and headers are in the library's root
/// folder, which the manifest names as both its source and its include folder.
enum PlatformIOPackage {
    static func manifest(_ description: PackageDescriptionText) throws -> GeneratedModel.File {
        let manifest: [String: Any] = [
            "name": description.name,
            "version": description.version,
            "description": description.sentence,
            "keywords": ["machine learning", "inference", "keras", "tinyml"],
            "frameworks": "*",
            "platforms": "*",
            "headers": description.header,
            "build": ["srcDir": ".", "includeDir": "."],
        ]
        let data = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return GeneratedModel.File(name: "library.json", contents: String(decoding: data, as: UTF8.self) + "\n")
    }
}
