"""The MLPerf Tiny autoencoder's anomaly score per clip, compressed against float.

    python3 bench/ad_clip_scores.py --topiary PATH [--work DIR] [--clips 8] [--windows 64] -- OPTIONS...

MLPerf's anomaly detection scores a clip by the mean of its windows' reconstruction errors
(mean squared difference between the model's output and its input). This makes `--clips`
generated clips (`make_inputs.log_mel_clips`, seed 7), runs the float model and the model
converted with OPTIONS (e.g. `--quantize int8 --calibration C.npy --sparsity 0.85`) through
`topiary predict`, and prints the largest relative error of a window's score and of a clip's.
The calibration frames of the benchmark are `make_inputs.log_mel_frames(1024,
np.random.default_rng(1))` (see bench/mlperf.py).
"""
import argparse
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "mlperf-tiny"))
import make_inputs  # noqa: E402
from measure import script_arguments  # noqa: E402

MODEL = os.path.join(HERE, "mlperf-tiny", "ad01.h5")


def main():
    parser = script_arguments(__doc__, "/tmp/topiary-ad-clips")
    parser.add_argument("--clips", type=int, default=8)
    parser.add_argument("--windows", type=int, default=64)
    parser.add_argument("options", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    options = args.options[1:] if args.options[:1] == ["--"] else args.options
    os.makedirs(args.work, exist_ok=True)
    x = make_inputs.log_mel_clips(args.clips, args.windows, np.random.default_rng(7))
    inputs = os.path.join(args.work, "clips.npy")
    np.save(inputs, x)

    def scores(extra, name):
        path = os.path.join(args.work, name + ".npy")
        subprocess.run([args.topiary, "predict", MODEL, "--input", inputs, "--output", path] + extra, check=True,
                       capture_output=True)
        return np.mean((np.load(path).reshape(len(x), -1) - x) ** 2, 1)

    reference, compressed = scores([], "float"), scores(options, "compressed")
    window = np.abs(compressed - reference) / reference
    clip_reference, clip = reference.reshape(args.clips, -1).mean(1), compressed.reshape(args.clips, -1).mean(1)
    print("%s: largest relative score error per window %.1f%%, per clip %.1f%%" % (
        " ".join(options), 100 * window.max(), 100 * np.max(np.abs(clip - clip_reference) / clip_reference)))


if __name__ == "__main__":
    main()
