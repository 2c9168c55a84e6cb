"""The Keras 3 layer zoo: one tiny (untrained) model per layer/option, written to
samples/zoo/<name>/ with 8 random inputs and Keras's outputs.

Weights are Keras's random initialisation, with biases, BatchNormalization
parameters/statistics and PReLU slopes replaced by random values, so that no
weight is trivially zero or one.  Unless stated otherwise an entry is saved as
a full-model .h5; a few are saved as .keras archives or weights-only files.
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

N = 8  # samples per zoo entry

ACTIVATIONS = ["linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "tanh", "softmax",
               "elu", "selu", "softplus", "softsign", "swish", "silu", "gelu",
               "exponential", "leaky_relu", "hard_swish"]


def S(shape, *layers):
    """Sequential: Input(shape) -> layers."""
    return keras.Sequential([keras.Input(shape)] + list(layers))


def merge(layer, n_inputs, width=5, shape=(6,)):
    """One Input -> n small Dense branches -> the merge layer under test."""
    inp = keras.Input(shape)
    branches = [L.Dense(width)(inp) for _ in range(n_inputs)]
    return keras.Model(inp, layer(branches))


def concat_axis1():
    inp = keras.Input((4, 6))
    a = L.Dense(3)(inp)                       # [4, 3]
    b = L.Dense(3)(L.Permute((2, 1))(inp))    # [6, 3]
    return keras.Model(inp, L.Concatenate(axis=1)([a, b]))   # [10, 3]


def normalization():
    layer = L.Normalization(axis=-1)
    rng = np.random.default_rng(common.name_seed("normalization"))
    layer.adapt(rng.normal(loc=[1.0, -2.0, 0.5, 3.0, 0.0, -1.0, 2.0],
                           scale=[0.5, 2.0, 1.0, 3.0, 0.1, 1.5, 0.7],
                           size=(200, 5, 7)).astype(np.float32))
    return S((5, 7), layer)


def normalization_1d():
    layer = L.Normalization(axis=-1)
    rng = np.random.default_rng(common.name_seed("normalization_1d"))
    layer.adapt(rng.uniform(-3, 5, size=(100, 6)).astype(np.float32))
    return S((6,), layer)


def shared_layer():
    """One Dense applied to two branches (shared weights) whose results are added."""
    inp = keras.Input((6,))
    shared = L.Dense(5, activation="tanh", name="shared")
    a = shared(inp)
    b = shared(L.Dense(6, name="pre")(inp))
    return keras.Model(inp, L.Add()([a, b]))


def branches_two_outputs():
    """One input feeding a conv branch and a dense branch, with two outputs."""
    inp = keras.Input((6, 6, 2))
    conv = L.Conv2D(3, 3, activation="relu", name="conv")(inp)
    head_a = L.Dense(4, activation="softmax", name="head_a")(L.Flatten()(conv))
    head_b = L.Dense(2, name="head_b")(L.GlobalAveragePooling2D()(inp))
    return keras.Model(inp, [head_a, head_b])


def nested_sequential():
    """Transfer learning as usually written: a backbone model inside a Sequential with a new head."""
    return common.backbone_classifier(keras)


def nested_shared():
    """One Functional sub-model applied to two inputs (shared weights), itself nesting a Sequential."""
    encoder = common.shared_encoder(keras)
    a = keras.Input((8, 8, 3))
    b = keras.Input((8, 8, 3))
    return keras.Model([a, b], L.Dense(2, name="out")(L.Concatenate()([encoder(a), encoder(b)])))


def bidirectional_none():
    """merge_mode=None: the forward and backward sequences as two outputs."""
    inp = keras.Input((6, 4))
    forward, backward = L.Bidirectional(L.GRU(5, return_sequences=True), merge_mode=None)(inp)
    return keras.Model(inp, [forward, backward])


def sequential_built():
    """A Sequential model given its input shape by build() instead of an Input."""
    model = keras.Sequential([L.Dense(7, activation="relu"), L.Dense(3)])
    model.build((None, 12))
    return model


# name -> (builder, options).  Options: fmt (default keras3-h5), scale (input
# = normal * scale, default 2), ints (input = integers in [0, ints)).
ENTRIES = {}


def entry(name, builder, **opts):
    assert name not in ENTRIES, name
    ENTRIES[name] = (builder, opts)


def define():
    # ---- Dense -------------------------------------------------------------
    entry("dense", lambda: S((12,), L.Dense(7)))
    entry("dense_no_bias", lambda: S((12,), L.Dense(7, use_bias=False)))
    entry("dense_3d", lambda: S((5, 7), L.Dense(4)))
    for a in ACTIVATIONS:
        entry("dense_" + a, (lambda a=a: S((12,), L.Dense(7, activation=a))),
              **({"scale": 0.5} if a == "exponential" else {}))

    # ---- Activation layer, one model per activation, on [5, 7] ------------
    for a in ACTIVATIONS:
        entry("act_" + a, (lambda a=a: S((5, 7), L.Activation(a))),
              **({"scale": 0.5} if a == "exponential" else {}))

    # ---- Activation layers -------------------------------------------------
    entry("relu_max_value", lambda: S((5, 7), L.ReLU(max_value=1.5)))
    entry("relu_negative_slope", lambda: S((5, 7), L.ReLU(negative_slope=0.1)))
    entry("relu_threshold", lambda: S((5, 7), L.ReLU(threshold=0.5)))
    entry("relu_all_options", lambda: S((5, 7), L.ReLU(max_value=2.5, negative_slope=0.2, threshold=0.5)))
    entry("leaky_relu", lambda: S((5, 7), L.LeakyReLU(negative_slope=0.15)))
    entry("leaky_relu_default", lambda: S((5, 7), L.LeakyReLU()))
    entry("elu_alpha", lambda: S((5, 7), L.ELU(alpha=0.5)))
    entry("prelu", lambda: S((5, 7), L.PReLU()))
    entry("prelu_shared_axes", lambda: S((5, 7), L.PReLU(shared_axes=[1])))
    entry("prelu_image_shared_axes", lambda: S((4, 5, 3), L.PReLU(shared_axes=[1, 2])))
    entry("softmax_last_axis", lambda: S((3, 4, 5), L.Softmax(axis=-1)))
    entry("softmax_axis1", lambda: S((3, 4, 5), L.Softmax(axis=1)))

    # ---- Conv1D on [11, 3] ---------------------------------------------------
    entry("conv1d_same_stride2", lambda: S((11, 3), L.Conv1D(4, 3, strides=2, padding="same")))
    entry("conv1d_same_even_kernel", lambda: S((11, 3), L.Conv1D(4, 4, padding="same")))
    entry("conv1d_dilation2", lambda: S((11, 3), L.Conv1D(4, 3, dilation_rate=2)))
    entry("conv1d_causal", lambda: S((11, 3), L.Conv1D(4, 3, padding="causal")))
    entry("conv1d_causal_dilation2", lambda: S((11, 3), L.Conv1D(4, 3, padding="causal", dilation_rate=2)))
    entry("conv1d_valid", lambda: S((11, 3), L.Conv1D(5, 4, padding="valid")))
    entry("conv1d_valid_stride3", lambda: S((11, 3), L.Conv1D(5, 2, strides=3)))
    entry("conv1d_no_bias", lambda: S((11, 3), L.Conv1D(4, 3, use_bias=False, activation="relu")))

    # ---- Conv2D on [7, 9, 3] -------------------------------------------------
    entry("conv2d_same_stride2", lambda: S((7, 9, 3), L.Conv2D(4, 3, strides=2, padding="same")))
    entry("conv2d_same_even_kernel", lambda: S((7, 9, 3), L.Conv2D(4, 4, strides=2, padding="same")))
    entry("conv2d_same", lambda: S((7, 9, 3), L.Conv2D(4, 3, padding="same")))
    entry("conv2d_valid", lambda: S((7, 9, 3), L.Conv2D(4, 3, padding="valid")))
    entry("conv2d_dilation2", lambda: S((7, 9, 3), L.Conv2D(4, 3, dilation_rate=2)))
    entry("conv2d_1x1", lambda: S((7, 9, 3), L.Conv2D(5, 1)))
    entry("conv2d_kernel_3x2", lambda: S((7, 9, 3), L.Conv2D(4, (3, 2))))
    entry("conv2d_strides_2x1", lambda: S((7, 9, 3), L.Conv2D(4, 3, strides=(2, 1), padding="same")))
    entry("conv2d_no_bias", lambda: S((7, 9, 3), L.Conv2D(4, 3, use_bias=False)))
    entry("conv2d_activation", lambda: S((7, 9, 3), L.Conv2D(4, 3, padding="same", activation="tanh")))

    # ---- Depthwise / separable -----------------------------------------------
    entry("depthwise_conv2d", lambda: S((7, 9, 3), L.DepthwiseConv2D(3)))
    entry("depthwise_conv2d_multiplier2", lambda: S((7, 9, 3), L.DepthwiseConv2D(3, depth_multiplier=2, padding="same")))
    entry("depthwise_conv2d_stride2_same", lambda: S((7, 9, 3), L.DepthwiseConv2D(3, strides=2, padding="same", activation="relu")))
    # The int8 depthwise kernel's cases: channels four at a time and a remainder (10), stride 2
    # with 'valid', a kx1 filter (odd taps) dilated over 'same' padding, a 2x2 filter (even taps).
    entry("depthwise_conv2d_int8_cases", lambda: S((12, 11, 10), L.DepthwiseConv2D(3, strides=2, activation="relu"),
                                                   L.DepthwiseConv2D((3, 1), dilation_rate=(2, 1), padding="same"),
                                                   L.DepthwiseConv2D(2, padding="same")))
    entry("separable_conv1d", lambda: S((11, 3), L.SeparableConv1D(4, 3, depth_multiplier=2, padding="same")))
    entry("separable_conv2d", lambda: S((7, 9, 3), L.SeparableConv2D(4, 3, depth_multiplier=2, padding="same")))
    entry("separable_conv2d_valid_stride2", lambda: S((7, 9, 3), L.SeparableConv2D(5, 3, strides=2)))

    # ---- Pooling -------------------------------------------------------------
    entry("max_pooling1d", lambda: S((11, 3), L.MaxPooling1D(2)))
    entry("max_pooling1d_valid_3_2", lambda: S((11, 3), L.MaxPooling1D(3, strides=2, padding="valid")))
    entry("max_pooling1d_same_3_2", lambda: S((11, 3), L.MaxPooling1D(3, strides=2, padding="same")))
    entry("average_pooling1d", lambda: S((11, 3), L.AveragePooling1D(2)))
    entry("average_pooling1d_valid_3_2", lambda: S((11, 3), L.AveragePooling1D(3, strides=2, padding="valid")))
    entry("average_pooling1d_same_3_2", lambda: S((11, 3), L.AveragePooling1D(3, strides=2, padding="same")))
    entry("max_pooling2d", lambda: S((7, 9, 3), L.MaxPooling2D(2)))
    entry("max_pooling2d_valid_3_2", lambda: S((7, 9, 3), L.MaxPooling2D(3, strides=2, padding="valid")))
    entry("max_pooling2d_same_3_2", lambda: S((7, 9, 3), L.MaxPooling2D(3, strides=2, padding="same")))
    entry("max_pooling2d_strides_1x2", lambda: S((7, 9, 3), L.MaxPooling2D((2, 3), strides=(1, 2))))
    entry("average_pooling2d", lambda: S((7, 9, 3), L.AveragePooling2D(2)))
    entry("average_pooling2d_valid_3_2", lambda: S((7, 9, 3), L.AveragePooling2D(3, strides=2, padding="valid")))
    entry("average_pooling2d_same_3_2", lambda: S((7, 9, 3), L.AveragePooling2D(3, strides=2, padding="same")))
    entry("average_pooling2d_strides_1x2", lambda: S((7, 9, 3), L.AveragePooling2D((2, 3), strides=(1, 2), padding="same")))
    entry("global_max_pooling1d", lambda: S((11, 3), L.GlobalMaxPooling1D()))
    entry("global_average_pooling1d", lambda: S((11, 3), L.GlobalAveragePooling1D()))
    entry("global_max_pooling1d_keepdims", lambda: S((11, 3), L.GlobalMaxPooling1D(keepdims=True)))
    entry("global_average_pooling1d_keepdims", lambda: S((11, 3), L.GlobalAveragePooling1D(keepdims=True)))
    entry("global_max_pooling2d", lambda: S((7, 9, 3), L.GlobalMaxPooling2D()))
    entry("global_average_pooling2d", lambda: S((7, 9, 3), L.GlobalAveragePooling2D()))
    entry("global_max_pooling2d_keepdims", lambda: S((7, 9, 3), L.GlobalMaxPooling2D(keepdims=True)))
    entry("global_average_pooling2d_keepdims", lambda: S((7, 9, 3), L.GlobalAveragePooling2D(keepdims=True)))

    # ---- Shape layers --------------------------------------------------------
    entry("flatten", lambda: S((3, 4, 5), L.Flatten()))
    entry("reshape", lambda: S((12,), L.Reshape((3, 4))))
    entry("reshape_infer", lambda: S((3, 4, 5), L.Reshape((-1, 10))))
    entry("permute_2d", lambda: S((5, 7), L.Permute((2, 1))))
    entry("permute_3d", lambda: S((3, 4, 5), L.Permute((3, 1, 2))))

    # ---- BatchNormalization (random gamma/beta/moving stats) -----------------
    entry("batchnorm_dense", lambda: S((12,), L.Dense(6), L.BatchNormalization()))
    entry("batchnorm_conv", lambda: S((7, 9, 3), L.Conv2D(4, 3, padding="same"), L.BatchNormalization()))
    entry("batchnorm_no_center", lambda: S((5, 7), L.BatchNormalization(center=False)))
    entry("batchnorm_no_scale", lambda: S((5, 7), L.BatchNormalization(scale=False, epsilon=0.01)))

    # ---- Identity at inference -----------------------------------------------
    entry("dropout", lambda: S((5, 7), L.Dropout(0.5)))
    entry("spatial_dropout1d", lambda: S((11, 3), L.SpatialDropout1D(0.5)))
    entry("spatial_dropout2d", lambda: S((7, 9, 3), L.SpatialDropout2D(0.5)))
    entry("gaussian_noise", lambda: S((5, 7), L.GaussianNoise(1.0)))
    entry("gaussian_dropout", lambda: S((5, 7), L.GaussianDropout(0.3)))

    # ---- Padding / cropping / upsampling -------------------------------------
    entry("zero_padding1d", lambda: S((11, 3), L.ZeroPadding1D((1, 2))))
    entry("zero_padding2d", lambda: S((7, 9, 3), L.ZeroPadding2D(((1, 2), (0, 3)))))
    entry("zero_padding2d_symmetric", lambda: S((7, 9, 3), L.ZeroPadding2D(1)))
    entry("cropping1d", lambda: S((11, 3), L.Cropping1D((1, 3))))
    entry("cropping2d", lambda: S((7, 9, 3), L.Cropping2D(((1, 2), (0, 3)))))
    entry("upsampling1d", lambda: S((11, 3), L.UpSampling1D(2)))
    entry("upsampling2d", lambda: S((7, 9, 3), L.UpSampling2D((2, 3))))

    # ---- Merge layers (one Input, small Dense branches) ----------------------
    entry("add", lambda: merge(L.Add(), 3))
    entry("subtract", lambda: merge(L.Subtract(), 2))
    entry("multiply", lambda: merge(L.Multiply(), 3))
    entry("average", lambda: merge(L.Average(), 3))
    entry("maximum", lambda: merge(L.Maximum(), 2))
    entry("minimum", lambda: merge(L.Minimum(), 3))
    entry("concatenate", lambda: merge(L.Concatenate(axis=-1), 3))
    entry("concatenate_axis1", concat_axis1)

    # ---- Recurrent on [6, 4] -------------------------------------------------
    entry("simple_rnn", lambda: S((6, 4), L.SimpleRNN(5)))
    entry("simple_rnn_sequences", lambda: S((6, 4), L.SimpleRNN(5, return_sequences=True)))
    entry("simple_rnn_go_backwards", lambda: S((6, 4), L.SimpleRNN(5, go_backwards=True)))
    entry("simple_rnn_relu", lambda: S((6, 4), L.SimpleRNN(5, activation="relu")))
    entry("gru", lambda: S((6, 4), L.GRU(5)))
    entry("gru_reset_after_false", lambda: S((6, 4), L.GRU(5, reset_after=False)))
    entry("gru_sequences", lambda: S((6, 4), L.GRU(5, return_sequences=True)))
    entry("gru_go_backwards", lambda: S((6, 4), L.GRU(5, go_backwards=True)))
    entry("gru_go_backwards_sequences", lambda: S((6, 4), L.GRU(5, go_backwards=True, return_sequences=True, reset_after=False)))
    entry("gru_no_bias", lambda: S((6, 4), L.GRU(5, use_bias=False)))
    entry("lstm", lambda: S((6, 4), L.LSTM(5)))
    entry("lstm_sequences", lambda: S((6, 4), L.LSTM(5, return_sequences=True)))
    entry("lstm_go_backwards", lambda: S((6, 4), L.LSTM(5, go_backwards=True)))
    entry("lstm_go_backwards_sequences", lambda: S((6, 4), L.LSTM(5, go_backwards=True, return_sequences=True)))

    # ---- Embedding (integer indices as floats, length 6, vocabulary 10) ------
    entry("embedding_flatten", lambda: S((6,), L.Embedding(10, 4), L.Flatten()), ints=10)
    entry("embedding_global_average", lambda: S((6,), L.Embedding(10, 4), L.GlobalAveragePooling1D()), ints=10)

    # ---- Preprocessing -------------------------------------------------------
    entry("rescaling", lambda: S((5, 7), L.Rescaling(1.0 / 255, offset=-1.0)), scale=100.0)
    entry("normalization", normalization)
    entry("normalization_1d", normalization_1d)

    # ---- Model structure -----------------------------------------------------
    entry("shared_layer", shared_layer)
    entry("branches_two_outputs", branches_two_outputs)
    entry("sequential_built", sequential_built)

    # ---- Nested models --------------------------------------------------------
    entry("nested_sequential", nested_sequential)
    entry("nested_sequential_keras", nested_sequential, fmt="keras3-keras")
    entry("nested_sequential_weights", nested_sequential, fmt="keras3-weights")
    entry("nested_shared", nested_shared, fmt="keras3-keras")
    entry("nested_shared_h5", nested_shared)

    # ---- Wrappers -------------------------------------------------------------
    entry("time_distributed_dense", lambda: S((5, 6), L.TimeDistributed(L.Dense(4, activation="relu"))))
    entry("time_distributed_conv2d", lambda: S((3, 6, 6, 2), L.TimeDistributed(L.Conv2D(3, 3, strides=2, padding="same")),
                                               L.TimeDistributed(L.Flatten()), L.GRU(4)))
    entry("time_distributed_conv1d", lambda: S((4, 7, 2), L.TimeDistributed(L.Conv1D(3, 3)),
                                               L.TimeDistributed(L.GlobalAveragePooling1D())), fmt="keras3-keras")
    entry("time_distributed_pool1d", lambda: S((4, 7, 2), L.TimeDistributed(L.MaxPooling1D(2)),
                                               L.TimeDistributed(L.AveragePooling1D(3, strides=2, padding="same"))))
    entry("time_distributed_flatten", lambda: S((3, 4, 5), L.TimeDistributed(L.Flatten()), L.TimeDistributed(L.Dense(2))))
    for mode in ["concat", "sum", "mul", "ave"]:
        entry("bidirectional_gru_" + mode, (lambda mode=mode: S((6, 4), L.Bidirectional(L.GRU(5), merge_mode=mode))))
        entry("bidirectional_lstm_sequences_" + mode,
              (lambda mode=mode: S((6, 4), L.Bidirectional(L.LSTM(3, return_sequences=True), merge_mode=mode))))
    entry("bidirectional_simple_rnn_sequences", lambda: S((6, 4), L.Bidirectional(L.SimpleRNN(4, return_sequences=True)),
                                                          L.Bidirectional(L.GRU(3, reset_after=False))))
    entry("bidirectional_none", bidirectional_none)
    entry("bidirectional_keras", lambda: S((6, 4), L.Bidirectional(L.LSTM(4, return_sequences=True)),
                                           L.TimeDistributed(L.Dense(2))), fmt="keras3-keras")

    # ---- Transposed convolutions ----------------------------------------------
    entry("conv2d_transpose_same_stride2", lambda: S((4, 5, 3), L.Conv2DTranspose(4, 3, strides=2, padding="same")))
    entry("conv2d_transpose_valid", lambda: S((4, 5, 3), L.Conv2DTranspose(4, 3, activation="relu")))
    entry("conv2d_transpose_valid_stride2_even", lambda: S((4, 5, 3), L.Conv2DTranspose(2, (2, 4), strides=2)))
    entry("conv2d_transpose_strides_2x3", lambda: S((4, 5, 3), L.Conv2DTranspose(3, 3, strides=(2, 3), padding="same")))
    entry("conv2d_transpose_output_padding", lambda: S((4, 5, 3), L.Conv2DTranspose(3, 3, strides=2, padding="same",
                                                                                    output_padding=1)))
    entry("conv2d_transpose_valid_output_padding", lambda: S((4, 5, 3), L.Conv2DTranspose(3, 4, strides=3, output_padding=(2, 1),
                                                                                          use_bias=False)))
    entry("conv1d_transpose_same", lambda: S((7, 3), L.Conv1DTranspose(4, 3, strides=2, padding="same")))
    entry("conv1d_transpose_valid_stride3", lambda: S((7, 3), L.Conv1DTranspose(2, 5, strides=3)))
    entry("conv1d_transpose_output_padding", lambda: S((7, 3), L.Conv1DTranspose(3, 4, strides=2, padding="same",
                                                                                  output_padding=1)))
    entry("autoencoder", lambda: S((8, 8, 1), L.Conv2D(4, 3, strides=2, padding="same", activation="relu"),
                                   L.Conv2DTranspose(4, 3, strides=2, padding="same", activation="relu"),
                                   L.Conv2D(1, 3, padding="same", activation="sigmoid")), fmt="keras3-keras")

    # ---- LayerNormalization (random gamma/beta) --------------------------------
    entry("layer_norm", lambda: S((5, 7), L.LayerNormalization()))
    entry("layer_norm_dense", lambda: S((12,), L.Dense(8), L.LayerNormalization(epsilon=1e-5), L.Dense(3)))
    # Keras 3 cannot reload several axes from .h5 (it rebuilds gamma for the last axis only).
    entry("layer_norm_axes", lambda: S((4, 5, 3), L.LayerNormalization(axis=[1, 2])), fmt="keras3-keras")
    entry("layer_norm_middle_axis", lambda: S((4, 5, 3), L.LayerNormalization(axis=2)))
    entry("layer_norm_no_center_no_scale", lambda: S((5, 7), L.LayerNormalization(center=False, scale=False, epsilon=0.01)))
    entry("group_norm", lambda: S((4, 5, 6), L.GroupNormalization(groups=3)))
    entry("group_norm_conv", lambda: S((6, 6, 2), L.Conv2D(8, 3), L.GroupNormalization(groups=2, epsilon=0.01), L.ReLU()))
    entry("group_norm_no_center", lambda: S((7, 4), L.GroupNormalization(groups=4, center=False)), fmt="keras3-keras")
    entry("layer_norm_image", lambda: S((4, 5, 3), L.LayerNormalization(axis=[-3, -2, -1])), fmt="keras3-keras")
    entry("group_norm_first_axis", lambda: S((6, 5, 3), L.GroupNormalization(groups=3, axis=1), L.Flatten(), L.Dense(4)))

    # ---- Other file formats ---------------------------------------------------
    entry("keras_conv_bn", lambda: S((7, 9, 3), L.Conv2D(4, 3, padding="same"),
                                     L.BatchNormalization(), L.ReLU(), L.GlobalAveragePooling2D(),
                                     L.Dense(3, activation="softmax")), fmt="keras3-keras")
    entry("keras_gru", lambda: S((6, 4), L.GRU(5, return_sequences=True), L.LSTM(3)), fmt="keras3-keras")
    entry("weights_conv_lstm", lambda: S((11, 3), L.Conv1D(4, 3, padding="same"),
                                         L.BatchNormalization(), L.LSTM(5), L.Dense(2)),
          fmt="keras3-weights")


def main():
    """Writes every entry, or only the entries named on the command line."""
    define()
    common.write_zoo(keras, tf, ENTRIES, N, "keras3-h5", "Keras %s zoo (reloaded from disk)" % keras.__version__, sys.argv[1:])


if __name__ == "__main__":
    main()
