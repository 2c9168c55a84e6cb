/// A float layer computed value by value by a kernel of `tp_elementwise_f32.h` (activation,
/// merge, per-channel affine, normalization, PReLU): each output value depends only on the
/// values at its own position, so it may overwrite its (first) input when the planner allows.
protocol ElementwiseF32Emitter: LayerKernel {}

extension ElementwiseF32Emitter {
    var storage: OutputStorage { .inPlace }
    var headers: [String] { ["tp_elementwise_f32.h"] }
}
