"""Build and briefly train models the test suite has never seen, saved the ways users save
them, and write each under OUT/<name>/ (default samples/heldout/, not committed): the model,
`calibration.npy` (samples for int8 ranges), `input.npy` (other samples) and `output.npy`
(Keras's `model.predict` of input.npy), with info.json as make_models.py writes it.

The set: the MLPerf Tiny keyword-spotting DS-CNN (49x10x1 spectrogram, Conv2D 64 (10,4) /2,
four depthwise-separable blocks, average pooling, Dense 12) and its variants (width, no bias,
ReLU6, activations inside the layers, SeparableConv2D, global pooling, strided or valid or
5x5 or 3x1 depthwise, a Conv1D version), and digits models (a small CNN, an MLP with Dropout
and BatchNormalization, a Functional model with Add and Concatenate, a Sequential one with an
explicit InputLayer, Rescaling and Normalization). The spectrograms are random, with labels a
fixed random projection picks, so a few epochs train every layer.

    python make_heldout.py [--out DIR] [NAME...]            # Keras 3: .keras and .h5
    python make_heldout.py --keras2 [--out DIR] [NAME...]   # tf-keras 2: legacy .h5

The two runs need separate processes (Keras 2 and 3 cannot share one).
"""

import os
import sys
import warnings

import numpy as np

import common

KERAS2 = "--keras2" in sys.argv
tf, keras = common.import_keras(KERAS2)
L = keras.layers

KWS_SHAPE = (49, 10, 1)
KWS_CLASSES = 12
CALIBRATION_SAMPLES = 16
INPUT_SAMPLES = 8


def spectrograms(seed, count):
    """Random 49x10 'spectrograms' (smooth along time, like MFCC frames) and the labels a
    fixed random projection gives them."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(count,) + KWS_SHAPE).astype(np.float32)
    x = (x + np.roll(x, 1, axis=1) + np.roll(x, 2, axis=1)) / np.sqrt(3.0)
    projection = np.random.default_rng(0).normal(size=(int(np.prod(KWS_SHAPE)), KWS_CLASSES))
    y = np.argmax(x.reshape(count, -1) @ projection, axis=1).astype(np.int64)
    return x.astype(np.float32), y


def relu(kind, name):
    """The activation after a BatchNormalization: ReLU, ReLU6, or an Activation layer."""
    if kind == "relu6":
        return L.ReLU(6.0, name=name)
    if kind == "activation":
        return L.Activation("relu", name=name)
    return L.ReLU(name=name)


def ds_cnn(name, width=64, use_bias=True, act="relu", separable=False, global_pool=False,
           dw_strides=(1, 1, 1, 1), paddings=("same",) * 4, dw_kernel=(3, 3), bn=True):
    """The MLPerf Tiny KWS DS-CNN (keyword_spotting/keras_model.py) with the variants the
    arguments name. `bn=False` puts the ReLU inside each convolution instead."""
    inner = None if bn else "relu"
    layers = [keras.Input(KWS_SHAPE, name="mfcc"),
              L.Conv2D(width, (10, 4), strides=(2, 2), padding="same", use_bias=use_bias,
                       activation=inner, name="conv1")]
    if bn:
        layers += [L.BatchNormalization(name="bn1"), relu(act, "relu1")]
    for block, (stride, padding) in enumerate(zip(dw_strides, paddings), start=2):
        if separable:
            layers.append(L.SeparableConv2D(width, dw_kernel, strides=stride, padding=padding,
                                            use_bias=use_bias, activation=inner, name="sep%d" % block))
        else:
            layers.append(L.DepthwiseConv2D(dw_kernel, strides=stride, padding=padding, use_bias=use_bias,
                                            activation=inner, name="dw%d" % block))
            if bn:
                layers += [L.BatchNormalization(name="dw_bn%d" % block), relu(act, "dw_relu%d" % block)]
            layers.append(L.Conv2D(width, 1, use_bias=use_bias, activation=inner, name="pw%d" % block))
        if bn:
            layers += [L.BatchNormalization(name="pw_bn%d" % block), relu(act, "pw_relu%d" % block)]
    layers.append(L.Dropout(0.4, name="dropout"))
    if global_pool:
        layers.append(L.GlobalAveragePooling2D(name="pool"))
    else:
        size = feature_size(dw_strides, paddings, dw_kernel)
        layers += [L.AveragePooling2D(pool_size=size, name="pool"), L.Flatten(name="flatten")]
    layers.append(L.Dense(KWS_CLASSES, activation="softmax", name="fc"))
    return keras.Sequential(layers, name=name)


def feature_size(dw_strides, paddings, dw_kernel):
    """The spatial size the blocks leave, for a pooling over all of it (as the MLPerf model's
    pool_size=(25, 5) is): conv1 halves 49x10 to 25x5, then each depthwise layer."""
    size = [25, 5]
    for stride, padding in zip(dw_strides, paddings):
        for axis in range(2):
            if padding == "same":
                size[axis] = -(-size[axis] // stride)
            else:
                size[axis] = (size[axis] - dw_kernel[axis]) // stride + 1
    return tuple(size)


def ds_cnn_1d(name):
    """Keyword spotting over 49 frames of 10 coefficients with 1-D convolutions."""
    return keras.Sequential([
        keras.Input((49, 10), name="mfcc"),
        L.Conv1D(64, 5, strides=2, padding="same", name="conv1"),
        L.BatchNormalization(name="bn1"), L.ReLU(name="relu1"),
        L.DepthwiseConv1D(3, padding="same", name="dw2"), L.BatchNormalization(name="dw_bn2"), L.ReLU(name="dw_relu2"),
        L.Conv1D(64, 1, name="pw2"), L.BatchNormalization(name="pw_bn2"), L.ReLU(name="pw_relu2"),
        L.DepthwiseConv1D(3, padding="same", name="dw3"), L.BatchNormalization(name="dw_bn3"), L.ReLU(name="dw_relu3"),
        L.Conv1D(64, 1, name="pw3"), L.BatchNormalization(name="pw_bn3"), L.ReLU(name="pw_relu3"),
        L.GlobalAveragePooling1D(name="pool"),
        L.Dense(KWS_CLASSES, activation="softmax", name="fc"),
    ], name=name)


def digits_cnn(name):
    return keras.Sequential([
        keras.Input((8, 8, 1), name="image"),
        L.Conv2D(16, 3, padding="same", activation="relu", name="conv1"),
        L.MaxPooling2D(2, name="pool1"),
        L.Conv2D(32, 3, padding="same", activation="relu", name="conv2"),
        L.MaxPooling2D(2, name="pool2"),
        L.Flatten(name="flatten"),
        L.Dense(10, activation="softmax", name="fc"),
    ], name=name)


def digits_mlp_bn(name):
    return keras.Sequential([
        keras.Input((64,), name="pixels"),
        L.Dense(48, name="fc1"), L.BatchNormalization(name="bn1"), L.Activation("relu", name="relu1"),
        L.Dropout(0.3, name="drop1"),
        L.Dense(32, activation="relu", name="fc2"), L.BatchNormalization(name="bn2"),
        L.Dropout(0.3, name="drop2"),
        L.Dense(10, activation="softmax", name="fc3"),
    ], name=name)


def digits_functional(name):
    image = keras.Input((8, 8, 1), name="image")
    stem = L.Conv2D(16, 3, padding="same", activation="relu", name="stem")(image)
    branch = L.Conv2D(16, 3, padding="same", activation="relu", name="branch1")(stem)
    branch = L.Conv2D(16, 3, padding="same", name="branch2")(branch)
    merged = L.ReLU(name="merged_relu")(L.Add(name="residual")([stem, branch]))
    side = L.Conv2D(8, 1, activation="relu", name="side")(stem)
    joined = L.Concatenate(name="concat")([merged, side])
    pooled = L.MaxPooling2D(2, name="pool")(joined)
    flat = L.Flatten(name="flatten")(pooled)
    return keras.Model(image, L.Dense(10, activation="softmax", name="fc")(flat), name=name)


def digits_preprocessing(name, x_train):
    """An explicit InputLayer, then Rescaling of 0..16 pixels and a Normalization adapted to
    the training digits."""
    normalization = L.Normalization(name="normalize")
    normalization.adapt(x_train.reshape(-1, 8, 8, 1) * 16.0 / 255.0)
    return keras.Sequential([
        L.InputLayer(input_shape=(8, 8, 1), name="image") if KERAS2 else L.InputLayer(shape=(8, 8, 1), name="image"),
        L.Rescaling(1.0 / 255.0, name="rescale"),
        normalization,
        L.Conv2D(8, 3, padding="same", activation="relu", name="conv1"),
        L.Flatten(name="flatten"),
        L.Dense(10, activation="softmax", name="fc"),
    ], name=name)


# name -> (builder, data). "kws" trains on spectrograms ("kws1d": without their channel
# axis, kws_conv1d below), "digits" on 8x8 images, "pixels"
# on the flat digits, "digits16" on the digits times 16 (0..16, what the Rescaling expects).
KWS = {
    "kws_dscnn": lambda n: ds_cnn(n),
    "kws_dscnn_w32": lambda n: ds_cnn(n, width=32),
    "kws_dscnn_w172": lambda n: ds_cnn(n, width=172),
    "kws_nobias": lambda n: ds_cnn(n, use_bias=False),
    "kws_relu6": lambda n: ds_cnn(n, act="relu6"),
    "kws_activation": lambda n: ds_cnn(n, act="activation"),
    "kws_inner_relu": lambda n: ds_cnn(n, bn=False),
    "kws_separable": lambda n: ds_cnn(n, separable=True),
    "kws_gap": lambda n: ds_cnn(n, global_pool=True),
    "kws_dw_stride2": lambda n: ds_cnn(n, dw_strides=(2, 1, 1, 1)),
    "kws_valid": lambda n: ds_cnn(n, paddings=("valid", "valid", "same", "same")),
    "kws_dw5x5": lambda n: ds_cnn(n, dw_kernel=(5, 5)),
    "kws_dw3x1": lambda n: ds_cnn(n, dw_kernel=(3, 1)),
}
DIGITS = {
    "digits_cnn": (digits_cnn, "digits"),
    "digits_mlp_bn": (digits_mlp_bn, "pixels"),
    "digits_functional": (digits_functional, "digits"),
    "digits_preprocessing": (None, "digits16"),
}
# Which models each run saves in which formats (the Keras 3 run writes .keras everywhere).
KERAS3_H5 = {"kws_dscnn", "kws_nobias", "kws_separable", "digits_mlp_bn", "digits_functional"}
KERAS2_MODELS = {"kws_dscnn", "kws_relu6", "kws_separable", "kws_dw_stride2", "kws_conv1d",
                 "digits_cnn", "digits_functional", "digits_preprocessing"}


def saves(name):
    """(folder name, format) of every file this run writes for model `name`."""
    if KERAS2:
        return [(name + "_keras2", "keras2-h5")] if name in KERAS2_MODELS else []
    out = [(name, "keras3-keras")]
    if name in KERAS3_H5:
        out.append((name + "_h5", "keras3-h5"))
    return out


def data_for(kind, digits):
    """(train x, train y, held-out samples) for a model trained on `kind`."""
    if kind in ("kws", "kws1d"):
        x, y = spectrograms(1, 512)
        held, _ = spectrograms(2, CALIBRATION_SAMPLES + INPUT_SAMPLES)
        if kind == "kws1d":  # 49 frames of 10 coefficients, without the channel axis
            return x[..., 0], y, held[..., 0]
        return x, y, held
    x_train, y_train, x_test, _ = digits
    shape = {"digits": (-1, 8, 8, 1), "pixels": (-1, 64), "digits16": (-1, 8, 8, 1)}[kind]
    scale = 16.0 if kind == "digits16" else 1.0
    held = x_test[: CALIBRATION_SAMPLES + INPUT_SAMPLES]
    return x_train.reshape(shape) * scale, y_train, held.reshape(shape) * scale


def write(model, folder, fmt, held):
    """The model, its calibration and input samples, and Keras's outputs of the inputs."""
    calibration, inputs = held[:CALIBRATION_SAMPLES], held[CALIBRATION_SAMPLES:]
    common.write_sample(keras, model, folder, fmt, inputs)
    np.save(os.path.join(folder, "calibration.npy"), calibration.astype(np.float32))


def main():
    warnings.filterwarnings("ignore", message="You are saving your model as an HDF5 file")
    args = sys.argv[1:]
    out = os.path.join(common.HERE, "heldout")
    if "--out" in args:
        out = os.path.abspath(args[args.index("--out") + 1])
        del args[args.index("--out"):args.index("--out") + 2]
    chosen = [a for a in args if not a.startswith("--")]
    digits = common.load_digits_split()
    entries = {name: (builder, "kws") for name, builder in KWS.items()}
    entries["kws_conv1d"] = (ds_cnn_1d, "kws1d")
    entries.update(DIGITS)
    folders = []
    for name, (builder, kind) in entries.items():
        if (chosen and name not in chosen) or not saves(name):
            continue
        keras.backend.clear_session()
        common.seed_everything(keras, tf, name)
        x, y, held = data_for(kind, digits)
        model = digits_preprocessing(name, digits[0]) if builder is None else builder(name)
        common.fit(keras, model, x, y, epochs=3 if kind == "kws" else 10)
        for folder_name, fmt in saves(name):
            folder = os.path.join(out, folder_name)
            write(model, folder, fmt, held)
            folders.append(folder)
            print("%-28s %-13s params %d" % (folder_name, fmt, model.count_params()), flush=True)
    if not common.verify_all(keras, folders, "Keras %s held-out models (reloaded from disk)" % keras.__version__):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
