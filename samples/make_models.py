"""Train the Keras 3 sample models on the digits split and write samples/models/<name>/.

Each folder gets the model file, input.npy (the 360 test digits shaped for the
model), labels.npy, output.npy (Keras's predictions) and info.json.
"""

import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"

import numpy as np
import tensorflow as tf

tf.get_logger().setLevel("ERROR")
import keras
from keras import layers as L

import common
from common import MODELS_DIR

SEED = 1234


def cnn_model():
    return keras.Sequential([
        keras.Input((8, 8, 1), name="image"),
        L.Conv2D(16, 3, padding="same", name="conv1"),
        L.BatchNormalization(name="bn1"),
        L.ReLU(name="relu1"),
        L.Conv2D(32, 3, strides=2, padding="same", activation="relu", name="conv2"),
        L.BatchNormalization(name="bn2"),
        L.MaxPooling2D(2, name="pool"),
        L.Flatten(name="flatten"),
        L.Dense(32, activation="relu", name="fc1"),
        L.Dense(10, activation="softmax", name="fc2"),
    ], name="cnn")


def dscnn_model():
    return keras.Sequential([
        keras.Input((8, 8, 1), name="image"),
        L.Conv2D(8, 3, padding="same", activation="relu", name="conv1"),
        L.DepthwiseConv2D(3, padding="same", name="dw"),
        L.BatchNormalization(name="bn"),
        L.ReLU(name="relu"),
        L.SeparableConv2D(16, 3, padding="same", activation="relu", name="sep"),
        L.GlobalAveragePooling2D(name="gap"),
        L.Dense(10, activation="softmax", name="fc"),
    ], name="dscnn")


def residual_model():
    inp = keras.Input((8, 8, 1), name="image")
    a = L.Conv2D(8, 3, padding="same", activation="relu", name="conv_a")(inp)
    b = L.Conv2D(8, 3, padding="same", activation="relu", name="conv_b")(a)
    c = L.Conv2D(8, 3, padding="same", name="conv_c")(b)
    d = L.Add(name="add")([a, c])
    e = L.Activation("relu", name="relu")(d)
    f = L.Conv2D(8, 1, name="conv_f")(a)
    g = L.Concatenate(name="concat")([e, f])
    h = L.AveragePooling2D(2, name="pool")(g)
    h = L.Flatten(name="flatten")(h)
    out = L.Dense(10, activation="softmax", name="fc")(h)
    return keras.Model(inp, out, name="residual")


def conv1d_model():
    return keras.Sequential([
        keras.Input((8, 8), name="rows"),
        L.Conv1D(16, 3, padding="causal", activation="relu", name="conv1"),
        L.MaxPooling1D(2, name="pool"),
        L.Conv1D(16, 3, activation="relu", name="conv2"),
        L.GlobalMaxPooling1D(name="gmp"),
        L.Dense(10, activation="softmax", name="fc"),
    ], name="conv1d")


def gru_model():
    return keras.Sequential([
        keras.Input((8, 8), name="rows"),
        L.GRU(32, name="gru"),
        L.Dense(10, activation="softmax", name="fc"),
    ], name="gru")


def lstm_model():
    return keras.Sequential([
        keras.Input((8, 8), name="rows"),
        L.LSTM(32, return_sequences=True, name="lstm1"),
        L.LSTM(16, name="lstm2"),
        L.Dense(10, activation="softmax", name="fc"),
    ], name="lstm")


def multi_io_model():
    img = keras.Input((64,), name="img")
    aux = keras.Input((4,), name="aux")
    a = L.Dense(32, activation="relu", name="img_fc")(img)
    b = L.Dense(8, activation="tanh", name="aux_fc")(aux)
    c = L.Concatenate(name="concat")([a, b])
    c = L.Dense(32, activation="relu", name="shared_fc")(c)
    digit = L.Dense(10, activation="softmax", name="digit")(c)
    aux_out = L.Dense(1, name="aux_out")(c)
    return keras.Model([img, aux], [digit, aux_out], name="multi_io")


def main():
    x_train, y_train, x_test, y_test = common.load_digits_split()
    img_train = x_train.reshape(-1, 8, 8, 1)
    img_test = x_test.reshape(-1, 8, 8, 1)
    seq_train = x_train.reshape(-1, 8, 8)
    seq_test = x_test.reshape(-1, 8, 8)
    os.makedirs(MODELS_DIR, exist_ok=True)
    folders = []

    out = common.model_writer(keras, y_test, folders, 12)

    common.write_mlp(keras, tf, out, "mlp", "mlp_weights", "keras3", x_train, y_train, x_test)

    common.train_and_write(keras, tf, out, "cnn", cnn_model, "keras3-h5", img_train, y_train, img_test, epochs=20)

    common.train_and_write(keras, tf, out, "dscnn", dscnn_model, "keras3-keras", img_train, y_train, img_test, epochs=80, batch_size=16, lr=1e-2)

    common.train_and_write(keras, tf, out, "residual", residual_model, "keras3-h5", img_train, y_train, img_test, epochs=20)

    common.train_and_write(keras, tf, out, "conv1d", conv1d_model, "keras3-h5", seq_train, y_train, seq_test, epochs=30)

    common.train_and_write(keras, tf, out, "gru", gru_model, "keras3-h5", seq_train, y_train, seq_test, epochs=25)

    common.train_and_write(keras, tf, out, "lstm", lstm_model, "keras3-h5", seq_train, y_train, seq_test, epochs=25)

    common.seed_everything(keras, tf, "multi_io")
    rng = np.random.default_rng(common.name_seed("multi_io"))
    aux_train = rng.normal(size=(len(x_train), 4)).astype(np.float32)
    aux_test = rng.normal(size=(len(x_test), 4)).astype(np.float32)

    def aux_target(x, a):
        return (x.mean(axis=1) + 0.5 * a[:, 0] - a[:, 1] * a[:, 2]).astype(np.float32)[:, None]

    mio = multi_io_model()
    mio.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                loss={"digit": keras.losses.SparseCategoricalCrossentropy(),
                      "aux_out": keras.losses.MeanSquaredError()})
    mio.fit({"img": x_train, "aux": aux_train},
            {"digit": y_train, "aux_out": aux_target(x_train, aux_train)},
            epochs=30, batch_size=32, verbose=0)
    out("multi_io", mio, "keras3-h5", [x_test, aux_test])

    ok = common.verify_all(keras, folders, "Keras %s sample models (reloaded from disk)" % keras.__version__)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
