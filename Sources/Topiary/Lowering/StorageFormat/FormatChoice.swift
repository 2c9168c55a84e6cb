/// What `--format` asks for: the smallest format per layer, or one format for every layer
/// that has weights (an N:M format only where the weights have that pattern).
public enum FormatChoice: String, Equatable, Sendable, CaseIterable {
    case auto, dense, bitmask, csr, nm
}
