/// How a layer's packed weights reach the generated C: the arrays of each `SparseFormat`, the
/// kernel suffix that names its kernels (`tp_dense_csr_s8`, `tp_conv2d_bitmask_s8`, …) and
/// the arguments those kernels take (see `tp_sparse_s8.h`).
extension PackedRows {
    /// The weight arrays of the format; `about` describes the layer's weights for the comment
    /// over the first.
    func weightArrays(about: String) -> [CIntegerArray] {
        switch format {
        case .dense:
            return [CIntegerArray(key: "values", meaning: about, type: .int8, values)]
        case .bitmask:
            return [
                CIntegerArray(key: "mask", meaning: "bitmask of the " + about, type: .uint8, mask),
                CIntegerArray(key: "values", meaning: "nonzero values", type: .int8, values),
            ]
        case .csr:
            return [
                CIntegerArray(
                    key: "counts", meaning: "entries per segment of \(SparseFormat.csrSegment) inputs of the " + about, type: .uint8, counts
                ),
                CIntegerArray(key: "indices", meaning: "index of each entry in its segment", type: .uint8, indices),
                CIntegerArray(key: "values", meaning: "values", type: .int8, values),
            ]
        case .nm:
            return [
                CIntegerArray(key: "positions", meaning: "positions in each group of the " + about, type: .uint8, positions),
                CIntegerArray(key: "values", meaning: "values", type: .int8, values),
            ]
        }
    }

    /// What the format adds to a kernel's name: `tp_dense<suffix>_s8`.
    var kernelSuffix: String {
        switch format {
        case .dense: return ""
        case .bitmask: return "_bitmask"
        case .csr: return "_csr"
        case .nm: return "_nm"
        }
    }

    /// The header that declares the format's kernels for a layer whose dense kernels are in
    /// `denseHeader`.
    func header(dense denseHeader: String) -> String {
        format == .dense ? denseHeader : "tp_sparse_s8.h"
    }

    /// The weight arguments of the format's kernels, after the input.
    func weightArguments(_ site: CallSite) -> String {
        switch format {
        case .dense: return site.array("values")
        case .bitmask: return "\(site.array("mask")), \(site.array("values"))"
        case .csr: return "\(site.array("counts")), \(site.array("indices")), \(site.array("values"))"
        case .nm: return "\(site.array("positions")), \(site.array("values"))"
        }
    }

    /// For N:M, the declaration of the `tp_nm_pattern` and the argument that passes it
    /// (before the input); for the other formats nothing.
    func patternArgument(_ site: CallSite) -> (declarations: [String], argument: String) {
        guard case let .nm(n, m) = format else { return ([], "") }
        let symbol = site.claim("pattern")
        let declaration = CInitializer.declaration(
            type: "tp_nm_pattern", symbol: symbol,
            fields: [("n", "\(n)"), ("m", "\(m)"), ("index_bits", "\(SparseFormat.positionBits(m: m))")])
        return ([declaration], "&\(symbol), ")
    }
}
