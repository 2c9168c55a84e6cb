/// An error about one layer of the model, named by its Keras name, or about the model as a
/// whole when `layer` is empty: lowering, inference and compression errors all say where the
/// problem is the same way.
protocol LayerScopedError: Error {
    var layer: String { get }
    var message: String { get }
}

extension LayerScopedError {
    /// `layer 'NAME': message`, or the message alone when no layer is concerned.
    var layerMessage: String {
        layer.isEmpty ? message : "layer '\(layer)': \(message)"
    }
}
