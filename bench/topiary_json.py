"""Topiary's machine-readable output: every command the benchmark runs is asked for `--json`,
whose standard output is the JSON document alone (messages go to standard error). The schema
is the one README.md documents under "JSON output"."""
import json

from measure import run


def _json(cmd):
    return json.loads(run(cmd + ["--json"]).stdout)


def evaluate(topiary, model, inputs, labels, options):
    """`topiary evaluate --json`: (correct, total) of the compressed model when `options`
    compress it, else of the float model."""
    report = _json([topiary, "evaluate", model, "--input", inputs, "--labels", labels] + options)
    score = report.get("compressed") or report["float"]
    return score["correct"], score["total"]


def convert(topiary, model, folder, name, options):
    """`topiary convert --json`: the figures the benchmark keeps of a conversion."""
    report = _json([topiary, "convert", model, "-o", folder, "--name", name] + options)
    out = {"input_size": report["input_sizes"][0], "output_size": report["output_sizes"][0], "arena": report["arena_bytes"], "reported_flash": report["sizes"]["flash"] if report["sizes"]["measured"] else None}
    compression = report.get("compression")
    if compression:
        out.update({"float_bytes": compression["float32_model_bytes"], "dense_macs": compression["float32_multiply_adds"],
                    "sparsity": "%.1f%%" % (100 * compression["sparsity"]), "nonzero_macs": compression["nonzero_multiply_adds"],
                    "weight_bytes": compression["bytes"]})
    fidelity = report.get("fidelity")
    if fidelity:
        out["agreement"] = fidelity["outputs"][0].get("agreement")
    out["removed_channels"] = sum(report["removed_channels"].values())
    return out


def profile(topiary, model, inputs, options, samples, target):
    """`topiary profile --json`: instructions per inference and per layer on the emulated core,
    the model's flash and RAM, and whether its outputs equal the Swift reference."""
    return _json([topiary, "profile", model, "--input", inputs, "--samples", str(samples), "--target", target] + options)


def field(document, path):
    """The value at a dotted path (`compression.bytes`, `fidelity.outputs.0.agreement`)."""
    for key in path.split("."):
        document = document[int(key)] if isinstance(document, list) else document[key]
    return document


def shown(value, percent):
    if percent:
        return "%.1f%%" % (100 * value)
    return "%.2f" % value if isinstance(value, float) else str(value)


if __name__ == "__main__":
    # For the shell benchmarks: `topiary ... --json | python3 bench/topiary_json.py PATH...`
    # prints the value at each dotted path, space-separated (floats with two decimals; a path
    # ending in % prints a fraction as a percentage).
    import sys
    document = json.load(sys.stdin)
    print(" ".join(shown(field(document, path.rstrip("%")), path.endswith("%")) for path in sys.argv[1:]))
