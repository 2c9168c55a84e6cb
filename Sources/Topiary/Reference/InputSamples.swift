extension Graph {
    /// The samples of `arrays` (one array per model input, samples along the first axis) as
    /// one list of input tensors per sample, checked against the model's inputs.
    ///
    /// `sources` names the arrays in errors (file names, as the user gave them). Each sample
    /// must have exactly the input's shape; with `reshape`, a sample with the same number of
    /// elements is reshaped to it instead (e.g. flat 64-pixel rows for an 8×8×1 image input).
    public func inputSamples(_ arrays: [NDArray], sources: [String]? = nil, reshape: Bool = false) throws -> [[Tensor]] {
        let names = sources ?? arrays.indices.map { "input \($0)" }
        let inputNames = inputs.map { nodes[$0].name }
        let inputShapes = inputs.map { nodes[$0].outputShape }
        guard arrays.count == inputs.count else {
            throw InferenceError(
                .badInput,
                "the model takes \(inputs.count) input(s) (\(inputNames.joined(separator: ", "))), but \(arrays.count) input file(s) were given; give them in that order"
            )
        }
        let counts = arrays.map(\.sampleCount)
        for (array, name) in zip(arrays, names) where array.shape.isEmpty {
            throw InferenceError(.badInput, "\(name) is a single number; give samples along the first axis")
        }
        guard Set(counts).count <= 1 else {
            throw InferenceError(
                .badInput,
                "the inputs have different sample counts: " + zip(names, counts).map { "\($0) has \($1)" }.joined(separator: ", "))
        }
        for (position, (array, name)) in zip(arrays, names).enumerated() where array.sampleShape != inputShapes[position] {
            let expected = inputShapes[position]
            let what =
                "model input '\(inputNames[position])' expects \(expected) per sample; \(name) has samples of shape \(array.sampleShape)"
            guard array.sampleShape.elementCount == expected.elementCount else {
                throw InferenceError(.badInput, what)
            }
            guard reshape else {
                throw InferenceError(.badInput, what + "; the element counts match, so pass --reshape to reshape each sample")
            }
        }
        // Every sample now has its input's shape, or its element count when reshaping.
        return (0..<(counts.first ?? 0)).map { index in
            zip(arrays, inputShapes).map { $0.sample(index, shape: $1) }
        }
    }
}
