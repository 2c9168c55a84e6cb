/// One node of an int8 graph prepared for integer inference: the arithmetic of the generated
/// C kernel for that node, on int8 tensors (flat, channels-last, shapes from the graph).
protocol Int8Kernel: Sendable {
    func forward(_ inputs: [[Int8]]) throws -> [Int8]
}
