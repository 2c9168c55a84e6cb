import ArgumentParser

/// The validation data `convert` measures candidate compressions on when a budget is given:
/// labelled, or not (then the float model's own top-1 serves as the labels).
struct ValidationDataArguments: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("With a budget: validation samples, X.npy or FILE.h5:DATASET (repeat for each model input).", valueName: "X"))
    var input: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With a budget: the validation labels, Y.npy or FILE.h5:DATASET (class indices or one-hot rows); without them the float model's top-1 on --input serves as labels.",
            valueName: "Y"))
    var labels: String?

    @Flag(help: "Reshape validation samples whose element count matches the model input (e.g. flat 64-value rows for an 8x8x1 image).")
    var reshape = false

    /// The data only serves a budget: without one it would be silently ignored.
    func check(_ budget: BudgetArguments) throws {
        if budget.budget == nil, !input.isEmpty || labels != nil || reshape {
            throw ValidationError(
                "--input, --labels and --reshape measure a budget's search; give --max-accuracy-drop or --flash-budget, or drop them")
        }
    }
}
