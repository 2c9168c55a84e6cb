import Foundation

extension QuantizationParameters {
    /// Asymmetric int8 parameters covering `[low, high]`, widened to include 0 so that zero
    /// (padding, ReLU's floor) is represented exactly by the zero point.
    public init(range low: Float, _ high: Float) {
        let low = min(low, 0), high = max(high, 0)
        guard high - low > Float.ulpOfOne, (high - low).isFinite else {
            self.init(scale: 1, zeroPoint: 0)
            return
        }
        let scale = (high - low) / 255
        let zeroPoint = (-128 - Double(low) / Double(scale)).rounded()
        self.init(scale: scale, zeroPoint: Int32(min(max(zeroPoint, -128), 127)))
    }

    /// The float → int8 step of the generated float entry point, written exactly as the C
    /// writes it (`tp_quantize_f32` in `tp_quantize_f32.h`): `t = x * (1 / scale)` in single
    /// precision, rounded half away from zero, plus the zero point, clamped (NaN gives the zero
    /// point). Both sides round the same single-precision values, so they give the same int8.
    public func quantize(_ x: Float) -> Int8 {
        var t = x * (1 / scale)
        if t.isNaN { t = 0 }
        t = min(max(t, -1000), 1000)
        let rounded = Int32(t.rounded(.toNearestOrAwayFromZero))
        return Int8(min(max(rounded + zeroPoint, -128), 127))
    }

    /// The real value `scale · (q − zeroPoint)`, as the C computes it.
    public func dequantize(_ q: Int8) -> Float {
        Float(Int32(q) - zeroPoint) * scale
    }
}
