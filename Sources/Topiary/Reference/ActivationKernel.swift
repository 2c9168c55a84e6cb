/// A standalone activation layer (`Activation`, `ReLU`, `LeakyReLU`, `ELU`, `Softmax`…).
struct ActivationKernel: FloatKernel {
    let activation: Activation
    let shape: [Int]

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var values = inputs[0].values
        activation.apply(to: &values, shape: shape)
        return Tensor(shape: shape, values: values)
    }
}
