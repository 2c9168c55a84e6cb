import Foundation

/// Fine-tuning of a pruned model by distillation: the surviving weights and biases are
/// trained, with the pruning masks fixed, until the model's outputs match the unpruned
/// model's on unlabelled samples (`DistillationLoss`; labels, when given, add a
/// cross-entropy term), and optionally its residual block outputs too (`BlockOutputMatching`,
/// a training aid: the losses reported and compared are the outputs' alone).
///
/// Adam with steps relative to each tensor's size, a warm-up and a cosine-decaying rate
/// (`AdamOptimizer`), mini-batches in a seeded order
/// (`SampleOrder`). Each mini-batch is cut into a fixed number of shards computed in parallel
/// and summed in shard order, so the result does not depend on the number of cores or on
/// thread timing: the same inputs give the same weights, bit for bit. When the model is to
/// be quantized to int8, the last epochs train through the int8 model: the rounding of the
/// kernels (`FakeQuantization`) and of the activations, with the ranges calibration gives
/// the model at the start of those epochs (`ActivationRounding`), at a fraction of the
/// schedule's rate (`FineTuningOptions.int8RateFactor`), so that the integer model recovers,
/// not only the float one. The model handed back is never worse than the one
/// handed in, by the loss over the fine-tuning samples.
public enum FineTuning {
    /// The fine-tuned model and what fine-tuning did.
    public struct Result: Sendable {
        public var graph: Graph
        public var summary: FineTuningSummary
    }

    /// Shards per mini-batch: fixed, so that the order of the sums is too.
    static let shards = 4

    /// Trains `student` (the pruned model, BatchNorm folded) to match `teacher` (the unpruned
    /// one, same inputs and outputs) on `samples` (one array of input tensors each), with
    /// `labels` (a class index per sample, for the first output) when given. `int8` (how the
    /// model will be calibrated) makes the last `options.int8Epochs` train through the int8
    /// model, and the losses be measured through it. `progress` hears one line per
    /// mini-batch, with an estimate of the time left.
    public static func apply(
        _ student: Graph, teacher: Graph, samples: [[Tensor]], labels: [Int]? = nil,
        options: FineTuningOptions = FineTuningOptions(), int8: Int8Calibration? = nil,
        progress: ((String) -> Void)? = nil
    ) throws -> Result {
        guard !samples.isEmpty else {
            throw CompressionError(
                .fineTuning, "fine-tuning needs samples of the model's inputs: give fine-tuning data or calibration data")
        }
        guard options.epochs >= 0, options.batchSize >= 1 else {
            throw CompressionError(.fineTuning, "the number of epochs must be 0 or more and the batch size 1 or more")
        }
        if let labels, labels.count != samples.count {
            throw CompressionError(
                .fineTuning, "there are \(labels.count) labels for \(samples.count) fine-tuning samples; give one label per sample")
        }
        let studentOutputs = student.outputs.map { student.nodes[$0].outputShape }
        guard studentOutputs == teacher.outputs.map({ teacher.nodes[$0].outputShape }),
            student.inputs.map({ student.nodes[$0].outputShape }) == teacher.inputs.map({ teacher.nodes[$0].outputShape })
        else {
            throw CompressionError(.fineTuning, "the pruned model's inputs and outputs differ in shape from the unpruned model's")
        }
        let net = try TrainingGraph(student)
        let reference = try TrainingGraph(teacher)
        let classifier = student.outputs.map { isClassifier(student.nodes[$0]) }
        if let labels, let width = studentOutputs.first?.last {
            guard classifier.first == true else {
                throw CompressionError(
                    .fineTuning,
                    "labels train a classifier, but the model's first output '\(student.nodes[student.outputs[0]].name)' is not a softmax")
            }
            if let bad = labels.first(where: { $0 < 0 || $0 >= width }) {
                throw CompressionError(.fineTuning, "label \(bad) is not a class of the model's \(width) outputs")
            }
        }
        let inputs = samples.map { $0.map(\.values) }
        let blocks = options.blockOutputWeight > 0 ? BlockOutputMatching.blockOutputs(student: student, teacher: teacher) : []

        // The teacher's targets, once.
        let teacherValues = reference.parameterValues(teacher)
        let teacherPasses = try concurrentMap(samples.count) { i in
            let pass = try reference.forward(inputs[i], teacherValues)
            let targets = teacher.outputs.enumerated().map { k, node in
                DistillationLoss.target(
                    y: pass.y[node], z: pass.z[node], classifier: classifier[k],
                    rowLength: teacher.nodes[node].outputShape.last ?? 1, temperature: options.temperature,
                    label: k == 0 ? labels?[i] : nil)
            }
            return (targets: targets, blocks: blocks.map { pass.y[$0.teacher] })
        } failing: { i, error in
            CompressionError(.fineTuning, "sample \(i): \(error)")
        }
        let targets = teacherPasses.map(\.targets)
        let blockMatching =
            blocks.isEmpty
            ? nil
            : BlockOutputMatching(nodes: blocks.map(\.student), targets: teacherPasses.map(\.blocks), weight: options.blockOutputWeight)
        let scoreMatching = try scoreMatching(student, inputs: inputs, targets: targets, options: options)

        var values = net.parameterValues(student)
        let kernelRows = net.parameters.map { KernelRows(student.nodes[$0.node], $0.role) }
        let masks: [[Bool]?] = zip(values, kernelRows).map { v, rows in
            rows != nil && v.contains(0) ? v.map { $0 != 0 } : nil
        }
        let weightRounding = FakeQuantization(rows: kernelRows)
        // What the model's loss is measured through: the int8 model (kernels and activations
        // rounded, with the ranges calibration gives the weights measured) or the float one.
        func loss(of parameters: [[Float]]) throws -> Double {
            guard let int8 else {
                return try meanLoss(net, parameters, inputs: inputs, targets: targets, scores: scoreMatching, options: options)
            }
            let rounding = try ActivationRounding(
                net, calibrating: net.graph(student, with: parameters), samples: int8.samples, method: int8.method)
            return try meanLoss(
                net, weightRounding.apply(parameters), rounding: rounding, inputs: inputs, targets: targets, scores: scoreMatching,
                options: options)
        }
        let batchesPerEpoch = (samples.count + options.batchSize - 1) / options.batchSize
        // A bias's steps scale with its layer's kernel when that is the larger: a bias that
        // starts at zero must still be able to move.
        let sizes = values.map(AdamOptimizer.typicalSize)
        let scales = net.parameters.enumerated().map { k, parameter -> Float in
            guard parameter.role == .bias else { return sizes[k] }
            let kernels = net.parameters.indices.filter { net.parameters[$0].node == parameter.node && net.parameters[$0].role != .bias }
            return max(sizes[k], kernels.map { sizes[$0] }.max() ?? 0)
        }
        var adam = AdamOptimizer(
            parameters: values, masks: masks, scales: scales, learningRate: options.learningRate,
            totalSteps: options.epochs * batchesPerEpoch)
        let lossBefore = try loss(of: values)
        let firstInt8Epoch = int8 == nil ? options.epochs : options.epochs - options.int8Epochs
        var activationRounding: ActivationRounding?
        var lastEpochLoss: Double?
        // The weights at the end of the epoch whose mini-batches had the lowest loss, in the
        // last phase (through int8 when quantizing), in case the loss rose after it.
        var best: (loss: Double, values: [[Float]])?
        let start = Date()
        // An unpruned model distilled without labels already matches its teacher in float:
        // every gradient of the float epochs is exactly zero and Adam would not move, so
        // they are only counted, and the training goes to the int8 epochs.
        let alreadyMatches = labels == nil && student == teacher
        for epoch in 0..<options.epochs {
            let throughInt8 = epoch >= firstInt8Epoch
            if !throughInt8, alreadyMatches {
                adam.skip(batchesPerEpoch)
                continue
            }
            if throughInt8 { adam.rateFactor = options.int8RateFactor }
            if throughInt8, activationRounding == nil, let int8 {
                activationRounding = try ActivationRounding(
                    net, calibrating: net.graph(student, with: values), samples: int8.samples, method: int8.method)
            }
            var order = SampleOrder(seed: options.seed, epoch: epoch)
            let permutation = order.permutation(samples.count)
            var epochLoss = 0.0
            for batch in 0..<batchesPerEpoch {
                let members = Array(permutation[(batch * options.batchSize)..<min((batch + 1) * options.batchSize, samples.count)])
                let effective = throughInt8 ? weightRounding.apply(values) : values
                var (gradients, batchLoss) = try batchGradient(
                    net, effective, rounding: throughInt8 ? activationRounding : nil, members: members, inputs: inputs,
                    targets: targets, blocks: blockMatching, scores: scoreMatching, options: options)
                epochLoss += batchLoss
                let scale = 1 / Float(members.count)
                for k in gradients.indices { for i in gradients[k].indices { gradients[k][i] *= scale } }
                adam.update(&values, gradients: gradients)
                if let progress {
                    let done = epoch * batchesPerEpoch + batch + 1, total = options.epochs * batchesPerEpoch
                    let left = Date().timeIntervalSince(start) / Double(done) * Double(total - done)
                    progress(
                        "fine-tuning: epoch \(epoch + 1)/\(options.epochs)\(throughInt8 ? " (through int8)" : ""), batch \(batch + 1)/\(batchesPerEpoch)\(lastEpochLoss.map { ", loss \(String(format: "%.4g", $0)) in the last epoch" } ?? ""), about \(Int(left.rounded(.up))) s left"
                    )
                }
            }
            lastEpochLoss = epochLoss / Double(samples.count)
            if epoch >= (int8 == nil ? 0 : firstInt8Epoch), epochLoss < best?.loss ?? .infinity {
                best = (epochLoss, values)
            }
        }
        if let best { values = best.values }
        let trained = try loss(of: values)
        // Training that did not lower the loss gives back the model it was handed.
        let improved = trained <= lossBefore
        return Result(
            graph: improved ? net.graph(student, with: values) : student,
            summary: FineTuningSummary(
                frozenLayers: net.frozenLayers, lossBefore: lossBefore, lossAfter: min(trained, lossBefore),
                samples: samples.count, epochs: options.epochs, kept: improved))
    }

    /// True for an output that is a softmax over its last axis (fused or its own layer).
    static func isClassifier(_ node: Node) -> Bool {
        guard case let .softmax(axis)? = node.fusedActivation, node.outputShape.count >= 1 else { return false }
        return axis == node.outputShape.count - 1 || axis == -1
    }

    /// The summed gradient and loss of `members`: each shard sums its samples in order, then
    /// the shards are added in order.
    static func batchGradient(
        _ net: TrainingGraph, _ values: [[Float]], rounding: ActivationRounding?, members: [Int], inputs: [[[Float]]],
        targets: [[DistillationLoss.Target]], blocks: BlockOutputMatching?, scores: ReconstructionScoreMatching?,
        options: FineTuningOptions
    ) throws -> (gradients: [[Float]], loss: Double) {
        let zero = values.map { [Float](repeating: 0, count: $0.count) }
        let shardCount = min(shards, members.count)
        let shardSums = try concurrentMap(shardCount) { s in
            var sum = zero
            var loss = 0.0
            let range = (members.count * s / shardCount)..<(members.count * (s + 1) / shardCount)
            for i in members[range] {
                let pass = try net.forward(inputs[i], values, rounding: rounding)
                var seeds: [Int: (gradient: [Float], beforeActivation: Bool)] = [:]
                for (k, node) in net.graph.outputs.enumerated() {
                    let result = DistillationLoss.evaluate(
                        targets[i][k], y: pass.y[node], z: pass.z[node], temperature: options.temperature)
                    loss += result.loss
                    let beforeActivation: Bool
                    if case .classes = targets[i][k] { beforeActivation = true } else { beforeActivation = false }
                    seeds[node] = (result.gradient, beforeActivation)
                }
                if let scores, let node = net.graph.outputs.first, let seed = seeds[node] {
                    let term = scores.evaluate(sample: i, y: pass.y[node])
                    loss += term.loss
                    seeds[node] = (zip(seed.gradient, term.gradient).map(+), seed.beforeActivation)
                }
                if let blocks {
                    for (k, node) in blocks.nodes.enumerated() {
                        seeds[node] = (blocks.evaluate(sample: i, node: k, y: pass.y[node]).gradient, false)
                    }
                }
                net.backward(pass, values, seeds: seeds, into: &sum)
            }
            return (gradients: sum, loss: loss)
        } failing: { _, error in
            CompressionError(.fineTuning, "\(error)")
        }
        var total = zero
        var loss = 0.0
        for shard in shardSums {
            loss += shard.loss
            for k in total.indices { for i in total[k].indices { total[k][i] += shard.gradients[k][i] } }
        }
        return (total, loss)
    }

    /// The anomaly-score term of `options.scoreWeight`, or nil when it is 0; an error when the
    /// model's output cannot be read as a reconstruction of its input.
    static func scoreMatching(
        _ student: Graph, inputs: [[[Float]]], targets: [[DistillationLoss.Target]], options: FineTuningOptions
    ) throws -> ReconstructionScoreMatching? {
        guard options.scoreWeight > 0 else { return nil }
        // A softmax output is a classifier's, whatever its size: its target is no reconstruction.
        let teacherOutputs = targets.compactMap { sample -> [Float]? in
            guard case let .values(y) = sample[0] else { return nil }
            return y
        }
        guard ReconstructionScoreMatching.applies(to: student), teacherOutputs.count == targets.count else {
            throw CompressionError(
                .fineTuning,
                "anomaly-score matching needs an autoencoder: one input and one output with as many values, the output reconstructing the input"
            )
        }
        return ReconstructionScoreMatching(inputs: inputs.map { $0[0] }, teacherOutputs: teacherOutputs, weight: options.scoreWeight)
    }

    /// The mean loss over every sample, summed over the outputs (with the anomaly-score term
    /// when `scores` is given), through the int8 rounding of the activations when `rounding`
    /// is given.
    static func meanLoss(
        _ net: TrainingGraph, _ values: [[Float]], rounding: ActivationRounding? = nil, inputs: [[[Float]]],
        targets: [[DistillationLoss.Target]], scores: ReconstructionScoreMatching? = nil,
        options: FineTuningOptions
    ) throws -> Double {
        let losses = try concurrentMap(inputs.count) { i in
            let pass = try net.forward(inputs[i], values, rounding: rounding)
            return net.graph.outputs.enumerated().reduce(0.0) { total, output in
                total
                    + DistillationLoss.evaluate(
                        targets[i][output.offset], y: pass.y[output.element], z: pass.z[output.element],
                        temperature: options.temperature
                    ).loss
            } + (scores.map { $0.evaluate(sample: i, y: pass.y[net.graph.outputs[0]]).loss } ?? 0)
        } failing: { i, error in
            CompressionError(.fineTuning, "sample \(i): \(error)")
        }
        return losses.reduce(0, +) / Double(max(inputs.count, 1))
    }
}
