/// The per-sequence working memory of a recurrent cell: its state and gate scratch buffers.
struct RecurrentState {
    var h: [Float]
    var c: [Float]
    var gates: [Float]
    var z: [Float]
    var reset: [Float]
    var candidate: [Float]

    init(units: Int, width: Int) {
        h = [Float](repeating: 0, count: units)
        c = h
        z = h
        reset = h
        candidate = h
        gates = [Float](repeating: 0, count: width)
    }
}
