/// The ops that only move data, in float: their `GatherTable` applied, padding with zeros.
struct GatherKernel: FloatKernel {
    let table: GatherTable

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        Tensor(shape: table.outputShape, values: table.apply(inputs[0].values, padding: 0))
    }
}
