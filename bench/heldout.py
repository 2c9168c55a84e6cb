"""Every model `samples/make_heldout.py` wrote, through Topiary with the default options: the
float reference against Keras's own outputs, and the int8 and float C on the emulated
Cortex-M4 (bit-exact against the Swift integer reference for int8).

    python3 bench/heldout.py --topiary .build/release/topiary [--models samples/heldout] [NAME...]

prints one row per model: the float reference's largest error against Keras
(|topiary predict - model.predict| / max(1, |y|)), int8 PASS or FAIL with its instructions per
inference, flash, RAM (arena and the rest of bss) and instructions per multiply-add, the layer
with the most instructions per multiply-add, and the float C's instructions. A command that
fails prints its first error line instead of its figures.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def run_json(cmd):
    """(document, None) for a command that succeeded, (None, its first error line) otherwise."""
    done = subprocess.run(cmd + ["--json"], capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        return None, "exit %d: %s" % (done.returncode, " / ".join(lines[:3]) if lines else "(no message)")
    return json.loads(done.stdout), None


def model_file(folder):
    with open(os.path.join(folder, "info.json")) as f:
        return os.path.join(folder, json.load(f)["file"])


def parity(topiary, model, folder, work):
    """The float reference's largest scaled error against Keras's outputs."""
    predicted = os.path.join(work, "predicted.npy")
    _, error = run_json([topiary, "predict", model, "--input", os.path.join(folder, "input.npy"), "--output", predicted])
    if error:
        return None, error
    got = np.load(predicted)
    want = np.load(os.path.join(folder, "output.npy"))
    return float(np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want)))), None


def multiply_adds(topiary, model):
    summary, error = run_json([topiary, "inspect", model])
    if error:
        return {}, 0
    layers = {layer["name"]: layer["multiply_adds"] for layer in summary["layers"]}
    return layers, summary["multiply_adds"]


def slowest_layer(profile, macs):
    """(name, instructions per multiply-add) of the layer that spends the most per
    multiply-add, among those that run at least a thousand."""
    rates = [(layer["instructions"] / macs[layer["name"]], layer["name"]) for layer in profile["layers"]
             if macs.get(layer["name"], 0) >= 1000]
    if not rates:
        return "-", 0.0
    rate, name = max(rates)
    return name, rate


def measure(topiary, folder):
    model = model_file(folder)
    inputs = os.path.join(folder, "input.npy")
    calibration = os.path.join(folder, "calibration.npy")
    row = {"name": os.path.basename(folder), "format": json.load(open(os.path.join(folder, "info.json")))["format"]}
    with tempfile.TemporaryDirectory() as work:
        _, row["convert_error"] = run_json([topiary, "convert", model, "-o", os.path.join(work, "c")])
        row["parity"], row["parity_error"] = parity(topiary, model, folder, work)
    macs, total_macs = multiply_adds(topiary, model)
    int8, row["int8_error"] = run_json([topiary, "profile", model, "--input", inputs, "--quantize", "int8",
                                        "--calibration", calibration, "--samples", "2"])
    if int8:
        row.update(int8_pass=int8["passed"], int8_instructions=int8["instructions"], int8_flash=int8["model"]["flash"],
                   int8_ram=int8["model"]["ram"], macs=total_macs,
                   per_mac=int8["instructions"] / total_macs if total_macs else 0.0)
        row["slowest"], row["slowest_per_mac"] = slowest_layer(int8, macs)
        row["int8_layers"] = int8["layers"]
    float_profile, row["float_error"] = run_json([topiary, "profile", model, "--input", inputs, "--samples", "2"])
    if float_profile:
        row.update(float_pass=float_profile["passed"], float_instructions=float_profile["instructions"],
                   float_flash=float_profile["model"]["flash"], float_ram=float_profile["model"]["ram"])
    return row


def print_row(row):
    parts = ["%-28s %-12s" % (row["name"], row["format"])]
    parts.append("%9.1e" % row["parity"] if row["parity"] is not None else "%9s" % "ERROR")
    if "int8_pass" in row:
        parts.append("%-4s %11s %8s %7s %6.2f %-8s %6.2f" % (
            "PASS" if row["int8_pass"] else "FAIL", "{:,}".format(row["int8_instructions"]), "{:,}".format(row["int8_flash"]),
            "{:,}".format(row["int8_ram"]), row["per_mac"], row["slowest"], row["slowest_per_mac"]))
    else:
        parts.append("%-60s" % "int8 ERROR")
    parts.append("%12s" % ("{:,}".format(row["float_instructions"]) if "float_instructions" in row else "ERROR"))
    print(" ".join(parts), flush=True)
    for key in ("convert_error", "parity_error", "int8_error", "float_error"):
        if row.get(key):
            print("    %s: %s" % (key, row[key]), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--topiary", default=os.path.join(REPO, ".build", "release", "topiary"))
    parser.add_argument("--models", default=os.path.join(REPO, "samples", "heldout"))
    parser.add_argument("--rows", help="also write every row, per-layer counts included, to this JSON file")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    folders = sorted(os.path.join(args.models, name) for name in os.listdir(args.models)
                     if os.path.exists(os.path.join(args.models, name, "info.json")) and (not args.names or name in args.names))
    print("%-28s %-12s %9s %-4s %11s %8s %7s %6s %-8s %6s %12s" % (
        "model", "format", "float err", "int8", "M4 instr", "flash", "RAM", "i/MAC", "slowest", "i/MAC", "float instr"))
    rows = []
    for folder in folders:
        row = measure(args.topiary, folder)
        print_row(row)
        rows.append(row)
    if args.rows:
        with open(args.rows, "w") as f:
            json.dump(rows, f, indent=1)
    failed = [row["name"] for row in rows if any(row.get(key) for key in ("convert_error", "parity_error", "int8_error", "float_error"))
              or not row.get("int8_pass", False) or not row.get("float_pass", False) or (row["parity"] or 0) > 1e-5]
    print("%d models, %d with a problem%s" % (len(rows), len(failed), (": " + ", ".join(failed)) if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
