/// One layer's entry in a Keras model configuration, with typed accessors whose errors name
/// the layer and the option.
struct LayerConfig {
    var name: String
    var className: String
    var config: [String: JSONValue]
    /// The entry as a whole (Functional models keep `inbound_nodes` beside `config`).
    var entry: [String: JSONValue]
    /// The layer's name inside the model that holds it (`conv1` for the inlined `mobilenet/conv1`).
    var ownName: String
    /// The name Keras 3 gives the layer's weights group among its siblings (`dense`, `dense_1`…),
    /// set by `ModelTopology`.
    var storedName = ""
    /// The nested models this layer was inlined from, outermost first; empty for a layer of the
    /// saved model itself. Weight files keep such a layer's weights under these models' entries.
    var enclosing: [EnclosingModel] = []

    /// A nested model a layer was inlined from: its Keras name (`mobilenet`) and the name of
    /// its weights group in Keras 3 files (`functional`).
    struct EnclosingModel {
        var name: String
        var storedName: String
    }

    /// A configuration problem with this layer's options.
    struct OptionError: Error {
        var reason: String
    }

    init(entry: JSONValue, index: Int) throws {
        guard let object = entry.object else {
            throw JSONParseError(message: "layer #\(index + 1) is not a JSON object")
        }
        guard let className = object["class_name"]?.string else {
            throw JSONParseError(message: "layer #\(index + 1) has no class_name")
        }
        let config = object["config"]?.object ?? [:]
        guard let name = config["name"]?.string ?? object["name"]?.string else {
            throw JSONParseError(message: "layer #\(index + 1) (\(className)) has no name")
        }
        self.name = name
        self.ownName = name
        self.className = className
        self.config = config
        self.entry = object
    }

    func has(_ key: String) -> Bool {
        guard let value = config[key] else { return false }
        return !value.isNull
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = config[key], !value.isNull else { return fallback }
        if let bool = value.bool { return bool }
        // Keras tests options by Python truth, and older tf.keras wrote some as numbers
        // (`"scale": 1`); text or lists would be read as true by Python whatever they say.
        guard let number = value.number, number.isFinite else {
            throw OptionError(reason: "option '\(key)' should be true or false")
        }
        return number != 0
    }

    /// One axis, written `n` or `[n]` (Keras accepts both where one axis is meant).
    func axis(_ key: String, default fallback: Int) throws -> Int {
        guard let value = config[key], !value.isNull else { return fallback }
        if let array = value.array {
            guard array.count == 1 else {
                throw OptionError(reason: "option '\(key)' should be one axis, has \(array.count)")
            }
            return try Self.integer(array[0], key)
        }
        return try Self.integer(value, key)
    }

    func string(_ key: String, default fallback: String? = nil) throws -> String {
        guard let value = config[key], !value.isNull else {
            if let fallback { return fallback }
            throw OptionError(reason: "option '\(key)' is missing")
        }
        guard let string = value.string else { throw OptionError(reason: "option '\(key)' should be a string") }
        return string
    }

    func float(_ key: String, default fallback: Float? = nil) throws -> Float {
        guard let value = config[key], !value.isNull else {
            if let fallback { return fallback }
            throw OptionError(reason: "option '\(key)' is missing")
        }
        guard let number = value.number, number.isFinite else {
            throw OptionError(reason: "option '\(key)' should be a finite number")
        }
        return Float(number)
    }

    func optionalFloat(_ key: String) throws -> Float? {
        has(key) ? try float(key) : nil
    }

    func int(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard let value = config[key], !value.isNull else {
            if let fallback { return fallback }
            throw OptionError(reason: "option '\(key)' is missing")
        }
        return try Self.integer(value, key)
    }

    /// An option that Keras accepts as one integer or as one per axis (`kernel_size=3` or `(3, 3)`).
    func ints(_ key: String, count: Int, default fallback: [Int]? = nil) throws -> [Int] {
        guard let value = config[key], !value.isNull else {
            if let fallback { return fallback }
            throw OptionError(reason: "option '\(key)' is missing")
        }
        if let array = value.array {
            guard array.count == count else {
                throw OptionError(reason: "option '\(key)' should have \(count) value\(count == 1 ? "" : "s"), has \(array.count)")
            }
            return try array.map { try Self.integer($0, key) }
        }
        return Array(repeating: try Self.integer(value, key), count: count)
    }

    /// `(before, after)` pairs per axis, from `n`, `(n, m)` per axis, or `((a, b), (c, d))`.
    func pairs(_ key: String, count: Int) throws -> [Pair] {
        guard let value = config[key], !value.isNull else { throw OptionError(reason: "option '\(key)' is missing") }
        if let number = value.number {
            let n = try Self.integer(.number(number), key)
            return Array(repeating: Pair(n, n), count: count)
        }
        guard let array = value.array else { throw OptionError(reason: "option '\(key)' should be a number or a list") }
        if count == 1, array.count == 2, array.allSatisfy({ $0.number != nil }) {
            return [Pair(try Self.integer(array[0], key), try Self.integer(array[1], key))]
        }
        guard array.count == count else {
            throw OptionError(reason: "option '\(key)' should have \(count) entries, has \(array.count)")
        }
        return try array.map { item in
            if let inner = item.array {
                guard inner.count == 2 else { throw OptionError(reason: "option '\(key)' should hold (before, after) pairs") }
                return Pair(try Self.integer(inner[0], key), try Self.integer(inner[1], key))
            }
            let n = try Self.integer(item, key)
            return Pair(n, n)
        }
    }

    /// A list of floats, or a single float as a list of one.
    func floats(_ key: String) throws -> [Float]? {
        guard let value = config[key], !value.isNull else { return nil }
        if let number = value.number { return [Float(number)] }
        guard let array = value.array else { throw OptionError(reason: "option '\(key)' should be a number or a list of numbers") }
        return try flattenNumbers(array, key)
    }

    private func flattenNumbers(_ array: [JSONValue], _ key: String) throws -> [Float] {
        try array.flatMap { item -> [Float] in
            if let number = item.number { return [Float(number)] }
            if let inner = item.array { return try flattenNumbers(inner, key) }
            throw OptionError(reason: "option '\(key)' should hold numbers")
        }
    }

    private static func integer(_ value: JSONValue, _ key: String) throws -> Int {
        guard let number = value.number, number.rounded() == number, abs(number) < 1e12 else {
            throw OptionError(reason: "option '\(key)' should be an integer")
        }
        return Int(number)
    }
}
