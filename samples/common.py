"""Helpers shared by the sample-generating scripts.

Nothing here imports Keras at module level: the Keras 3 scripts and the
tf-keras (Keras 2) scripts each pass in the `keras` module they use, because
Keras 2 and Keras 3 cannot be mixed in one process.
"""

import json
import os
import random
import shutil
import warnings
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(HERE, "data")
MODELS_DIR = os.path.join(HERE, "models")
ZOO_DIR = os.path.join(HERE, "zoo")
UNSUPPORTED_DIR = os.path.join(HERE, "unsupported")
BAD_DIR = os.path.join(HERE, "bad")

RECURRENT_CLASSES = {"SimpleRNN", "GRU", "LSTM", "RNN", "Bidirectional",
                     "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"}

MODEL_FILES = {
    "keras3-h5": ("model.h5", None),
    "keras2-h5": ("model.h5", None),
    "keras3-keras": ("model.keras", None),
    "keras3-weights": ("model.weights.h5", "model.json"),
    "keras2-weights": ("model_weights.h5", "model.json"),
}


def name_seed(name):
    """A stable per-name seed, so adding an entry does not change the others."""
    return zlib.crc32(name.encode("utf-8")) % (2 ** 31)


def set_seeds(seed, tf=None):
    random.seed(seed)
    np.random.seed(seed)
    if tf is not None:
        tf.random.set_seed(seed)


def load_digits_split():
    """The digits split written by make_data.py (run that first)."""
    names = ["digits_train_x", "digits_train_y", "digits_test_x", "digits_test_y"]
    paths = [os.path.join(DATA_DIR, n + ".npy") for n in names]
    for p in paths:
        if not os.path.exists(p):
            raise SystemExit("missing %s: run make_data.py first" % p)
    return [np.load(p) for p in paths]


def fresh_dir(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)
    return path


def _shape(s):
    return [None if d is None else int(d) for d in tuple(s)]


def _tensor_list(t):
    if isinstance(t, (list, tuple)):
        return list(t)
    if isinstance(t, dict):
        return list(t.values())
    return [t]


def layer_record(layer):
    rec = {
        "name": layer.name,
        "class": layer.__class__.__name__,
        "params": int(layer.count_params()),
    }
    try:
        outs = _tensor_list(layer.output)
        shapes = [_shape(o.shape)[1:] for o in outs]
    except Exception:  # layer without a single well-defined output
        shapes = []
    rec["output_shape"] = shapes[0] if shapes else None
    if len(shapes) > 1:
        rec["output_shapes"] = shapes
    return rec


def model_inputs(model):
    return _tensor_list(model.inputs)


def model_outputs(model):
    return _tensor_list(model.outputs)


def is_recurrent(model):
    def walk(layers):
        for l in layers:
            if l.__class__.__name__ in RECURRENT_CLASSES:
                return True
            inner = getattr(l, "layers", None)
            if inner and walk(inner):
                return True
        return False
    return walk(model.layers)


def save_model(model, folder, fmt):
    fname, cname = MODEL_FILES[fmt]
    path = os.path.join(folder, fname)
    if fmt in ("keras3-h5", "keras2-h5", "keras3-keras"):
        model.save(path)
    else:
        model.save_weights(path)
        with open(os.path.join(folder, cname), "w") as f:
            f.write(model.to_json())
    return fname, cname


def load_back(keras, folder, fmt, custom_objects=None):
    fname, cname = MODEL_FILES[fmt]
    path = os.path.join(folder, fname)
    if cname is None:
        return keras.models.load_model(path, custom_objects=custom_objects)
    with open(os.path.join(folder, cname)) as f:
        m = keras.models.model_from_json(f.read(), custom_objects=custom_objects)
    with warnings.catch_warnings():
        # The weights file also holds the optimizer state, which an
        # uncompiled model has no use for.
        warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
        m.load_weights(path)
    return m


def as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def describe(keras, model, fname, cname, fmt):
    """The info.json fields that depend only on the model."""
    in_shapes = [_shape(t.shape)[1:] for t in model_inputs(model)]
    out_shapes = [_shape(t.shape)[1:] for t in model_outputs(model)]
    return {
        "file": fname,
        "config": cname,
        "format": fmt,
        "keras_version": keras.__version__,
        "count_params": int(model.count_params()),
        "input_shape": in_shapes[0],
        "input_shapes": in_shapes,
        "inputs": len(in_shapes),
        "output_shapes": out_shapes,
        "recurrent": is_recurrent(model),
        "layers": [layer_record(l) for l in model.layers],
        "outputs": len(out_shapes),
        "accuracy": None,
    }


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def write_sample(keras, model, folder, fmt, inputs, labels=None,
                 accuracy_output=0, extra_info=None):
    """Save `model` in `folder` with its inputs, Keras outputs and info.json.

    inputs: one array, or a list of arrays for a multi-input model.
    labels: int64 labels for sample models (accuracy is then computed on
            output number `accuracy_output`).
    Returns the info dict.
    """
    fresh_dir(folder)
    inputs = [np.asarray(a, dtype=np.float32) for a in as_list(inputs)]
    n_in = len(model_inputs(model))
    assert n_in == len(inputs), (n_in, len(inputs))

    preds = model.predict(inputs if n_in > 1 else inputs[0], verbose=0)
    preds = [np.asarray(p, dtype=np.float32) for p in as_list(preds)]

    fname, cname = save_model(model, folder, fmt)

    if n_in == 1:
        np.save(os.path.join(folder, "input.npy"), inputs[0])
    else:
        for i, a in enumerate(inputs):
            np.save(os.path.join(folder, "input_%d.npy" % i), a)
    if len(preds) == 1:
        np.save(os.path.join(folder, "output.npy"), preds[0])
    else:
        for i, p in enumerate(preds):
            np.save(os.path.join(folder, "output_%d.npy" % i), p)

    accuracy = None
    if labels is not None:
        labels = np.asarray(labels, dtype=np.int64)
        np.save(os.path.join(folder, "labels.npy"), labels)
        accuracy = float(np.mean(np.argmax(preds[accuracy_output], axis=-1) == labels))

    info = describe(keras, model, fname, cname, fmt)
    info["outputs"] = len(preds)
    info["accuracy"] = accuracy
    if extra_info:
        info.update(extra_info)
    write_json(os.path.join(folder, "info.json"), info)
    return info


def verify_folder(keras, folder, custom_objects=None):
    """Reload the saved model from disk and compare with the stored outputs.

    Returns (ok, max_abs_diff, message).
    """
    with open(os.path.join(folder, "info.json")) as f:
        info = json.load(f)
    m = load_back(keras, folder, info["format"], custom_objects)
    if info["inputs"] == 1:
        x = np.load(os.path.join(folder, "input.npy"))
    else:
        x = [np.load(os.path.join(folder, "input_%d.npy" % i)) for i in range(info["inputs"])]
    preds = [np.asarray(p, dtype=np.float32) for p in as_list(m.predict(x, verbose=0))]
    if info["outputs"] == 1:
        want = [np.load(os.path.join(folder, "output.npy"))]
    else:
        want = [np.load(os.path.join(folder, "output_%d.npy" % i)) for i in range(info["outputs"])]
    if len(preds) != len(want):
        return False, float("inf"), "output count %d != %d" % (len(preds), len(want))
    diff = 0.0
    for p, w in zip(preds, want):
        if p.shape != w.shape:
            return False, float("inf"), "shape %s != %s" % (p.shape, w.shape)
        diff = max(diff, float(np.max(np.abs(p - w))) if p.size else 0.0)
    if int(m.count_params()) != info["count_params"]:
        return False, diff, "count_params differs"
    ok = diff == 0.0
    return ok, diff, "exact" if ok else "differs"


def print_table(rows, title):
    """rows: list of (name, format, params, accuracy-or-None, ok, diff, size-bytes)."""
    print()
    print(title)
    hdr = "%-40s %-14s %8s %8s %9s %10s  %s" % ("name", "format", "params", "acc", "size", "max|diff|", "reload")
    print(hdr)
    print("-" * len(hdr))
    for name, fmt, params, acc, ok, diff, size in rows:
        print("%-40s %-14s %8d %8s %9d %10.3g  %s" % (
            name, fmt, params, "-" if acc is None else "%.4f" % acc, size, diff,
            "OK" if ok else "MISMATCH"))
    bad = [r[0] for r in rows if not r[4]]
    print("%d folders, %d mismatches%s" % (len(rows), len(bad), (": " + ", ".join(bad)) if bad else ""))
    return not bad


def folder_size(folder):
    return sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))


def verify_all(keras, folders, title, custom_objects=None):
    rows = []
    for folder in folders:
        with open(os.path.join(folder, "info.json")) as f:
            info = json.load(f)
        ok, diff, _ = verify_folder(keras, folder, custom_objects)
        rows.append((os.path.relpath(folder, HERE), info["format"], info["count_params"],
                     info["accuracy"], ok, diff, folder_size(folder)))
    return print_table(rows, title)


# ---------------------------------------------------------------------------
# Making untrained weights non-trivial.

def _var_short_name(v):
    # Keras 3: v.name == "bias"; tf-keras: v.name == "dense/bias:0".
    return v.name.split("/")[-1].split(":")[0]


def randomize_weights(model, rng):
    """Give zero/one-initialised weights (biases, BN parameters and statistics,
    PReLU slopes) random values, so no weight is trivially 0 or 1.
    Normalization statistics (set by adapt) and integer counters are kept."""
    for layer in model.layers:
        cls = layer.__class__.__name__
        if cls in ("Normalization", "InputLayer"):
            continue
        ws = layer.weights
        if not ws:
            continue
        vals = layer.get_weights()
        new = []
        for v, val in zip(ws, vals):
            n = _var_short_name(v)
            if not np.issubdtype(val.dtype, np.floating):
                new.append(val)
            elif n in ("bias", "beta", "moving_mean", "depthwise_bias"):
                new.append((rng.normal(size=val.shape) * 0.5).astype(val.dtype))
            elif n == "gamma":
                new.append(rng.uniform(0.5, 1.5, size=val.shape).astype(val.dtype))
            elif n == "moving_variance":
                new.append(rng.uniform(0.5, 2.0, size=val.shape).astype(val.dtype))
            elif n == "alpha":  # PReLU
                new.append(rng.uniform(-0.5, 0.5, size=val.shape).astype(val.dtype))
            else:
                new.append(val)
        layer.set_weights(new)


def import_keras(keras2):
    """(tf, keras) for a script: tf-keras (Keras 2) when `keras2`, else Keras 3, with
    TensorFlow's start-up messages silenced. Call it before anything imports TensorFlow (the
    environment chooses the Keras), once per process (Keras 2 and 3 cannot share one)."""
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
    if keras2:
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    if keras2:
        import tf_keras as keras
    else:
        import keras
    return tf, keras


# ---- Shared by the Keras 3 and the tf-keras scripts ---------------------------
# Each takes the `keras` (and `tf`) module its script imported.

def seed_everything(keras, tf, name):
    """Seeds Python, NumPy, TensorFlow and Keras from `name`; returns the seed."""
    seed = name_seed(name)
    set_seeds(seed, tf)
    keras.utils.set_random_seed(seed)
    return seed


def fit(keras, model, x, y, epochs, batch_size=32, lr=3e-3):
    """Trains a digits classifier with Adam on sparse labels."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, shuffle=True)
    return model


def mlp_model(keras):
    """The digits MLP, the same in both Keras versions."""
    L = keras.layers
    return keras.Sequential([
        keras.Input((64,), name="pixels"),
        L.Dense(64, activation="relu", name="fc1"),
        L.Dropout(0.2, name="dropout"),
        L.Dense(32, activation="relu", name="fc2"),
        L.Dense(10, activation="softmax", name="fc3"),
    ], name="mlp")


def train_and_write(keras, tf, out, name, build, fmt, x_train, y_train, x_test, **fit_kw):
    """Seeds everything from `name`, then builds (`build()`), trains (see fit) and writes the
    model with `out` (see model_writer); returns it. Seeding right before building makes each
    model reproducible on its own, whatever was trained before it."""
    seed_everything(keras, tf, name)
    model = fit(keras, build(), x_train, y_train, **fit_kw)
    out(name, model, fmt, x_test)
    return model


def write_mlp(keras, tf, out, name, weights_name, flavour, x_train, y_train, x_test):
    """Trains the digits MLP seeded from `name` and writes it twice with `out`: as a whole
    model `<flavour>-h5` under `name`, and the same trained weights alone, `<flavour>-weights`,
    under `weights_name`."""
    mlp = train_and_write(keras, tf, out, name, lambda: mlp_model(keras), flavour + "-h5",
                          x_train, y_train, x_test, epochs=40)
    out(weights_name, mlp, flavour + "-weights", x_test)


def model_writer(keras, labels, folders, width):
    """A function out(name, model, fmt, x, **kw) that writes samples/models/<name>/, prints
    its accuracy and adds the folder to `folders`."""
    def out(name, model, fmt, x, **kw):
        folder = os.path.join(MODELS_DIR, name)
        info = write_sample(keras, model, folder, fmt, x, labels=labels, **kw)
        print("%-*s acc %.4f  params %d" % (width, name, info["accuracy"], info["count_params"]))
        folders.append(folder)
    return out


def backbone(keras, name="backbone"):
    """A tiny convolutional feature extractor, used as a layer of other zoo models."""
    L = keras.layers
    return keras.Sequential([keras.Input((8, 8, 3)), L.Conv2D(4, 3, strides=2, padding="same", name="conv1"),
                             L.BatchNormalization(name="bn1"), L.ReLU(6.0, name="relu1"),
                             L.DepthwiseConv2D(3, padding="same", name="dw2"), L.Conv2D(6, 1, name="pw2")],
                            name=name)


def backbone_classifier(keras):
    """Transfer learning as usually written: `backbone` inside a Sequential with a new head."""
    L = keras.layers
    return keras.Sequential([keras.Input((8, 8, 3)), backbone(keras), L.GlobalAveragePooling2D(),
                             L.Dense(3, activation="softmax", name="head")])


def shared_encoder(keras):
    """A Functional sub-model nesting a Sequential (`backbone`), for zoo models to apply twice."""
    L = keras.layers
    inner_in = keras.Input((8, 8, 3))
    features = L.GlobalMaxPooling2D(name="pool")(backbone(keras, "trunk")(inner_in))
    return keras.Model(inner_in, L.Dense(4, activation="tanh", name="proj")(features), name="encoder")


def zoo_input(name, model, opts, n):
    """The random inputs of zoo entry `name`: `n` samples (opts "n"), normal times opts
    "scale" (default 2), or integers below opts "ints"."""
    rng = np.random.default_rng(name_seed("input/" + name))
    arrays = []
    for tensor in model.inputs:
        shape = (opts.get("n", n),) + tuple(int(d) for d in tensor.shape[1:])
        if "ints" in opts:
            arrays.append(rng.integers(0, opts["ints"], size=shape).astype(np.float32))
        else:
            arrays.append((rng.normal(size=shape) * opts.get("scale", 2.0)).astype(np.float32))
    return arrays[0] if len(arrays) == 1 else arrays


def write_zoo(keras, tf, entries, n, default_fmt, title, wanted):
    """Writes every zoo entry `entries` maps to (builder, opts), or only those `wanted`
    names, with random weights and inputs, then checks each reloads to the same outputs."""
    warnings.filterwarnings("ignore", message="You are saving your model as an HDF5 file")
    unknown = [name for name in wanted if name not in entries]
    if unknown:
        raise SystemExit("unknown zoo entries: " + ", ".join(unknown))
    os.makedirs(ZOO_DIR, exist_ok=True)
    folders = []
    for name, (builder, opts) in entries.items():
        if wanted and name not in wanted:
            continue
        keras.backend.clear_session()   # layer names restart at "dense", "conv2d", ...
        seed = seed_everything(keras, tf, name)
        model = builder()
        randomize_weights(model, np.random.default_rng(seed))
        folder = os.path.join(ZOO_DIR, name)
        write_sample(keras, model, folder, opts.get("fmt", default_fmt), zoo_input(name, model, opts, n))
        folders.append(folder)
    keras.backend.clear_session()
    if not verify_all(keras, folders, title):
        raise SystemExit(1)
