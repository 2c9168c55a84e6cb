/// Structural edits the compression passes share: removing a node that reads one input
/// (what BatchNorm folding and activation fusion do), and inserting a node after another
/// (what splitting a fused activation or a separable convolution does). Both keep the nodes
/// in topological order and renumber every reference.
extension Graph {
    /// The graph without node `index`, whose readers (and the model outputs) read its single
    /// input instead.
    func removingNode(_ index: Int) -> Graph {
        precondition(nodes[index].inputs.count == 1, "only a node with one input can be bypassed")
        let replacement = nodes[index].inputs[0]
        func renumber(_ i: Int) -> Int {
            let target = i == index ? replacement : i
            return target > index ? target - 1 : target
        }
        var result = self
        result.nodes.remove(at: index)
        for k in result.nodes.indices {
            result.nodes[k].inputs = result.nodes[k].inputs.map(renumber)
        }
        result.inputs = inputs.map(renumber)
        result.outputs = outputs.map(renumber)
        return result
    }

    /// The graph with `node` inserted right after node `index`; every former reader of
    /// `index` (and a model output at `index`) reads the new node instead, except the new node
    /// itself, whose `inputs` are given in the numbering before the insertion.
    func inserting(_ node: Node, after index: Int) -> Graph {
        let position = index + 1
        func shifted(_ i: Int) -> Int { i >= position ? i + 1 : i }
        var result = self
        for k in result.nodes.indices {
            result.nodes[k].inputs = result.nodes[k].inputs.map { $0 == index ? position : shifted($0) }
        }
        var inserted = node
        inserted.inputs = node.inputs.map(shifted)
        result.nodes.insert(inserted, at: position)
        result.inputs = inputs.map(shifted)
        result.outputs = outputs.map { $0 == index ? position : shifted($0) }
        return result
    }

    /// A node name not used in the graph, from `base`.
    func unusedName(_ base: String) -> String {
        let names = Set(nodes.map(\.name))
        if !names.contains(base) { return base }
        var counter = 2
        while names.contains("\(base)_\(counter)") { counter += 1 }
        return "\(base)_\(counter)"
    }
}
