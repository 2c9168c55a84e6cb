"""The sample models' rows: each sample model and compression variant evaluated, converted, sized
for a Cortex-M4 and counted on the host.
"""
import os
import shutil
import time

from measure import BODY_FLOAT, BODY_INT8, DRIVER, ROOT, arm_size, host_run
from topiary_json import convert, evaluate


MODELS = ["mlp", "cnn", "dscnn", "conv1d", "residual", "gru", "lstm"]


QUICK_MODELS = ["mlp", "cnn"]


# (key, label, topiary options). Every int8 variant also gets the calibration options; the
# magnitude rows name their method, since with calibration data OBS is the default.
VARIANTS = [
    ("float", "float32 dense", []),
    ("int8", "int8 dense", ["--quantize", "int8"]),
    ("s50", "int8 + 50% sparse", ["--sparsity", "0.5", "--prune-method", "magnitude", "--quantize", "int8"]),
    ("s80", "int8 + 80% sparse", ["--sparsity", "0.8", "--prune-method", "magnitude", "--quantize", "int8"]),
    ("s90", "int8 + 90% sparse", ["--sparsity", "0.9", "--prune-method", "magnitude", "--quantize", "int8"]),
    ("ch30", "int8 + 30% channels pruned", ["--prune-channels", "0.3", "--quantize", "int8"]),
    ("s80g", "int8 + 80% sparse, global + reconstruct",
     ["--sparsity", "0.8", "--prune-scope", "global", "--prune-method", "magnitude", "--reconstruct", "--quantize", "int8"]),
    ("s80o", "int8 + 80% sparse, OBS", ["--sparsity", "0.8", "--prune-method", "obs", "--quantize", "int8"]),
    ("s90o", "int8 + 90% sparse, OBS", ["--sparsity", "0.9", "--prune-method", "obs", "--quantize", "int8"]),
]


QUICK_VARIANTS = ["float", "int8", "s90", "s80o"]


SPARSITY = {"int8": 0.0, "s50": 0.5, "s80": 0.8, "s90": 0.9}


CALIBRATION_ROWS = 200


# Errors that say a variant does not apply to a model (reported as such, not as failures).
NOT_APPLICABLE = ["no layer can lose channels"]


def topiary_variant(ctx, model, info, key, options):
    folder = os.path.join(ctx.work, model, key)
    shutil.rmtree(folder, ignore_errors=True)
    mdir = os.path.join(ROOT, "samples", "models", model)
    model_file = os.path.join(mdir, info["file"])
    opts = list(options)
    if "int8" in opts:
        opts += ["--calibration", os.path.join(ctx.work, model, "calibration.npy")]
    result = {"model": model, "variant": key, "options": " ".join(options)}

    result["correct"], result["total"] = evaluate(ctx.topiary, model_file, os.path.join(mdir, "input.npy"),
                                                  os.path.join(mdir, "labels.npy"), opts)
    result["accuracy"] = result["correct"] / result["total"]
    result["keras_accuracy"] = info["accuracy"]

    start = time.perf_counter()
    converted = convert(ctx.topiary, model_file, folder, model, opts)
    result["convert_seconds"] = time.perf_counter() - start
    result.update(converted)

    result.update(arm_size(folder, model + ".c", model + ".o", includes=[folder]))
    upper = model.upper()
    input_size, output_size = result.pop("input_size"), result.pop("output_size")
    int8 = "int8" in opts
    entry = model + ("_predict_int8" if int8 else "_predict")
    values = {"input_size": input_size, "output_size": output_size, "entry": entry, "upper": upper}
    includes = '#include "%s.h"' % model + ('\n#include "tp_quantize_f32.h"' if int8 else "")
    body = (BODY_INT8 if int8 else BODY_FLOAT) % values
    driver = DRIVER % dict(values, includes=includes, body=body)
    count = ctx.inferences
    total, predictions = host_run(folder, [os.path.join(folder, model + ".c")], driver, entry,
                                  ctx.samples[model], count, key)
    result["entry"] = entry
    result["inferences"] = count
    result["instructions"] = total / count
    labels = ctx.labels[model][:count]
    result["c_correct"] = int(sum(int(a) == int(b) for a, b in zip(predictions, labels)))
    macs = result.get("nonzero_macs")
    result["instructions_per_mac"] = result["instructions"] / macs if macs else None
    return result
