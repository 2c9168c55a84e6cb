@testable import Topiary
import TopiaryTestSupport

/// The sample model `name` with BatchNorm folded (the teacher) and pruned to 90% by global OBS
/// (the student): the pair the distillation tests start from.
func teacherAndPrunedStudent(_ name: String) throws -> (teacher: Graph, student: Graph) {
    let teacher = try BatchNormFolding.apply(Samples.graph(name))
    let student = try OBSPruning.apply(
        teacher, PruningOptions(target: .uniform(0.9), scope: .global),
        samples: Samples.calibration(for: teacher))
    return (teacher, student)
}
