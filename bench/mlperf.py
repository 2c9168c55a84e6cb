"""The MLPerf Tiny rows of `make bench`: instructions per inference of three reference networks.

For each model in bench/mlperf-tiny/ and each variant (float, int8 dense, and the compression a
user would pick for that model, `COMPRESSED`), runs
`topiary profile --json` on the emulated Cortex-M4 (and, for int8 dense, the Cortex-M0+),
which also proves the outputs equal the Swift reference, and counts the same C on the x86
host with callgrind (secondary: the host's instructions are not the core's). Agreement with
the float model on the measured half of the inputs (`topiary predict`): top-1 agreement for the
classifiers, the anomaly score's (mean squared reconstruction error) relative error for the
autoencoder.
"""
import os
import sys

import numpy as np

from measure import BODY_FLOAT, BODY_INT8, DRIVER, host_run, log, recorded, run
from topiary_json import profile

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.join(HERE, "mlperf-tiny")

# name, file, inputs, task, best published Cortex-M4 cycles (see bench/mlperf-tiny/README.md)
MODELS = [
    ("resnet", "pretrainedResnet.h5", "resnet_input.npy", "classifier", 19.8e6),
    ("vww", "vww_96.h5", "vww_input.npy", "classifier", 10.7e6),
    ("ad", "ad01.h5", "ad_input.npy", "autoencoder", 0.57e6),
]
# key, label, conversion options (the calibration file is added for int8; "compressed" takes
# the model's entry of COMPRESSED)
VARIANTS = [
    ("float", "float32", []),
    ("int8", "int8 dense", ["--quantize", "int8"]),
    ("compressed", None, None),
]
# Per model, the compression one would pick to halve the published figure while agreeing with the
# float model: OBS pruning (calibration-aware, it updates the kept weights) at the highest sparsity,
# among those tried on these inputs, whose agreement held, storage formats left to the default
# (`--optimize speed` measured no faster). ResNet-8: int8 alone agrees on 93.8% of its crops
# (decided by small margins); OBS keeps that up to 30% (96.9%) and loses it at 50% (87.5%); at 70%
# and 80% it runs 11,634,912 and 8,994,232 instructions (the second within half the published
# figure, its 3x3 layers over 32 and 64 channels on four-position CSR rows) but agrees on 65.6%
# and 56.3%. VWW:
# 100% up to 95%, but its measured crops are all one class (no person in either photograph). On
# views with a person (bench/finetune_vww.py: 32 held-out views of the two photographs and
# scikit-image's astronaut, 5 of them with a person) OBS alone agrees on 87.5% at 80% and at 90%,
# losing persons; fine-tuned by distillation on 512 other views of them (30 epochs), 90% agrees
# on 96.9% with every person kept, at 3,236,812 instructions; 80% fine-tuned 96.9% too. The
# autoencoder: no variant tried reaches a
# score within 5% under the 285 k instructions of half the published figure; this is the closest
# without fine-tuning. Its int8 dense score moves 16.3% with nearest rounding (the weights'
# rounding, 12.8% alone) and 4.6% with `--weight-rounding compensated`; pruning, not rounding, costs
# the rest. Tried (score error, OBS, compensated rounding): uniform 50% 6.7%, 60% 12.2%, 70% 18.8%,
# 75% 17.0%, 80% 21.4% (321 k instructions before the CSR rows' folded output stage), 85% 18.7%
# (260 k), 90% 27.4% (200 k); `--bias-correction` and `--calibration-method mse` no better,
# fine-tuning on the calibration frames 18.7% at 85%; keeping the small bottleneck layers dense, or
# pruning the middle layers less, worse (25 to 27%). `--prune-scope global` (all layers ranked
# together) at 85% is the best within the budget: 14.7% at 244 k instructions, since 14.1% at 218 k with
# the units pruning leaves unread removed and the 640-input rows on the table kernel (the same pruning in
# float 14.8%, with nearest rounding 18.0%), though not a trend: 80%, 83%, 87% and 90% global give
# 21.9%, 23.3%, 22.3% and 29.3%, as the largest error over the 32 measured frames moves much between
# nearby masks. Other allocations of about the same nonzeros (85% global keeps 25% of the last
# layer, 7.5% of the others; that last layer is over half the instructions), e.g. first 92%, middle
# 85%, bottleneck dense, last 79%: 17 to 32%. Fine-tuning at 85% global (60 epochs, choices made on
# 256 frames of another seed, not these): on the 1024 calibration frames 17.7% (held-out p95 20.1%),
# on 4096 other generated frames 17.0% (p95 14.8%), on 8192 19.4% (p95 13.5%). What moves the score
# is the output error along the float model's residual (first order), not the output's squared
# error, so `--finetune-score-weight` also keeps each frame's score: 1000 gives 14.5% on the
# calibration frames (p95 16.5%), 10.5% on 4096 frames (p95 14.4%), 10.3% on 8192 (p95 13.1%), at
# 243,832 instructions (the mask is pruning's: training keeps it); 300 and 10000 worse (15.9%, 22.5%
# on the calibration frames); at 83% global (268 k) on 4096 frames 15.2% (p95 12.8%). It lowers the
# held-out p95 each time, not the held-out largest error: none nears 5%, that stays 22 to 30% with
# or without it, often on one quiet frame (peak -29 dB). The entry stays without fine-tuning: the
# closest needs 8192 generated frames and about ten minutes of training each of the three times the
# benchmark compresses the model. Scored per clip as MLPerf scores one (the mean of its windows'
# errors; `bench/ad_clip_scores.py`: 8 generated clips of 64 sliding 5-frame windows, each clip one
# sound), 85% global is off by up to 17.9%, int8 dense with compensated rounding 0.3%, and with
# OBS 50% 4.5% (537,192 instructions, no faster than dense), 60% 6.2%, 70% 16.0%.
COMPRESSED = {
    "resnet": ("int8, 30% OBS", ["--sparsity", "0.3"]),
    "vww": ("int8, 90% OBS", ["--sparsity", "0.9"]),
    "ad": ("int8, 85% OBS global, compensated rounding",
           ["--sparsity", "0.85", "--prune-scope", "global", "--weight-rounding", "compensated"]),
}
COMPRESSION_OPTIONS = ["--quantize", "int8", "--prune-method", "obs"]
# The autoencoder's 640 inputs need more calibration frames than the 32 of its input file: OBS
# on 32 samples fits a rank-32 Hessian of a 640-input layer and fails on any other frame (score
# off by 130% at 80%). A user calibrates on the training frames; these are drawn like them.
AD_CALIBRATION_FRAMES, AD_CALIBRATION_SEED = 1024, 1
PROFILED_SAMPLES = 2


def split_inputs(work, name, inputs):
    """Calibration (first half, or for the autoencoder its own frames) and measured (second
    half) files of the model's inputs."""
    x = np.load(os.path.join(FOLDER, inputs))
    half = len(x) // 2
    calibration, measured = os.path.join(work, name + "_calibration.npy"), os.path.join(work, name + "_measured.npy")
    if name == "ad":
        sys.path.insert(0, FOLDER)
        import make_inputs

        np.save(calibration, make_inputs.log_mel_frames(AD_CALIBRATION_FRAMES, np.random.default_rng(AD_CALIBRATION_SEED)))
    else:
        np.save(calibration, x[:half])
    np.save(measured, x[half:])
    return calibration, measured


def agreement(topiary, model, options, measured, task, folder, float_outputs):
    """Top-1 agreement with the float model, or the anomaly score's largest relative error."""
    path = os.path.join(folder, "outputs.npy")
    run([topiary, "predict", model, "--input", measured, "--output", path] + options)
    y = np.load(path).reshape(len(float_outputs), -1)
    if task == "classifier":
        return {"top1_agreement": float(np.mean(np.argmax(y, 1) == np.argmax(float_outputs, 1)))}
    x = np.load(measured).reshape(len(y), -1)
    score, reference = np.mean((y - x) ** 2, 1), np.mean((float_outputs - x) ** 2, 1)
    return {"score_error": float(np.max(np.abs(score - reference) / np.abs(reference)))}


def x86_instructions(topiary, model, options, folder, measured):
    """Instructions per inference of the C on the host, counted with callgrind (-O2)."""
    os.makedirs(folder, exist_ok=True)
    run([topiary, "convert", model, "-o", folder, "--name", "model"] + options)
    header = open(os.path.join(folder, "model.h")).read()
    size = lambda macro: int(header.split("#define MODEL_%s " % macro)[1].split()[0])
    int8 = "int8" in options
    values = {"input_size": size("INPUT_SIZE"), "output_size": size("OUTPUT_SIZE"),
              "entry": "model_predict_int8" if int8 else "model_predict", "upper": "MODEL"}
    includes = '#include "model.h"' + ('\n#include "tp_quantize_f32.h"' if int8 else "")
    driver = DRIVER % dict(values, includes=includes, body=(BODY_INT8 if int8 else BODY_FLOAT) % values)
    raw = os.path.join(folder, "measured.f32")
    np.ascontiguousarray(np.load(measured)[:PROFILED_SAMPLES], dtype=np.float32).tofile(raw)
    total, _ = host_run(folder, [os.path.join(folder, "model.c")], driver, values["entry"], raw, PROFILED_SAMPLES, "x86")
    return total / PROFILED_SAMPLES


def measure_all(topiary, work, quick=False):
    """One row per model and variant: M4 (and M0+) instructions, x86 instructions, footprint, agreement."""
    rows = []
    for name, file, inputs, task, published in MODELS[-1:] if quick else MODELS:
        model = os.path.join(FOLDER, file)
        folder = os.path.join(work, "mlperf", name)
        os.makedirs(folder, exist_ok=True)
        calibration, measured = split_inputs(folder, name, inputs)
        float_path = os.path.join(folder, "float_outputs.npy")
        run([topiary, "predict", model, "--input", measured, "--output", float_path])
        float_outputs = np.load(float_path).reshape(len(np.load(measured)), -1)
        for key, label, options in VARIANTS:
            if key == "compressed":
                label, options = COMPRESSED[name][0], COMPRESSION_OPTIONS + COMPRESSED[name][1]
            options = options + (["--calibration", calibration] if "int8" in options else [])
            def measure(row):
                m4 = profile(topiary, model, measured, options, PROFILED_SAMPLES, "cortex-m4f")
                row.update({"m4": m4["instructions"], "flash": m4["model"]["flash"], "ram": m4["model"]["ram"],
                            "passed": m4["passed"], "layers": m4["layers"]})
                if key == "int8":
                    row["m0plus"] = profile(topiary, model, measured, options, 1, "cortex-m0plus")["instructions"]
                row["x86"] = x86_instructions(topiary, model, options, os.path.join(folder, key), measured)
                if key != "float":
                    row.update(agreement(topiary, model, options, measured, task, os.path.join(folder, key), float_outputs))
                log("mlperf %-6s %-11s M4 %12.0f instructions (%.2fx published cycles)%s" % (
                    name, key, row["m4"], row["m4"] / published, "" if row["passed"] else "  OUTPUTS DIFFER"))

            rows.append(recorded({"model": name, "variant": key, "label": label, "options": " ".join(options),
                                  "published_cycles": published, "task": task}, "mlperf %s %s" % (name, key), measure))
    return rows


def report(rows):
    """The MLPerf Tiny section of RESULTS.md."""
    lines = [
        "## MLPerf Tiny reference models on an emulated Cortex-M4",
        "",
        "The three MLPerf Tiny Keras models in `bench/mlperf-tiny/` (Apache 2.0, see its README), on inputs "
        "in their trained range made by `bench/mlperf-tiny/make_inputs.py` (first half calibrates, second half "
        "is measured; the autoencoder calibrates on %d frames drawn like its inputs, as 32 are too few for "
        "its 640 inputs). The compressed variant is the compression one would pick per model: `--quantize int8 "
        "--prune-method obs` at the highest sparsity whose agreement held when tried on these inputs, or where "
        "none holds within half the published figure (the autoencoder's score) the closest found (see "
        "`COMPRESSED` in bench/mlperf.py). **M4** is instructions per inference from `topiary profile --json` "
        "(arm-none-eabi-gcc -O2 -mcpu=cortex-m4 -mfloat-abi=hard, qemu-system-arm -M mps2-an386 -icount shift=0, "
        "SysTick, resolution 40 instructions), mean of %d samples, with the outputs checked against the Swift "
        "reference (int8 bit for bit). **Published** is the best MLPerf Tiny Cortex-M4 result (STM32L4R5, cycles "
        "on silicon). **M0+** is the int8 dense C built for -mcpu=cortex-m0plus (no DSP, no FPU), run on QEMU's "
        "Cortex-M3 board. **x86** is callgrind's count of the same C compiled -O2 for the host (secondary). "
        "Agreement is with the float model on the measured inputs." % (AD_CALIBRATION_FRAMES, PROFILED_SAMPLES),
        "",
        "| model | variant | M4 instructions | published M4 cycles | M4 / published | M0+ instructions | x86 instructions "
        "| flash B | RAM B | agreement | outputs |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append("| %s | %s | failed: %s | | | | | | | | |" % (r["model"], r["label"], r["error"]))
            continue
        if "top1_agreement" in r:
            agree = "top-1 %.1f%%" % (100 * r["top1_agreement"])
        elif "score_error" in r:
            agree = "score within %.2f%%" % (100 * r["score_error"])
        else:
            agree = "(reference)"
        lines.append("| %s | %s | %s | %s | %.2fx | %s | %s | %d | %d | %s | %s |" % (
            r["model"], r["label"], "{:,.0f}".format(r["m4"]), "{:,.0f}".format(r["published_cycles"]),
            r["m4"] / r["published_cycles"], "{:,.0f}".format(r["m0plus"]) if "m0plus" in r else "",
            "{:,.0f}".format(r["x86"]), r["flash"], r["ram"], agree, "equal" if r["passed"] else "DIFFER"))
    return "\n".join(lines) + "\n"


def update_results(path, section):
    """Puts `section` into RESULTS.md at `path`, replacing an earlier MLPerf Tiny section."""
    text = open(path).read() if os.path.exists(path) else ""
    title = section.splitlines()[0]
    if title in text:
        start = text.index(title)
        following = text.find("\n## ", start + len(title))
        text = text[:start] + section + (text[following + 1:] if following >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


def save_rows(out, key, rows, section):
    """Puts `section` into RESULTS.md and `rows` under `key` of results.json, both in folder `out`."""
    import json

    update_results(os.path.join(out, "RESULTS.md"), section)
    results = os.path.join(out, "results.json")
    data = json.load(open(results)) if os.path.exists(results) else {}
    data[key] = rows
    with open(results, "w") as f:
        f.write(json.dumps(data, indent=1, sort_keys=True).replace(os.path.dirname(HERE) + "/", "") + "\n")


def main():
    """Measures the MLPerf Tiny rows alone and updates their section of RESULTS.md and results.json."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topiary", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rows = measure_all(os.path.abspath(args.topiary), os.path.abspath(args.work))
    save_rows(args.out, "mlperf", rows, report(rows))
    return 1 if any("error" in r or not r["passed"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
