/// `library.properties` of an Arduino library (the 1.5 format: sources under `src/`), with
/// every field the Arduino library specification requires. The model has no author, page or
/// version of its own, so those fields hold placeholders the comment asks to replace.
enum ArduinoPackage {
    /// Arduino's categories: the one a model belongs in.
    static let category = "Data Processing"

    static func properties(_ description: PackageDescriptionText) -> GeneratedModel.File {
        let fields: [(String, String)] = [
            ("name", libraryName(description.name)),
            ("version", description.version),
            ("author", "Unknown"),
            ("maintainer", "Unknown"),
            ("sentence", description.sentence),
            ("paragraph", description.usage),
            ("category", category),
            ("url", "https://example.com"),
            ("architectures", "*"),
            ("includes", description.header),
        ]
        let lines =
            [
                "# \(description.generatedBy) for the Arduino IDE and arduino-cli.",
                "# Set version, author, maintainer and url to your own before publishing the library.",
            ] + fields.map { "\($0.0)=\($0.1)" }
        return GeneratedModel.File(name: "library.properties", contents: lines.joined(separator: "\n") + "\n")
    }

    /// Arduino names start with a letter or a digit; a C name may start with underscores.
    static func libraryName(_ name: String) -> String {
        let trimmed = String(name.drop { $0 == "_" })
        return trimmed.isEmpty ? "model" : trimmed
    }
}
