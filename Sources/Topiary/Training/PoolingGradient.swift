/// `MaxPooling` / `AveragePooling` 1D/2D and their backward pass. Max pooling sends each
/// output's gradient to the first input position holding the window's maximum; 'same'
/// average pooling spreads it over the in-bounds positions only, as the forward pass divides.
struct PoolingGradient: DifferentiableOp {
    let geometry: WindowGeometry
    let kind: PoolKind

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        let g = geometry, channels = g.channels, tapCount = g.tapCount, x = inputs[0]
        var out = [Float](repeating: kind == .max ? -.infinity : 0, count: g.outputPositions * channels)
        for p in 0..<g.outputPositions {
            var count = 0
            for t in 0..<tapCount {
                let pixel = Int(g.taps[p * tapCount + t])
                if pixel < 0 { continue }
                count += 1
                for c in 0..<channels {
                    let v = x[pixel * channels + c]
                    if kind == .max { out[p * channels + c] = max(out[p * channels + c], v) } else { out[p * channels + c] += v }
                }
            }
            if kind == .average {
                for c in 0..<channels { out[p * channels + c] /= Float(max(count, 1)) }
            }
        }
        return out
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        let g = geometry, channels = g.channels, tapCount = g.tapCount, x = inputs[0]
        var dx = [Float](repeating: 0, count: x.count)
        for p in 0..<g.outputPositions {
            let pixels = (0..<tapCount).map { Int(g.taps[p * tapCount + $0]) }.filter { $0 >= 0 }
            for c in 0..<channels {
                let dy = gradient[p * channels + c]
                switch kind {
                case .max:
                    guard var best = pixels.first else { continue }
                    for pixel in pixels.dropFirst() where x[pixel * channels + c] > x[best * channels + c] { best = pixel }
                    dx[best * channels + c] += dy
                case .average:
                    let share = dy / Float(max(pixels.count, 1))
                    for pixel in pixels { dx[pixel * channels + c] += share }
                }
            }
        }
        return [dx]
    }
}

/// `GlobalMaxPooling` / `GlobalAveragePooling` 1D/2D and their backward pass (max: to the
/// first position holding the maximum).
struct GlobalPoolingGradient: DifferentiableOp {
    let kind: PoolKind
    let positions: Int
    let channels: Int

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        let x = inputs[0]
        var out = [Float](repeating: kind == .max ? -.infinity : 0, count: channels)
        for p in 0..<positions {
            for c in 0..<channels {
                if kind == .max { out[c] = max(out[c], x[p * channels + c]) } else { out[c] += x[p * channels + c] }
            }
        }
        if kind == .average { for c in 0..<channels { out[c] /= Float(max(positions, 1)) } }
        return out
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        let x = inputs[0]
        var dx = [Float](repeating: 0, count: x.count)
        for c in 0..<channels {
            switch kind {
            case .max:
                var best = 0
                for p in 1..<max(positions, 1) where x[p * channels + c] > x[best * channels + c] { best = p }
                dx[best * channels + c] = gradient[c]
            case .average:
                let share = gradient[c] / Float(max(positions, 1))
                for p in 0..<positions { dx[p * channels + c] = share }
            }
        }
        return [dx]
    }
}
