/// How the fine-tuned model will be calibrated for int8: the samples and the method. Training
/// through the int8 model rounds the activations with the ranges they give.
public struct Int8Calibration: Sendable {
    public var samples: [[Tensor]]
    public var method: CalibrationMethod

    public init(samples: [[Tensor]], method: CalibrationMethod = .minmax) {
        self.samples = samples
        self.method = method
    }
}
