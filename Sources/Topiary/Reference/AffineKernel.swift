/// `BatchNormalization` at inference and `Rescaling`: their `ChannelAffine` applied along its
/// axis.
struct AffineKernel: FloatKernel {
    let affine: ChannelAffine
    let shape: [Int]

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var values = inputs[0].values
        affine.layout.affine(&values, scale: affine.scale, shift: affine.shift)
        return Tensor(shape: shape, values: values)
    }
}
