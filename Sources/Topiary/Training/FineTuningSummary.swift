import Foundation

/// What fine-tuning did, for the command line: how far the pruned model was from the unpruned
/// one before and after (the mean distillation loss over the fine-tuning samples, through the
/// int8 model when quantizing), whether the trained weights were kept, and which layers it
/// could not train.
public struct FineTuningSummary: Equatable, Sendable {
    /// Layers left as they were: no backward pass (recurrent layers, embeddings), or no
    /// gradient reaches them past such a layer.
    public var frozenLayers: [String]
    public var lossBefore: Double
    public var lossAfter: Double
    public var samples: Int
    public var epochs: Int
    /// False when training did not lower the loss and the model was left as it was.
    public var kept: Bool

    public var description: String {
        var text =
            "fine-tuned \(epochs) epoch\(epochs == 1 ? "" : "s") on \(samples) samples: distillation loss \(String(format: "%.4g", lossBefore)) -> \(String(format: "%.4g", lossAfter))"
        if !kept { text += " (training did not lower it: the weights are left as they were)" }
        if !frozenLayers.isEmpty { text += "; frozen (no backward pass): \(frozenLayers.joined(separator: ", "))" }
        return text
    }
}
