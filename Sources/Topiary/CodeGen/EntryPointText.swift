/// The C of the entry points that only check the caller's pointers and pass them on. The float
/// and the int8 generators write the same functions, over `float` or over `int8_t` buffers, so
/// both take them from here and a fix to the checks reaches every model.
///
/// Every model has `_arena` entry points taking the caller's arena first; they keep no state
/// of their own, so calls on separate arenas may run at once. The entry points without the
/// suffix call them with the model's static arena.
///
/// Each `_arena` definition starts with the line `TP_ENTRY_POINT` (topiary.h), which keeps it
/// out of line: the entry points that call it are then one jump each rather than a copy of
/// its checks.
struct EntryPointText {
    /// The line before each `_arena` definition.
    static let outOfLine = "TP_ENTRY_POINT\n"

    /// The model's macro prefix (`NAME_INPUT_COUNT`).
    let macro: String
    /// False when the model needs no arena (`NAME_ARENA_BYTES` is 0): the arena pointer is then
    /// ignored and may be NULL.
    let usesArena: Bool

    /// The statements that reject a NULL or misaligned arena, indented for a function body.
    var arenaChecks: String {
        guard usesArena else { return "" }
        return """
                if (arena == NULL) {
                    return TP_ERROR_NULL;
                }
                if ((uintptr_t)arena % \(macro)_ARENA_ALIGN != 0) {
                    return TP_ERROR_ARENA_ALIGNMENT;
                }

            """
    }

    /// The statements that reject a NULL array or a NULL input, indented for a function body
    /// that declares `int k`; a NULL output is allowed, the run skips it.
    var pointerChecks: String {
        """
            if (inputs == NULL || outputs == NULL) {
                return TP_ERROR_NULL;
            }
            for (k = 0; k < \(macro)_INPUT_COUNT; ++k) {
                if (inputs[k] == NULL) {
                    return TP_ERROR_NULL;
                }
            }
        """
    }

    /// `int function(void *arena, const element *const *inputs, element *const *outputs)`,
    /// which checks the arena and the pointers and returns `callee(arena, inputs, outputs)`.
    func multi(_ function: String, element: String, calling callee: String) -> String {
        """
        \(Self.outOfLine)int \(function)(void *arena, const \(element) *const *inputs, \(element) *const *outputs)
        {
            int k;
        \(arenaChecks)\(pointerChecks)
            return \(callee)(arena, inputs, outputs);
        }
        """
    }

    /// `int function(void *arena, const element *input, element *output)` for a single-input
    /// model: wraps the pointers in one-element arrays, with NULL for every output but the
    /// first, and returns `callee(arena, inputs, outputs)` (a `_multi_arena` form, which checks
    /// the arena). With one output the parameters themselves are the arrays, which saves their
    /// copies.
    func single(_ function: String, element: String, outputs: Int, calling callee: String) -> String {
        if outputs == 1 {
            return """
                \(Self.outOfLine)int \(function)(void *arena, const \(element) *input, \(element) *output)
                {
                    if (input == NULL || output == NULL) {
                        return TP_ERROR_NULL;
                    }
                    return \(callee)(arena, &input, &output);
                }
                """
        }
        let skippedOutputs = (1..<max(outputs, 1)).map { "    outputs[\($0)] = NULL;\n" }.joined()
        return """
            \(Self.outOfLine)int \(function)(void *arena, const \(element) *input, \(element) *output)
            {
                const \(element) *inputs[1];
                \(element) *outputs[\(outputs)];
                if (input == NULL || output == NULL) {
                    return TP_ERROR_NULL;
                }
                inputs[0] = input;
                outputs[0] = output;
            \(skippedOutputs)    return \(callee)(arena, inputs, outputs);
            }
            """
    }

    /// `int function(parameters)` that calls `callee` with `arena` (the static arena's address,
    /// or NULL for a model without one) before the same arguments.
    func staticWrapper(_ function: String, parameters: [(type: String, name: String)], arena: String, calling callee: String)
        -> String
    {
        let declared = parameters.map { "\($0.type)\($0.type.hasSuffix("*") ? "" : " ")\($0.name)" }.joined(separator: ", ")
        let passed = ([arena] + parameters.map(\.name)).joined(separator: ", ")
        return """
            int \(function)(\(declared))
            {
                return \(callee)(\(passed));
            }
            """
    }
}
