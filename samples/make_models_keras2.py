"""Train the tf-keras (Keras 2) sample models on the digits split and write
samples/models/<name>/ (same folder contents as make_models.py).

Run in its own process: Keras 2 (tf-keras) and Keras 3 cannot be mixed.
"""

import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import tensorflow as tf

tf.get_logger().setLevel("ERROR")
import tf_keras as keras
from tf_keras import layers as L

import common
from common import MODELS_DIR


def cnn_model():
    return keras.Sequential([
        keras.Input((8, 8, 1), name="image"),
        L.Conv2D(16, 3, padding="same", name="conv1"),
        L.BatchNormalization(name="bn1"),
        L.Activation("relu", name="relu1"),
        L.Conv2D(16, 3, strides=2, padding="same", use_bias=False, name="conv2"),
        L.BatchNormalization(name="bn2"),
        L.ReLU(name="relu2"),
        L.MaxPooling2D(2, name="pool"),
        L.Flatten(name="flatten"),
        L.Dense(10, activation="softmax", name="fc"),
    ], name="cnn_keras2")


def main():
    x_train, y_train, x_test, y_test = common.load_digits_split()
    img_train = x_train.reshape(-1, 8, 8, 1)
    img_test = x_test.reshape(-1, 8, 8, 1)
    os.makedirs(MODELS_DIR, exist_ok=True)
    folders = []

    out = common.model_writer(keras, y_test, folders, 20)

    # The weights-only copy is a legacy HDF5 weights file.
    common.write_mlp(keras, tf, out, "mlp_keras2", "mlp_weights_keras2", "keras2", x_train, y_train, x_test)

    common.train_and_write(keras, tf, out, "cnn_keras2", cnn_model, "keras2-h5", img_train, y_train, img_test, epochs=20)

    ok = common.verify_all(keras, folders, "tf-keras %s sample models (reloaded from disk)" % keras.__version__)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
