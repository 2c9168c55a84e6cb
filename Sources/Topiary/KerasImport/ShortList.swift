/// A list cut for an error message so that it fits on a screen: the first items, then
/// "… and N more". A hostile file can name a million layers or weights; the message stays short.
enum ShortList {
    /// The first `limit` of `items` joined by `separator`, followed by `… and N more` when
    /// some were left out.
    static func join(_ items: [String], limit: Int = 8, separator: String = ", ") -> String {
        guard items.count > limit else { return items.joined(separator: separator) }
        return items.prefix(limit).joined(separator: separator) + separator + "… and \(items.count - limit) more"
    }

    /// `items` shortened the same way, as a list whose last element says how many were left out.
    static func cut(_ items: [String], limit: Int = 8) -> [String] {
        guard items.count > limit else { return items }
        return Array(items.prefix(limit)) + ["… and \(items.count - limit) more"]
    }
}
