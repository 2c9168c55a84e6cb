/// What the arena of a generated model holds: the activations, the kernels' scratch and, in an
/// int8 model, the int8 copies its float entry points make of the inputs and outputs, all
/// placed by the plan. One size (`NAME_ARENA_BYTES`) thus serves every entry point, static or
/// `_arena`.
struct ArenaLayout: Equatable {
    /// The alignment the arena needs: that of the widest element the kernels read from it
    /// (`float`, `int32_t`). The planner's offsets are multiples of it.
    static let alignment = 4

    /// The planned activations, kernel scratch and int8 copies, from offset 0.
    let plannedBytes: Int
    /// The bytes of the float entry points' int8 copies within them; 0 in a float model.
    let stagingBytes: Int

    /// The whole arena, rounded up to the alignment so that every view of it is whole.
    var bytes: Int {
        (plannedBytes + Self.alignment - 1) / Self.alignment * Self.alignment
    }
}
