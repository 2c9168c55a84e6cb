"""Writes extreme inputs and Keras's outputs on them beside a few sample and zoo models.

For the hardening tests: values of ±1e30, ±3.4e38, denormals (1e-40), ±0 and NaN, mixed with
ordinary values, must run through the generated C without a sanitizer report and give the
outputs Keras gives (finite where Keras's are finite, NaN where Keras's are NaN).

Writes, in each folder: extreme_input.npy (float32) and extreme_output.npy (Keras's outputs).
Run from anywhere: python3 samples/make_extremes.py
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np

import common

FOLDERS = ["models/mlp", "models/cnn", "models/dscnn", "models/residual", "models/conv1d",
           "models/gru", "models/lstm", "zoo/act_softmax", "zoo/act_sigmoid", "zoo/act_tanh",
           "zoo/act_gelu", "zoo/act_softplus", "zoo/act_elu", "zoo/dense_softmax",
           "zoo/batchnorm_conv", "zoo/average_pooling2d_same_3_2", "zoo/normalization"]

SPECIALS = np.array([1e30, -1e30, 3.4e38, -3.4e38, 1e-40, -1e-40, 0.0, -0.0], dtype=np.float32)


def extreme_inputs(shape, seed):
    """Eight samples: all-huge, all-tiny, alternating signs of huge, denormals sprinkled into
    ordinary values, one NaN, one max-float, zeros, and a random mix of every special value."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    normal = rng.normal(size=n).astype(np.float32)
    rows = [
        np.full(n, 1e30, np.float32),
        np.full(n, 1e-40, np.float32),
        np.where(np.arange(n) % 2 == 0, 1e30, -1e30).astype(np.float32),
        np.where(rng.random(n) < 0.5, np.float32(1e-40), normal).astype(np.float32),
        np.where(np.arange(n) == n // 2, np.float32(np.nan), normal).astype(np.float32),
        np.where(np.arange(n) == 0, np.float32(3.4e38), normal).astype(np.float32),
        np.zeros(n, np.float32),
        rng.choice(SPECIALS, size=n).astype(np.float32),
    ]
    return np.stack(rows).reshape((len(rows),) + tuple(shape))


def main():
    for relative in FOLDERS:
        folder = os.path.join(common.HERE, relative)
        with open(os.path.join(folder, "info.json")) as f:
            info = json.load(f)
        model = keras.models.load_model(os.path.join(folder, info["file"]), compile=False)
        x = extreme_inputs(info["input_shape"], common.name_seed("extreme/" + relative))
        with np.errstate(all="ignore"):
            y = model.predict(x, verbose=0)
        np.save(os.path.join(folder, "extreme_input.npy"), x)
        np.save(os.path.join(folder, "extreme_output.npy"), np.asarray(y, dtype=np.float32))
        finite = np.isfinite(y).mean()
        print("%-40s finite outputs %5.1f%%, NaN %d" % (relative, 100 * finite, int(np.isnan(y).sum())))


if __name__ == "__main__":
    main()
