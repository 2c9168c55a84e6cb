extension Recurrent {
    /// The fields of the C `tp_recurrent_shape` of this layer over `timesteps` steps of
    /// `features` values: the float and the int8 kernels read the same shape.
    func cShapeFields(timesteps: Int, features: Int) -> [(String, String)] {
        [
            ("timesteps", "\(timesteps)"), ("features", "\(features)"), ("units", "\(units)"),
            ("return_sequences", returnSequences ? "1" : "0"), ("go_backwards", goBackwards ? "1" : "0"),
        ]
    }

    /// How the weight comments name the gate blocks, in Keras's order; nothing for a SimpleRNN,
    /// whose one block needs no name.
    var gateOrderComment: String {
        switch kind {
        case .simpleRNN: return ""
        case .gru: return " (gates z, r, h)"
        case .lstm: return " (gates i, f, c, o)"
        }
    }
}
