import ArgumentParser

/// The validation data `convert` measures the compressed model on (its fidelity to the float
/// model) and, when a budget is given, the candidate compressions: labelled, or not (then the
/// float model's own top-1 serves as the labels of the budget search).
struct ValidationDataArguments: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Validation samples, X.npy or FILE.h5:DATASET (repeat for each model input): the compressed model is compared with the float model on them (default: the calibration samples), and a budget is searched on them.",
            valueName: "X"))
    var input: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The validation labels, Y.npy or FILE.h5:DATASET (class indices or one-hot rows), for accuracy; without them a budget uses the float model's top-1 on --input as labels.",
            valueName: "Y"))
    var labels: String?

    @Flag(help: "Reshape validation samples whose element count matches the model input (e.g. flat 64-value rows for an 8x8x1 image).")
    var reshape = false

    /// Labels and reshaping apply to the samples: without them they would be silently ignored.
    func check() throws {
        if input.isEmpty, labels != nil || reshape {
            throw ValidationError("--labels and --reshape apply to the validation samples: give --input X.npy too")
        }
    }
}
