/// The C of the entry points that only check the caller's pointers and pass them on. The float
/// and the int8 generators write the same functions, over `float` or over `int8_t` buffers, so
/// both take them from here and a fix to the checks reaches every model.
struct EntryPointText {
    /// The model's macro prefix (`NAME_INPUT_COUNT`).
    let macro: String

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

    /// `int function(const element *const *inputs, element *const *outputs)`, which checks the
    /// pointers and returns `callee(inputs, outputs)`.
    func multi(_ function: String, element: String, calling callee: String) -> String {
        """
        int \(function)(const \(element) *const *inputs, \(element) *const *outputs)
        {
            int k;
        \(pointerChecks)
            return \(callee)(inputs, outputs);
        }
        """
    }

    /// `int function(const element *input, element *output)` for a single-input model: wraps
    /// the pointers in one-element arrays, with NULL for every output but the first, and returns
    /// `callee(inputs, outputs)`.
    func single(_ function: String, element: String, outputs: Int, calling callee: String) -> String {
        let skippedOutputs = (1..<max(outputs, 1)).map { "    outputs[\($0)] = NULL;\n" }.joined()
        return """
            int \(function)(const \(element) *input, \(element) *output)
            {
                const \(element) *inputs[1];
                \(element) *outputs[\(outputs)];
                if (input == NULL || output == NULL) {
                    return TP_ERROR_NULL;
                }
                inputs[0] = input;
                outputs[0] = output;
            \(skippedOutputs)    return \(callee)(inputs, outputs);
            }
            """
    }
}
