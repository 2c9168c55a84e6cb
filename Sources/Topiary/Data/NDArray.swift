/// An n-dimensional array of numbers read from a data file (`.npy` or an HDF5 dataset),
/// held as floats in row-major order.
///
/// Data files for `predict` and `evaluate` put samples on the first axis. The element kind
/// of the file is kept so that, for example, integer class labels can be told from float
/// regression targets even though both are stored as `Float` here.
public struct NDArray: Equatable, Sendable {
    /// How the elements were stored in the file they came from.
    public enum ElementKind: String, Equatable, Sendable {
        case float, integer, boolean
    }

    public var shape: [Int]
    public var values: [Float]
    public var elementKind: ElementKind

    public init(shape: [Int], values: [Float], elementKind: ElementKind = .float) {
        precondition(shape.reduce(1, *) == values.count, "array shape \(shape) does not match \(values.count) values")
        self.shape = shape
        self.values = values
        self.elementKind = elementKind
    }

    /// Stacks equally shaped tensors along a new first axis.
    public init(stacking samples: [Tensor], sampleShape: [Int]) {
        var values: [Float] = []
        values.reserveCapacity(samples.count * sampleShape.elementCount)
        for sample in samples {
            precondition(sample.shape == sampleShape, "sample shape \(sample.shape) differs from \(sampleShape)")
            values.append(contentsOf: sample.values)
        }
        self.init(shape: [samples.count] + sampleShape, values: values)
    }

    /// Number of samples: the length of the first axis (1 for a scalar).
    public var sampleCount: Int { shape.first ?? 1 }

    /// Shape of one sample: the shape without its first axis.
    public var sampleShape: [Int] { Array(shape.dropFirst()) }

    /// Sample `index` (along the first axis) as a tensor of `shape`, which must hold as many
    /// elements as one sample.
    public func sample(_ index: Int, shape: [Int]? = nil) -> Tensor {
        let size = sampleShape.elementCount
        return Tensor(shape: shape ?? sampleShape, values: Array(values[(index * size)..<((index + 1) * size)]))
    }

    /// True when every value is a whole number (integer files always are).
    public var isIntegerValued: Bool {
        elementKind != .float || values.allSatisfy { $0.rounded() == $0 }
    }
}
