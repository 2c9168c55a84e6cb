import Foundation
import Topiary

extension CompressionArguments {
    /// The warning `convert` prints when the compressed model strays from the float model
    /// (top-1 agreement below 98% or SNR below 20 dB), naming the options that would bring it
    /// closer; `nil` when the model is close enough.
    func fidelityWarning(_ report: FidelityReport) -> String? {
        guard report.isPoor else { return nil }
        var findings: [String] = []
        for output in report.outputs {
            let which = report.outputs.count > 1 ? " on output '\(output.name)'" : ""
            if let agreement = output.agreement, agreement < FidelityReport.agreementWarning {
                findings.append(
                    "top-1 agreement \(String(format: "%.2f", agreement))%\(which) (below \(String(format: "%g", FidelityReport.agreementWarning))%)"
                )
            }
            if let snr = output.snrDecibels, snr < FidelityReport.snrWarning {
                findings.append(
                    "SNR \(String(format: "%.1f", snr)) dB per sample\(which) (below \(String(format: "%g", FidelityReport.snrWarning)) dB)"
                )
            }
        }
        var advice: [String] = []
        let prunes = sparsity != nil || pattern != nil
        if prunes, method == .magnitude {
            advice.append(calibration.isEmpty ? "--calibration X.npy (then pruning uses OBS)" : "--prune-method obs")
        }
        if sparsity != nil { advice.append("a lower --sparsity") }
        if pruneChannels != nil { advice.append("a lower --prune-channels") }
        if prunes || pruneChannels != nil, !fineTuning.finetune { advice.append("--finetune") }
        if quantize == .int8, calibrationMethod == .minmax { advice.append("--calibration-method percentile") }
        var text = "the compressed model is far from the float model on \(report.data): " + findings.joined(separator: ", ")
        if !advice.isEmpty {
            text += "; try " + advice.dropLast().joined(separator: ", ") + (advice.count > 1 ? " or " : "") + advice.last!
        }
        return text
    }
}
