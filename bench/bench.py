"""Topiary's benchmark beside the tools users would pick instead (TFLite int8, emlearn).

Run through bench/run.sh (`make bench`), which builds topiary and prepares the peers' venv.
Every figure in the report is measured in this one run:
  - top-1 accuracy on the held-out digits (each sample model's input.npy / labels.npy) with
    `topiary evaluate`, and the same through the compiled C on the host;
  - flash and RAM of the generated C compiled for a Cortex-M4 (arm-none-eabi-gcc -Os -c,
    arm-none-eabi-size);
  - instructions per inference of the C compiled -O2 for the host, counted by
    valgrind --tool=callgrind with --toggle-collect on the entry point;
  - the wall-clock time of `topiary convert`;
  - the peers' figures measured the same way where they produce C (emlearn), or through their
    own runtime (TFLite's interpreter);
  - the converter's time and peak memory on 1M- and 10M-parameter MLPs;
  - the MLPerf Tiny models' instructions per inference on an emulated Cortex-M4 (mlperf.py);
  - two digits MLPs on the same core beside emlearn's float C (digits_m4.py).

Usage: python3 bench/bench.py --topiary PATH --work DIR --out DIR [--venv-python PATH] [--quick]
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

import digits_m4
import mlperf
from measure import HERE, ROOT, first_line, last_json, log, run
from peer_rows import emlearn_peer, tflite_peer
from report import plots, write_report
from scale import SCALE_LAYERS, scale_bench
from variants import CALIBRATION_ROWS, MODELS, NOT_APPLICABLE, QUICK_MODELS, QUICK_VARIANTS, VARIANTS, topiary_variant


class Context:
    pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--topiary", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--venv-python")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    ctx = Context()
    ctx.topiary = os.path.abspath(args.topiary)
    ctx.work = os.path.abspath(args.work)
    ctx.quick = args.quick
    ctx.venv_python = os.path.abspath(args.venv_python) if args.venv_python else None
    ctx.models = QUICK_MODELS if args.quick else MODELS
    ctx.variants = QUICK_VARIANTS if args.quick else [v[0] for v in VARIANTS]
    ctx.date = datetime.date.today().isoformat()
    os.makedirs(ctx.work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)

    train = np.load(os.path.join(ROOT, "samples", "data", "digits_train_x.npy"))
    ctx.info, ctx.samples, ctx.labels, ctx.recurrent = {}, {}, {}, {}
    for m in ctx.models:
        mdir = os.path.join(ROOT, "samples", "models", m)
        info = json.load(open(os.path.join(mdir, "info.json")))
        ctx.info[m] = info
        ctx.recurrent[m] = bool(info.get("recurrent"))
        os.makedirs(os.path.join(ctx.work, m), exist_ok=True)
        shape = tuple(info["input_shape"])
        cal = train[:CALIBRATION_ROWS].reshape((CALIBRATION_ROWS,) + shape).astype(np.float32)
        np.save(os.path.join(ctx.work, m, "calibration.npy"), cal)
        x = np.load(os.path.join(mdir, "input.npy")).astype(np.float32)
        raw = os.path.join(ctx.work, m, "input.f32")
        np.ascontiguousarray(x).tofile(raw)
        ctx.samples[m] = raw
        ctx.labels[m] = [int(v) for v in np.load(os.path.join(mdir, "labels.npy")).reshape(-1)]
    ctx.test_count = len(ctx.labels[ctx.models[0]])
    ctx.inferences = 40 if args.quick else ctx.test_count

    versions = {
        "topiary": first_line([ctx.topiary, "--version"]),
        "commit": first_line(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
        "swift": first_line(["swift", "--version"]),
        "cc": first_line([os.environ.get("CC", "cc"), "--version"]),
        "arm-none-eabi-gcc": first_line(["arm-none-eabi-gcc", "--version"]),
        "valgrind": first_line(["valgrind", "--version"]),
        "python": "Python " + platform.python_version() + " (bench), NumPy " + np.__version__,
        "peers": {},
    }
    if subprocess.run(["git", "-C", ROOT, "diff", "--quiet", "HEAD", "--", "Sources", "include", "codegen"]).returncode != 0:
        versions["commit"] += " (with uncommitted changes to the converter)"
    if ctx.venv_python:
        p = run([ctx.venv_python, os.path.join(HERE, "peers.py"), "versions"], cwd=ctx.work, check=False)
        try:
            versions["peers"] = last_json(p.stdout)
        except ValueError:
            versions["peers"] = {}

    rows = []
    for m in ctx.models:
        for key, label, options in VARIANTS:
            if key not in ctx.variants:
                continue
            try:
                r = topiary_variant(ctx, m, ctx.info[m], key, options)
                log("%-8s %-5s top-1 %6.2f%%  flash %7d  RAM %6d  %9.0f instr/inference  convert %.2f s"
                    % (m, key, 100 * r["accuracy"], r["flash"], r["ram"], r["instructions"], r["convert_seconds"]))
                if r.get("reported_flash") and r["reported_flash"] != r["flash"]:
                    log("  note: topiary convert reported %d bytes of flash, arm-none-eabi-size here %d" % (r["reported_flash"], r["flash"]))
                if r["inferences"] == r["total"] and r["c_correct"] != r["correct"]:
                    log("  note: the C's top-1 (%d) differs from topiary evaluate's (%d)" % (r["c_correct"], r["correct"]))
            except Exception as error:
                reason = str(error).splitlines()[0]
                r = {"model": m, "variant": key, "options": " ".join(options)}
                if any(phrase in reason for phrase in NOT_APPLICABLE):
                    log("%-8s %-5s not applicable: %s" % (m, key, reason))
                    r["skipped"] = reason
                else:
                    log("%-8s %-5s FAILED: %s" % (m, key, error))
                    r["error"] = reason
            rows.append(r)
        # Float rows: instructions per dense multiply-add, counted by the int8 dense conversion.
        dense = next((r.get("dense_macs") for r in rows if r["model"] == m and r["variant"] == "int8"), None)
        for r in rows:
            if r["model"] == m and r["variant"] == "float" and "error" not in r and dense:
                r["nonzero_macs"] = dense
                r["instructions_per_mac"] = r["instructions"] / dense

    tflite, emlearn = {}, {}
    if ctx.venv_python:
        for m in ctx.models:
            tflite[m] = tflite_peer(ctx, m, ctx.info[m])
            t = tflite[m]
            log("%-8s TFLite int8: %s" % (m, t["error"] if "error" in t else "top-1 %.2f%%, %d bytes" % (100 * t["accuracy"], t["bytes"])))
            if "tflm" in t:
                u = t["tflm"]
                log("%-8s TFLite Micro: %s" % (m, u["error"] if "error" in u else "top-1 %.2f%%, arena %s, %.0f instr/inference"
                                                % (100 * u["accuracy"], u["arena"], u["instructions"])))
            classes = {layer["class"] for layer in ctx.info[m]["layers"]}
            if classes <= {"Dense", "Dropout", "InputLayer"}:
                emlearn[m] = emlearn_peer(ctx, m, ctx.info[m])
                e = emlearn[m]
                log("%-8s emlearn: %s" % (m, e["error"] if "error" in e else "top-1 %.2f%%, flash %d, %.0f instr/inference"
                                           % (100 * e["accuracy"], e["flash"], e["instructions"])))
    else:
        log("note: no venv for the peers (see bench/run.sh's output): TFLite, emlearn and the scale models are skipped")

    if ctx.venv_python:
        scale = scale_bench(ctx)
    else:
        scale = {"rows": [{"size": s, "error": "no venv to make the model"} for s in SCALE_LAYERS], "help_rss": 0, "small_rss": 0}

    mlperf_rows = mlperf.measure_all(ctx.topiary, ctx.work, quick=ctx.quick)
    # emlearn's float C and the wide MLP come from the venv.
    digits_rows = digits_m4.measure_all(ctx.topiary, ctx.work, ctx.venv_python) if ctx.venv_python else []

    ctx.elapsed = time.perf_counter() - started
    with open(os.path.join(args.out, "results.json"), "w") as f:
        # Paths relative to the repository, so the file does not depend on where it was run.
        text = json.dumps({"topiary": rows, "tflite": tflite, "emlearn": emlearn, "scale": scale, "versions": versions,
                           "mlperf": mlperf_rows, "digits_m4": digits_rows},
                          indent=1, sort_keys=True)
        f.write(text.replace(ROOT + "/", "") + "\n")
    write_report(ctx, rows, tflite, emlearn, scale, versions, os.path.join(args.out, "RESULTS.md"))
    mlperf.update_results(os.path.join(args.out, "RESULTS.md"), mlperf.report(mlperf_rows))
    if digits_rows:
        mlperf.update_results(os.path.join(args.out, "RESULTS.md"), digits_m4.report(digits_rows))
    plots(ctx, rows, tflite, emlearn, args.out)
    log("wrote %s (%.0f s)" % (os.path.join(args.out, "RESULTS.md"), ctx.elapsed))
    failures = [r for r in rows if "error" in r]
    for r in failures:
        log("failed: %s %s: %s" % (r["model"], r["variant"], r["error"]))
    # A variant that fails is a finding, recorded in the report; the run itself fails only
    # when a baseline (float or int8 dense) could not be measured.
    return 1 if any(r["variant"] in ("float", "int8") for r in failures) else 0


if __name__ == "__main__":
    sys.exit(main())
