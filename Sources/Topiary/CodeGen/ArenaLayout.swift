/// What the arena of a generated model holds, in order: the activations the plan placed, then,
/// in an int8 model, the int8 copies its float entry points make of the inputs and outputs.
/// One size (`NAME_ARENA_BYTES`) thus serves every entry point, static or `_arena`.
struct ArenaLayout: Equatable {
    /// The alignment the arena needs: that of the widest element the kernels read from it
    /// (`float`, `int32_t`). The planner's offsets are multiples of it.
    static let alignment = 4

    /// The planned activations and kernel scratch, from offset 0.
    let activationBytes: Int
    /// The int8 copies of the float entry points, from `stagingOffset`; 0 in a float model.
    let stagingBytes: Int

    var stagingOffset: Int { activationBytes }

    /// The whole arena, rounded up to the alignment so that every view of it is whole.
    var bytes: Int {
        let used = activationBytes + stagingBytes
        return (used + Self.alignment - 1) / Self.alignment * Self.alignment
    }
}
