/// The C code for one int8 model, with the figures `topiary convert` reports.
public struct Int8Model: Equatable, Sendable {
    /// The files, arena and weight figures, as for a float model. `weightBytes` counts every
    /// constant array: weights, indices, metadata, tables, and the float weights of layers
    /// kept in float.
    public var generated: GeneratedModel
    /// One entry per weighted int8 layer, in model order.
    public var layers: [LayerFootprint]
    public var inputQuantization: [QuantizationParameters]
    public var outputQuantization: [QuantizationParameters]
    /// Nodes computed in float inside the int8 model.
    public var floatLayers: [String]
}
