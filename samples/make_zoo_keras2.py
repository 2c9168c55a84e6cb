"""Layer-zoo entries saved by tf-keras (Keras 2), written to samples/zoo/keras2_<name>/.

Covers the Keras 2 specifics: hard_sigmoid with Keras 2 semantics
(clip(0.2 * x + 0.5, 0, 1)), GRU with reset_after False and True, LSTM,
SimpleRNN, Conv2D, BatchNormalization, and the "<layer>/kernel:0" weight names.
Run in its own process: Keras 2 (tf-keras) and Keras 3 cannot be mixed.
"""

import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import warnings

import numpy as np
import tensorflow as tf

tf.get_logger().setLevel("ERROR")

import tf_keras as keras
from tf_keras import layers as L

import common
from common import ZOO_DIR

N = 8


def S(shape, *layers):
    return keras.Sequential([keras.Input(shape)] + list(layers))


def functional_merge():
    inp = keras.Input((6,))
    a = L.Dense(5, activation="relu")(inp)
    b = L.Dense(5)(inp)
    c = L.Add()([a, b])
    d = L.Concatenate()([c, a])
    return keras.Model(inp, L.Dense(3, activation="softmax")(d))


def shared_layer():
    """One Dense applied twice (shared weights): two graph nodes, parameters counted once."""
    inp = keras.Input((6,))
    shared = L.Dense(6, activation="tanh", name="shared")
    return keras.Model(inp, L.Dense(3)(shared(shared(inp))))


ENTRIES = {
    "keras2_dense": (lambda: S((12,), L.Dense(7, activation="relu"), L.Dense(3)), {}),
    "keras2_dense_hard_sigmoid": (lambda: S((12,), L.Dense(7, activation="hard_sigmoid")), {}),
    "keras2_act_hard_sigmoid": (lambda: S((5, 7), L.Activation("hard_sigmoid")), {}),
    "keras2_conv2d": (lambda: S((7, 9, 3), L.Conv2D(4, 3, strides=2, padding="same", activation="relu")), {}),
    "keras2_batchnorm": (lambda: S((7, 9, 3), L.Conv2D(4, 3), L.BatchNormalization()), {}),
    "keras2_gru_reset_after_false": (lambda: S((6, 4), L.GRU(5, reset_after=False)), {}),
    "keras2_gru_reset_after_true": (lambda: S((6, 4), L.GRU(5, reset_after=True, return_sequences=True)), {}),
    "keras2_gru_hard_sigmoid": (lambda: S((6, 4), L.GRU(5, recurrent_activation="hard_sigmoid")), {}),
    "keras2_lstm": (lambda: S((6, 4), L.LSTM(5)), {}),
    "keras2_lstm_sequences": (lambda: S((6, 4), L.LSTM(5, return_sequences=True, recurrent_activation="hard_sigmoid")), {}),
    "keras2_simple_rnn": (lambda: S((6, 4), L.SimpleRNN(5)), {}),
    "keras2_functional_merge": (functional_merge, {}),
    "keras2_shared_layer": (shared_layer, {}),
    # Built from input_shape on the first layer rather than an explicit Input.
    "keras2_sequential_input_shape": (lambda: keras.Sequential([L.Dense(7, activation="relu", input_shape=(12,)), L.Dense(3)]), {}),
    "keras2_weights_conv_gru": (lambda: S((11, 3), L.Conv1D(4, 3, padding="same"), L.GRU(5), L.Dense(2)),
                                {"fmt": "keras2-weights"}),
}


def build(name, builder):
    keras.backend.clear_session()   # layer names restart at "dense", "conv2d", ...
    s = common.name_seed(name)
    common.set_seeds(s, tf)
    keras.utils.set_random_seed(s)
    model = builder()
    common.randomize_weights(model, np.random.default_rng(s))
    return model


def main():
    warnings.filterwarnings("ignore", message="You are saving your model as an HDF5 file")
    os.makedirs(ZOO_DIR, exist_ok=True)
    folders = []
    for name, (builder, opts) in ENTRIES.items():
        model = build(name, builder)
        rng = np.random.default_rng(common.name_seed("input/" + name))
        shape = (N,) + tuple(int(d) for d in model.inputs[0].shape[1:])
        x = (rng.normal(size=shape) * opts.get("scale", 2.0)).astype(np.float32)
        folder = os.path.join(ZOO_DIR, name)
        common.write_sample(keras, model, folder, opts.get("fmt", "keras2-h5"), x)
        folders.append(folder)
    keras.backend.clear_session()
    ok = common.verify_all(keras, folders, "tf-keras %s zoo (reloaded from disk)" % keras.__version__)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
