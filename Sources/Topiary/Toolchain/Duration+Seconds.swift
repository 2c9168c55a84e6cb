extension Duration {
    /// The duration in seconds, for time limits scaled to measured work.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
