"""The digits MLP rows of `make bench`: Topiary's C beside emlearn's float C on the emulated Cortex-M4.

Two Dense-only digits classifiers: the repository's sample (samples/models/mlp, 64-64-32-10,
6,570 parameters) and a wider one trained here with the benchmark's venv (`peers.py
wide_mlp`, 64-256-128-10, 50,826 parameters). For each, emlearn's C (`peers.py emlearn`,
compiled as Topiary's, arm-none-eabi-gcc -O2 for the Cortex-M4 with FPU, bench/emlearn_m4_main.c
reading SysTick around each call) and Topiary's float, int8 dense and int8 90% OBS variants
(`topiary profile --json`, outputs checked against the Swift reference) run on qemu-system-arm
-M mps2-an386 -icount shift=0. Top-1 accuracy on the 360 held-out digits from
`topiary evaluate`.
"""
import functools
import os
import re
import sys

import numpy as np

from measure import last_json, log, recorded, run
from mlperf import save_rows
from topiary_json import evaluate, profile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "samples", "data")
TEST_X, TEST_Y, TRAIN_X, TRAIN_Y = (os.path.join(DATA, "digits_%s.npy" % n) for n in ("test_x", "test_y", "train_x", "train_y"))
CORTEX_M = os.path.join(ROOT, "codegen", "cortex-m")
# Instructions per SysTick count under -icount shift=0 on the MPS2 boards (25 MHz timer).
INSTRUCTIONS_PER_TICK = 40
EMLEARN_SAMPLES = 4
PROFILED_SAMPLES = 2
VARIANTS = [
    ("float32 dense", []),
    ("int8 dense", ["--quantize", "int8", "--calibration", TRAIN_X]),
    ("int8, 90% OBS", ["--quantize", "int8", "--calibration", TRAIN_X, "--prune-method", "obs", "--sparsity", "0.9"]),
]
M4_FLAGS = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "-O2", "-std=c99",
            "-ffunction-sections", "-fdata-sections"]


def emlearn_m4(topiary, venv_python, model, folder):
    """emlearn's float C for `model` on the emulated Cortex-M4: instructions per inference
    (the mean over the first test digits), once its classes of those digits are checked to be
    the float model's (`topiary predict`)."""
    os.makedirs(folder, exist_ok=True)
    header = os.path.join(folder, "digits_emlearn.h")
    result = last_json(run([venv_python, os.path.join(HERE, "peers.py"), "emlearn", model, "digits", header], cwd=folder).stdout)
    if "error" in result:
        raise RuntimeError("emlearn: " + result["error"])
    x = np.load(TEST_X).reshape(-1, 64)[:EMLEARN_SAMPLES].astype(np.float32)
    rows = ",\n".join("{" + ", ".join(float.hex(float(v)) + "f" for v in row) + "}" for row in x)
    with open(os.path.join(folder, "digits_inputs.h"), "w") as f:
        f.write("#define DIGITS_SAMPLES %d\nstatic const float digits_inputs[%d][64] = {\n%s};\n" % (len(x), len(x), rows))
    image = os.path.join(folder, "emlearn.elf")
    run(["arm-none-eabi-gcc"] + M4_FLAGS + ["-I", folder, "-I", result["include"],
         os.path.join(HERE, "emlearn_m4_main.c"), os.path.join(CORTEX_M, "startup.c"),
         "-T", os.path.join(CORTEX_M, "mps2.ld"), "-nostartfiles", "--specs=rdimon.specs", "-Wl,--gc-sections", "-lm",
         "-o", image])
    out = run(["qemu-system-arm", "-M", "mps2-an386", "-icount", "shift=0", "-nographic",
               "-semihosting-config", "enable=on,target=native", "-kernel", image]).stdout
    ticks = [int(t) for t in re.findall(r"ticks (\d+)", out)]
    if len(ticks) != len(x):
        raise RuntimeError("emlearn's image printed %d of %d samples:\n%s" % (len(ticks), len(x), out))
    inputs, outputs = os.path.join(folder, "digits_inputs.npy"), os.path.join(folder, "float_outputs.npy")
    np.save(inputs, x)
    run([topiary, "predict", model, "--input", inputs, "--output", outputs])
    classes = [int(c) for c in re.findall(r"class (-?\d+)", out)]
    if classes != np.argmax(np.load(outputs), 1).tolist():
        raise RuntimeError("emlearn's classes %s are not the float model's on the same digits" % classes)
    return {"m4": INSTRUCTIONS_PER_TICK * sum(ticks) / len(ticks), "method": result["method"]}


def measure_all(topiary, work, venv_python):
    """One row per model: emlearn's figure, then one per Topiary variant."""
    rows = []
    folder = os.path.join(work, "digits_m4")
    os.makedirs(folder, exist_ok=True)
    wide = os.path.join(folder, "wide_mlp.h5")
    models = [("mlp (6,570 parameters)", os.path.join(ROOT, "samples", "models", "mlp", "model.h5"))]
    made = last_json(run([venv_python, os.path.join(HERE, "peers.py"), "wide_mlp", TRAIN_X, TRAIN_Y, wide], cwd=folder).stdout)
    if "error" in made:
        log("digits_m4: the 64-256-128-10 MLP could not be made: %s" % made["error"])
    else:
        models.append(("wide mlp (%s parameters)" % "{:,}".format(made["params"]), wide))
    for index, (name, model) in enumerate(models):
        @functools.lru_cache(maxsize=None)
        def accuracy(options):
            """Top-1 of the model converted with `options` (a tuple), measured once: the float
            model's serves both emlearn's row and Topiary's float row."""
            correct, total = evaluate(topiary, model, TEST_X, TEST_Y, list(options))
            return correct / total

        def measure_emlearn(row):
            emlearn = emlearn_m4(topiary, venv_python, model, os.path.join(folder, "emlearn_%d" % index))
            row.update(variant="emlearn float (%s)" % emlearn["method"], m4=emlearn["m4"], accuracy=accuracy(()))
            log("digits_m4 %-26s emlearn float %9.0f instructions" % (name, emlearn["m4"]))

        rows.append(recorded({"model": name, "variant": "emlearn float"}, "digits_m4 %s emlearn" % name, measure_emlearn))
        for label, options in VARIANTS:
            def measure(row):
                m4 = profile(topiary, model, TEST_X, options, PROFILED_SAMPLES, "cortex-m4f")
                row.update(m4=m4["instructions"], flash=m4["model"]["flash"], passed=m4["passed"], accuracy=accuracy(tuple(options)))
                log("digits_m4 %-26s %-14s %9.0f instructions" % (name, label, row["m4"]))

            shown = " ".join(o if o != TRAIN_X else "digits_train_x.npy" for o in options)
            rows.append(recorded({"model": name, "variant": label, "options": shown}, "digits_m4 %s %s" % (name, label), measure))
    return rows


def report(rows):
    """The RESULTS.md section of the digits MLP rows."""
    lines = ["## Digits MLPs on an emulated Cortex-M4, beside emlearn", "",
             "Instructions per inference on qemu-system-arm -M mps2-an386 -icount shift=0 (SysTick, resolution 40 "
             "instructions), everything compiled arm-none-eabi-gcc -O2 -mcpu=cortex-m4 -mfloat-abi=hard: Topiary's C from "
             "`topiary profile --json` (mean of %d test digits, outputs checked against the Swift reference, int8 bit for bit), "
             "emlearn's float C timed around each `digits_predict` call on %d test digits (bench/emlearn_m4_main.c). The wide "
             "MLP is trained by `peers.py wide_mlp` (60 epochs, seed 50). **emlearn / this** is emlearn's instructions over the "
             "row's. Top-1 on the 360 held-out digits (`topiary evaluate`; emlearn's row is the Keras float model's). Made by "
             "`python3 bench/digits_m4.py --topiary T --venv-python P --work W --out O`." % (PROFILED_SAMPLES, EMLEARN_SAMPLES),
             "", "| model | variant | M4 instructions | emlearn / this | top-1 | flash B | outputs |", "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if "error" in r:
            lines.append("| %s | %s | failed: %s | | | | |" % (r["model"], r["variant"], r["error"]))
            continue
        emlearn = next((e["m4"] for e in rows if e["model"] == r["model"] and e["variant"].startswith("emlearn") and "m4" in e), None)
        lines.append("| %s | %s | %s | %s | %.2f%% | %s | %s |" % (
            r["model"], r["variant"], "{:,.0f}".format(r["m4"]), "1/%.1f" % (emlearn / r["m4"]) if emlearn else "",
            100 * r["accuracy"], r.get("flash", ""), "" if "passed" not in r else ("equal" if r["passed"] else "DIFFER")))
    return "\n".join(lines) + "\n"


def main():
    """Measures the digits MLP rows alone and updates their section of RESULTS.md and results.json."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topiary", required=True)
    parser.add_argument("--venv-python", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rows = measure_all(os.path.abspath(args.topiary), os.path.abspath(args.work), os.path.abspath(args.venv_python))
    save_rows(args.out, "digits_m4", rows, report(rows))
    return 1 if any("error" in r or not r.get("passed", True) for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
