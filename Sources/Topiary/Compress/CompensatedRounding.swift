/// int8 weight rounding that makes up for its own error on the calibration data (GPTQ: Frantar
/// et al. 2022, "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained
/// Transformers", the optimal brain surgeon update applied to rounding instead of pruning).
///
/// Rounding every weight to its nearest step leaves each output channel with an error
/// `Σ_j (w_j − w̃_j) x_j` whose parts add up over hundreds of inputs. Here each channel's row is
/// rounded one input at a time, and after each the weights not yet rounded move by
/// `−(w_j − w̃_j) / U_jj · U[j, j+1…]`, where `U` is the upper factor of the inverse Hessian of
/// the layer's calibration inputs (`H⁻¹ = UᵀU`, see `Hessian`): the change that best cancels,
/// on those inputs, the error the rounded weight left. The bias joins as the weight of a
/// constant input that is updated, never rounded, so it absorbs the shift of the mean output.
///
/// Only the integers change: the scales are those of nearest rounding (largest magnitude to
/// 127), the arithmetic is the same, and a weight that was zero (pruned) stays zero, its
/// column still passing on the error the earlier ones left.
enum CompensatedRounding {
    /// The upper factors of one layer's damped input Hessians, bias input last: one for all
    /// channels (Dense, convolution), or one per output channel (depthwise).
    struct Factors {
        let upper: [[Double]]
        /// Inputs per channel row plus the bias input.
        let width: Int

        /// `U` for output channel `channel`.
        func upper(channel: Int) -> [Double] { upper.count == 1 ? upper[0] : upper[channel] }

        /// `kernel` (Keras layout of `rows`) as int8 steps of `scales` (one per channel), and
        /// the bias updated for what rounding moved.
        func round(_ kernel: [Float], rows: KernelRows, scales: [Float], bias: [Float]) -> (weights: [Int8], bias: [Float]) {
            precondition(rows.rowLength + 1 == width, "factors of \(width - 1) inputs for rows of \(rows.rowLength)")
            var weights = [Int8](repeating: 0, count: kernel.count)
            var updatedBias = bias
            let results = concurrentMap(rows.channels) { c in
                var row = (0..<rows.rowLength).map { Double(kernel[rows.index(channel: c, position: $0)]) } + [Double(bias[c])]
                let steps = CompensatedRounding.round(&row, rounded: rows.rowLength, scale: Double(scales[c]), upper: upper(channel: c))
                return (row: steps, bias: row[rows.rowLength])
            }
            for (c, result) in results.enumerated() {
                for r in 0..<rows.rowLength { weights[rows.index(channel: c, position: r)] = result.row[r] }
                updatedBias[c] = Float(result.bias)
            }
            return (weights, updatedBias)
        }
    }

    /// Rounds the first `rounded` values of `row` to int8 steps of `scale`, one at a time,
    /// moving the values after each by the update `upper` (`U`, row-major, `row.count` square)
    /// gives; the values past `rounded` are only updated. Returns the steps.
    static func round(_ row: inout [Double], rounded: Int, scale: Double, upper u: [Double]) -> [Int8] {
        let n = row.count
        precondition(u.count == n * n && rounded <= n, "U does not match a row of \(n)")
        var steps = [Int8](repeating: 0, count: rounded)
        let pruned = (0..<rounded).map { row[$0] == 0 }
        for j in 0..<rounded {
            let step = pruned[j] ? 0 : min(max((row[j] / scale).rounded(), -127), 127)
            steps[j] = Int8(step)
            let error = (row[j] - step * scale) / u[j * n + j]
            row[j] = step * scale
            guard error != 0 else { continue }
            for k in (j + 1)..<n { row[k] -= error * u[j * n + k] }
        }
        return steps
    }

    /// The factors of every Dense, convolution and depthwise convolution of `graph` (as
    /// `QuantizationPreparation` made it), by node index, from the inputs the float model
    /// gives each on the calibration samples, whose node outputs `values` holds
    /// (`Calibration.nodeValues`).
    static func factors(_ graph: Graph, values: [[Tensor]], dampingFraction: Double = 0.01) throws -> [Int: Factors] {
        var sites: [(node: Int, rows: KernelRows, patches: PruningReconstruction.Patches)] = []
        for (index, node) in graph.nodes.enumerated() {
            guard let (role, rows) = KernelRows.quantizedKernel(of: node) else { continue }
            let patches = try PruningReconstruction.patches(node, role: role, inputShape: graph.nodes[node.inputs[0]].outputShape)
            sites.append((index, rows, patches))
        }
        var result: [Int: Factors] = [:]
        for site in sites {
            let groups = site.patches.shared ? 1 : site.rows.channels
            let input = graph.nodes[site.node].inputs[0]
            var hessians = [Hessian](repeating: Hessian(size: site.rows.rowLength + 1), count: groups)
            for sample in values {
                for g in 0..<groups {
                    for row in site.patches.rows(sample[input], g) { hessians[g].add(row + [1]) }
                }
            }
            let layer = graph.nodes[site.node].layerName
            let upper = try hessians.map { try upperFactor($0, dampingFraction: dampingFraction, layer: layer) }
            result[site.node] = Factors(upper: upper, width: site.rows.rowLength + 1)
        }
        return result
    }

    /// `U` of the damped `hessian`, with more damping when the requested amount leaves it
    /// not positive definite.
    static func upperFactor(_ hessian: Hessian, dampingFraction: Double, layer: String) throws -> [Double] {
        let n = hessian.size
        var h = hessian.damped(dampingFraction).matrix
        for attempt in 0..<4 {
            if let u = Cholesky.upperFactorOfInverse(h, n: n) { return u }
            let mean = (0..<n).reduce(0.0) { $0 + h[$1 * n + $1] } / Double(n)
            for i in 0..<n { h[i * n + i] += mean * OBSPruning.pow10(attempt - 2) }
        }
        throw CompressionError(
            .quantization, layer: layer,
            "the Hessian of this layer's calibration inputs is not positive definite even with extra damping; check the calibration data for non-finite or huge values"
        )
    }
}
