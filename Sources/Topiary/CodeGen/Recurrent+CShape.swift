extension Recurrent {
    /// The fields of the C `tp_recurrent_shape` of this layer over `timesteps` steps of
    /// `features` values: the float and the int8 kernels read the same shape.
    func cShapeFields(timesteps: Int, features: Int) -> [(String, String)] {
        [
            ("timesteps", "\(timesteps)"), ("features", "\(features)"), ("units", "\(units)"),
            ("return_sequences", returnSequences ? "1" : "0"), ("go_backwards", goBackwards ? "1" : "0"),
        ]
    }
}
