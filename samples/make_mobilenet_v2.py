"""A real transfer-learning model for checking nested-model import by hand: Keras's
MobileNetV2 (alpha 0.35, 32x32, random weights) inside a Sequential with a new head,
written with two random inputs and Keras's outputs to the folder given (default
/tmp/mobilenet_v2). Not part of samples/: at 2.3 MB it is too large to commit.

    python3 make_mobilenet_v2.py /tmp/mobilenet_v2
    topiary verify /tmp/mobilenet_v2/model.keras --input /tmp/mobilenet_v2/input.npy
"""

import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"

import numpy as np
import tensorflow as tf

tf.get_logger().setLevel("ERROR")
import keras
from keras import layers as L

import common


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/mobilenet_v2"
    seed = common.name_seed("mobilenet_v2")
    common.set_seeds(seed, tf)
    keras.utils.set_random_seed(seed)
    base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, weights=None, input_shape=(32, 32, 3))
    model = keras.Sequential([keras.Input((32, 32, 3)), base, L.GlobalAveragePooling2D(), L.Dense(5, activation="softmax")])
    common.randomize_weights(model, np.random.default_rng(seed))
    x = np.random.default_rng(seed).normal(size=(2, 32, 32, 3)).astype(np.float32)
    info = common.write_sample(keras, model, folder, "keras3-keras", x)
    ok, diff, _ = common.verify_folder(keras, folder)
    print("%s: count_params %d, reloaded %s (max |diff| %g)" % (folder, info["count_params"], "OK" if ok else "MISMATCH", diff))
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
