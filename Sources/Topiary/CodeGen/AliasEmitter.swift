/// `Flatten`, `Reshape` and the layers that do nothing at inference (`Dropout`, noise): the
/// data is already laid out row-major, so the output is the input's memory, relabelled, and no
/// code runs.
struct AliasEmitter: LayerKernel {
    var storage: OutputStorage { .alias }
    var headers: [String] { [] }

    func emit(_ site: CallSite) throws -> LayerCode {
        LayerCode()
    }
}
