"""The peers' rows: TFLite int8 (interpreter and TFLite Micro) and emlearn, measured like Topiary.
"""
import os
import re
import shutil

import numpy as np

from measure import BODY_EMLEARN, DRIVER, HERE, HOST_CFLAGS, ROOT, arm_size, callgrind, callgrind_total, last_json, run


# TFLite Micro's published runtime footprint: about 10 KB of flash on a Cortex-M3, from the
# memory_footprint example in its repository (tensorflow/tflite-micro).
TFLM_RUNTIME_BYTES = 10 * 1024


TFLM_ENTRY = "*MicroInterpreter::Invoke*"


def tflite_peer(ctx, model, info):
    folder = os.path.join(ctx.work, model, "tflite")
    os.makedirs(folder, exist_ok=True)
    mdir = os.path.join(ROOT, "samples", "models", model)
    shape = "x".join(str(d) for d in info["input_shape"])
    p = run([ctx.venv_python, os.path.join(HERE, "peers.py"), "tflite", os.path.join(mdir, info["file"]), shape,
             os.path.join(ctx.work, model, "calibration.npy"), os.path.join(mdir, "input.npy"),
             os.path.join(mdir, "labels.npy"), os.path.join(folder, model + "_int8.tflite")], cwd=folder, check=False)
    try:
        r = last_json(p.stdout)
    except ValueError:
        r = {"error": "peers.py exited %d: %s" % (p.returncode, (p.stderr.strip().splitlines() or ["?"])[-1])}
    r["model"] = model
    if "correct" in r:
        r["accuracy"] = r["correct"] / r["total"]
        r["flatbuffer"] = os.path.join(folder, model + "_int8.tflite")
        r["tflm"] = tflm_peer(ctx, model, r["flatbuffer"])
    return r


def tflm_peer(ctx, model, flatbuffer):
    """TFLite Micro's interpreter from the tflite-micro wheel (its reference kernels, built for
    x86-64 by the wheel) under callgrind: instructions inside MicroInterpreter::Invoke, the
    arena its allocator reports, and top-1 on the same samples."""
    folder = os.path.dirname(flatbuffer)
    mdir = os.path.join(ROOT, "samples", "models", model)
    out_file = os.path.join(folder, "callgrind.tflm.out")
    count = ctx.inferences
    p = run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file, "--toggle-collect=" + TFLM_ENTRY,
             ctx.venv_python, os.path.join(HERE, "peers.py"), "tflm", flatbuffer, os.path.join(mdir, "input.npy"),
             os.path.join(mdir, "labels.npy"), str(count)], cwd=folder, check=False)
    try:
        r = last_json(p.stdout)
    except ValueError:
        return {"error": "TFLite Micro run failed (%d): %s" % (p.returncode, (p.stderr.strip().splitlines() or ["?"])[-1])}
    if "error" in r:
        return r
    m = re.search(r"Arena allocation total (\d+) bytes", p.stdout + p.stderr)
    r["arena"] = int(m.group(1)) if m else None
    total = callgrind_total(out_file)
    if not total:
        return {"error": "callgrind counted nothing in " + TFLM_ENTRY}
    r["instructions"] = total / count
    r["accuracy"] = r["correct"] / r["total"]
    return r


def emlearn_peer(ctx, model, info):
    folder = os.path.join(ctx.work, model, "emlearn")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    mdir = os.path.join(ROOT, "samples", "models", model)
    name = "eml_" + model
    header = os.path.join(folder, name + ".h")
    p = run([ctx.venv_python, os.path.join(HERE, "peers.py"), "emlearn", os.path.join(mdir, info["file"]), name, header],
            cwd=folder, check=False)
    try:
        r = last_json(p.stdout)
    except ValueError:
        r = {"error": "peers.py exited %d" % p.returncode}
    r["model"] = model
    if "error" in r:
        return r
    # The generated header defines the model and its entry point: give it a translation unit
    # of its own, as Topiary's NAME.c has, so the entry point is a real call.
    source = os.path.join(folder, name + ".c")
    with open(source, "w") as f:
        f.write('#include "%s.h"\n' % name)
    include = r["include"]
    try:
        r.update(arm_size(folder, name + ".c", name + ".o", includes=[include]))
        input_size = int(np.prod(info["input_shape"]))
        values = {"input_size": input_size, "entry": r["entry"]}
        includes = "int32_t %s(const float *values, int32_t length);" % r["entry"]
        driver = DRIVER % dict(values, includes=includes, body=BODY_EMLEARN % values)
        cc = os.environ.get("CC", "cc")
        program = os.path.join(folder, "bench_run")
        with open(os.path.join(folder, "bench_driver.c"), "w") as f:
            f.write(driver)
        run([cc] + HOST_CFLAGS + ["-I", include, "-I", folder, source, os.path.join(folder, "bench_driver.c"), "-o", program, "-lm"], cwd=folder)
        count = ctx.inferences
        total, stdout = callgrind(folder, program, r["entry"], [ctx.samples[model], str(count)], "emlearn")
        predictions = [int(v) for v in stdout.split()]
        labels = ctx.labels[model][:count]
        r["instructions"] = total / count
        r["inferences"] = count
        r["correct"] = int(sum(int(a) == int(b) for a, b in zip(predictions, labels)))
        r["total"] = count
        r["accuracy"] = r["correct"] / count
    except RuntimeError as error:
        r["error"] = "build or run failed: " + str(error).splitlines()[0]
    return r
