import Foundation

/// How `topiary sensitivity` shows `SensitivityCurves`: a table with one row per layer and
/// one column per sparsity, and the same as an SVG line plot, one line per layer.
public struct SensitivityReport: Sendable {
    public var curves: SensitivityCurves
    /// What the curves were made with, e.g. `obs pruning, int8`.
    public var method: String

    public init(curves: SensitivityCurves, method: String) {
        self.curves = curves
        self.method = method
    }

    /// The table of top-1 accuracies, with each layer's weight count.
    public func table() -> String {
        let c = curves
        var rows: [[String]] = [["Layer", "Weights"] + c.sparsities.map { Percent($0).description }]
        for (l, layer) in c.layers.enumerated() {
            rows.append([layer, "\(c.unpruned.layers[l].weights)"] + c.trials[l].map { String(format: "%.2f%%", $0.score.accuracy) })
        }
        let lines =
            [
                "Sensitivity: top-1 accuracy on \(c.reference.total) samples with one layer pruned at a time (\(method))",
                "float model: \(c.reference); compressed, unpruned: \(c.unpruned.score)",
            ] + TextTable(rows: rows).lines()
        return lines.joined(separator: "\n")
    }

    /// The curves as an SVG document: one line per layer, accuracy against sparsity, with the
    /// float model and the unpruned compressed model as dashed references.
    public func svg() -> String {
        let c = curves
        let series = c.layers.enumerated().map { l, layer in
            SVGLinePlot.Series(
                name: layer, points: zip(c.sparsities, c.trials[l]).map { SVGLinePlot.Point(x: $0 * 100, y: $1.score.accuracy) })
        }
        var references = [SVGLinePlot.Reference(name: "float model", y: c.reference.accuracy)]
        if c.unpruned.score != c.reference { references.append(SVGLinePlot.Reference(name: "unpruned", y: c.unpruned.score.accuracy)) }
        return SVGLinePlot(
            title: "Top-1 accuracy with one layer pruned (\(method))", xLabel: "sparsity of the layer (%)",
            yLabel: "top-1 accuracy (%)", series: series, references: references,
            xTick: { SVGLinePlot.number($0) + "%" }, yTick: { SVGLinePlot.number($0) + "%" }
        ).render()
    }
}
