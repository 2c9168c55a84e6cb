"""Int8 with and without `--bias-correction`: the MLPerf Tiny models measured as bench/mlperf.py
measures them (top-1 agreement with the float model on the measured half of the inputs, or the
anomaly score's largest relative error), and the digits sample models' int8 top-1 on the test
digits (`topiary evaluate`, calibrated on the first 200 training digits).

    python bench/bias_correction.py --topiary .build/release/topiary --work /tmp/bias-correction
"""
import argparse
import json
import os
import re
import subprocess

import numpy as np

import mlperf

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "..", "samples")
DIGITS_MODELS = ["mlp", "cnn", "dscnn", "residual", "conv1d"]


def mlperf_rows(topiary, work, names):
    for name, file, inputs, task, _ in mlperf.MODELS:
        if name not in names:
            continue
        model = os.path.join(mlperf.FOLDER, file)
        folder = os.path.join(work, name)
        os.makedirs(folder, exist_ok=True)
        calibration, measured = mlperf.split_inputs(folder, name, inputs)
        float_path = os.path.join(folder, "float_outputs.npy")
        mlperf.run([topiary, "predict", model, "--input", measured, "--output", float_path])
        float_outputs = np.load(float_path).reshape(len(np.load(measured)), -1)
        variants = [("int8 dense", [])]
        if name == "ad":
            variants.append(("int8, 90% OBS", mlperf.COMPRESSED["ad"][1] + ["--prune-method", "obs"]))
        for label, extra in variants:
            figures = []
            for correction in ([], ["--bias-correction"]):
                options = ["--quantize", "int8", "--calibration", calibration] + extra + correction
                figures.append(mlperf.agreement(topiary, model, options, measured, task, folder, float_outputs))
            print("%-7s %-15s without %s   with %s" % (name, label, figures[0], figures[1]), flush=True)


def digits_rows(topiary, work):
    os.makedirs(work, exist_ok=True)
    calibration = os.path.join(work, "digits_calibration.npy")
    np.save(calibration, np.load(os.path.join(SAMPLES, "data", "digits_train_x.npy"))[:200])
    for name in DIGITS_MODELS:
        folder = os.path.join(SAMPLES, "models", name)
        model = os.path.join(folder, json.load(open(os.path.join(folder, "info.json")))["file"])
        scores = []
        for correction in ([], ["--bias-correction"]):
            output = subprocess.run(
                [topiary, "evaluate", model, "--input", os.path.join(folder, "input.npy"),
                 "--labels", os.path.join(folder, "labels.npy"), "--reshape", "--quantize", "int8",
                 "--calibration", calibration] + correction,
                check=True, capture_output=True, text=True).stdout
            scores.append(re.search(r"compressed: top-1 accuracy (\S+)", output).group(1))
        print("digits  %-15s without %s   with %s" % (name, scores[0], scores[1]), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--topiary", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--models", default="ad,resnet,vww,digits")
    args = parser.parse_args()
    names = args.models.split(",")
    mlperf_rows(args.topiary, args.work, names)
    if "digits" in names:
        digits_rows(args.topiary, args.work)


if __name__ == "__main__":
    main()
