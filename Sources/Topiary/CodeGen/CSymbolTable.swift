/// Hands out C identifiers that are unique within one generated file.
///
/// Every name the generator puts in C (weight arrays, parameter structs, locals, the public
/// functions) is claimed here, in a fixed order, so two layers whose names sanitize alike
/// (`conv 1` and `conv_1`), or a layer whose name plus a suffix equals another's
/// (`a` + `_depthwise_kernel` and `a_depthwise` + `_kernel`), still get distinct identifiers,
/// and the same model always gets the same ones.
struct CSymbolTable {
    private var taken: Set<String>
    /// Prefixes the kernels' own names use; a symbol starting with one is renamed so that a
    /// layer called `tp_dense_f32` cannot collide with the kernel of that name.
    private let reservedPrefixes = ["tp_", "TP_", "TOPIARY", "topiary"]

    /// A table in which `reserved` (the public API, fixed locals) are already taken.
    init(reserved: [String] = []) {
        taken = CIdentifier.keywords.union(reserved)
    }

    /// Marks `name` as used without checking it: for names the generator fixes itself.
    mutating func reserve(_ name: String) {
        taken.insert(name)
    }

    /// A fresh identifier made from `parts` (each sanitized, joined by `_`): the joined text
    /// itself when it is free, otherwise the first of `text_2`, `text_3`, … that is.
    mutating func claim(_ parts: String...) -> String {
        claim(parts)
    }

    mutating func claim(_ parts: [String]) -> String {
        var base = parts.map { CIdentifier.sanitize($0) }.joined(separator: "_")
        if reservedPrefixes.contains(where: { base.hasPrefix($0) }) { base = "l_" + base }
        var candidate = base
        var counter = 2
        while taken.contains(candidate) {
            candidate = "\(base)_\(counter)"
            counter += 1
        }
        taken.insert(candidate)
        return candidate
    }
}
