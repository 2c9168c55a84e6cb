"""Layer-zoo entries saved by tf-keras (Keras 2), written to samples/zoo/keras2_<name>/.

Covers the Keras 2 specifics: hard_sigmoid with Keras 2 semantics
(clip(0.2 * x + 0.5, 0, 1)), GRU with reset_after False and True, LSTM,
SimpleRNN, Conv2D, BatchNormalization, and the "<layer>/kernel:0" weight names.
Run in its own process: Keras 2 (tf-keras) and Keras 3 cannot be mixed.
"""

import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import tensorflow as tf

tf.get_logger().setLevel("ERROR")

import tf_keras as keras
from tf_keras import layers as L

import common

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


def nested_sequential():
    """A backbone model inside a Sequential with a new head."""
    return common.backbone_classifier(keras)


def nested_shared():
    """One Functional sub-model, nesting a Sequential, applied twice (shared weights)."""
    encoder = common.shared_encoder(keras)
    inp = keras.Input((8, 8, 3))
    flipped = L.Cropping2D(((0, 0), (0, 0)))(inp)
    return keras.Model(inp, L.Dense(2, name="out")(L.Add()([encoder(inp), encoder(flipped)])))


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
    "keras2_nested_sequential": (nested_sequential, {}),
    "keras2_nested_sequential_weights": (nested_sequential, {"fmt": "keras2-weights"}),
    "keras2_nested_shared": (nested_shared, {}),
    "keras2_time_distributed_conv2d": (lambda: S((3, 6, 6, 2), L.TimeDistributed(L.Conv2D(3, 3, strides=2, padding="same")),
                                                 L.TimeDistributed(L.Flatten()), L.TimeDistributed(L.Dense(2))), {}),
    "keras2_bidirectional_gru_concat": (lambda: S((6, 4), L.Bidirectional(L.GRU(5, reset_after=False))), {}),
    "keras2_bidirectional_lstm_sequences_ave": (lambda: S((6, 4), L.Bidirectional(L.LSTM(3, return_sequences=True),
                                                                                  merge_mode="ave")), {}),
    "keras2_conv2d_transpose": (lambda: S((4, 5, 3), L.Conv2DTranspose(4, 3, strides=2, padding="same")), {}),
    "keras2_conv2d_transpose_output_padding": (lambda: S((4, 5, 3), L.Conv2DTranspose(3, 4, strides=3, output_padding=(2, 1))), {}),
    "keras2_conv1d_transpose": (lambda: S((7, 3), L.Conv1DTranspose(3, 3, strides=2)), {}),
    "keras2_layer_norm": (lambda: S((5, 7), L.LayerNormalization()), {}),
    "keras2_layer_norm_axes": (lambda: S((4, 5, 3), L.LayerNormalization(axis=[1, 2], epsilon=1e-4)), {}),
    "keras2_group_norm": (lambda: S((4, 5, 6), L.GroupNormalization(groups=3)), {}),
    "keras2_group_norm_first_axis": (lambda: S((6, 5, 3), L.GroupNormalization(groups=2, axis=1), L.Flatten(), L.Dense(4)), {}),
    "keras2_weights_conv_gru": (lambda: S((11, 3), L.Conv1D(4, 3, padding="same"), L.GRU(5), L.Dense(2)),
                                {"fmt": "keras2-weights"}),
}


def main():
    """Writes every entry, or only the entries named on the command line."""
    common.write_zoo(keras, tf, ENTRIES, N, "keras2-h5", "tf-keras %s zoo (reloaded from disk)" % keras.__version__, sys.argv[1:])


if __name__ == "__main__":
    main()
