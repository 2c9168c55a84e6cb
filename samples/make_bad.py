"""Files the importer must refuse, for the error tests.

samples/bad/         broken files (mostly damaged copies of models/mlp/model.h5,
                     so run make_models.py first); each is described in
                     samples/bad/README.md.
samples/unsupported/ valid Keras 3 models that use layers or options the
                     converter does not support; expected.json lists the
                     layers that must be refused.
"""

import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"

import json
import shutil
import warnings

import h5py
import numpy as np
import tensorflow as tf

tf.get_logger().setLevel("ERROR")

import keras
from keras import layers as L

import common
from common import BAD_DIR, MODELS_DIR, UNSUPPORTED_DIR

MLP = os.path.join(MODELS_DIR, "mlp", "model.h5")


# ---------------------------------------------------------------------------
# HDF5 helpers

def weight_path(f, layer, short):
    """Path of `layer`'s weight whose name ends in `short` (kernel, bias)."""
    g = f["model_weights"][layer]
    for wn in g.attrs["weight_names"]:
        wn = wn.decode() if isinstance(wn, bytes) else wn
        if wn.split("/")[-1].split(":")[0] == short:
            return g.name + "/" + wn
    raise KeyError((layer, short))


def replace_weight(f, layer, short, **dataset):
    """Delete `layer`'s weight `short` and write a new dataset (`create_dataset`
    arguments) at its path, which `weight_names` still lists."""
    path = weight_path(f, layer, short)
    del f[path]
    f.create_dataset(path, **dataset)


def replace_string_attr(obj, name, text):
    """Replace a string attribute, keeping its HDF5 string type (variable or
    fixed length, ASCII or UTF-8) as the original was written."""
    tid = obj.attrs.get_id(name).get_type()
    assert isinstance(tid, h5py.h5t.TypeStringID), name
    encoding = "utf-8" if tid.get_cset() == h5py.h5t.CSET_UTF8 else "ascii"
    if tid.is_variable_str():
        dtype = h5py.string_dtype(encoding)
    else:
        dtype = h5py.string_dtype(encoding, length=len(text.encode(encoding)))
    obj.attrs.create(name, text, dtype=dtype)


def copy_mlp(path):
    shutil.copyfile(MLP, path)
    return path


# ---------------------------------------------------------------------------
# Bad files

BAD = []  # (file name, description)


def bad(name, description):
    BAD.append((name, description))
    return os.path.join(BAD_DIR, name)


def make_bad_files():
    if not os.path.exists(MLP):
        raise SystemExit("missing %s: run make_models.py first" % MLP)
    common.fresh_dir(BAD_DIR)

    with open(bad("not_hdf5.h5", "A plain text file with an .h5 name; not HDF5 at all."), "w") as f:
        f.write("This is not an HDF5 file.\nIt is plain text pretending to be a Keras model.\n")

    open(bad("empty.h5", "Zero bytes."), "wb").close()

    data = open(MLP, "rb").read()
    with open(bad("truncated.h5", "models/mlp/model.h5 cut to the first half of its bytes (%d of %d)."
                  % (len(data) // 2, len(data))), "wb") as f:
        f.write(data[: len(data) // 2])

    p = copy_mlp(bad("no_model_config.h5",
                     "Valid HDF5 (copy of models/mlp/model.h5: groups, weights, keras_version, backend, "
                     "training_config) but the root `model_config` attribute is deleted."))
    with h5py.File(p, "r+") as f:
        del f.attrs["model_config"]

    bad_json = '{"class_name": "Sequential", "config": {'
    p = copy_mlp(bad("malformed_json.h5",
                     "Copy of models/mlp/model.h5 whose `model_config` attribute is the invalid JSON text "
                     "`%s` (same string type as the original)." % bad_json))
    with h5py.File(p, "r+") as f:
        replace_string_attr(f, "model_config", bad_json)

    p = copy_mlp(bad("missing_weight.h5",
                     "Copy of models/mlp/model.h5 with the bias dataset of layer fc2 deleted; "
                     "fc2's `weight_names` attribute still lists it."))
    with h5py.File(p, "r+") as f:
        del f[weight_path(f, "fc2", "bias")]

    p = copy_mlp(bad("wrong_shape.h5",
                     "Copy of models/mlp/model.h5 with fc2's kernel replaced by a float32 dataset of shape "
                     "[63, 32] (the model needs [64, 32])."))
    with h5py.File(p, "r+") as f:
        old = f[weight_path(f, "fc2", "kernel")][()]
        replace_weight(f, "fc2", "kernel", data=old[:63])

    p = copy_mlp(bad("unknown_layer.h5",
                     "Copy of models/mlp/model.h5 whose `model_config` JSON gives layer fc2 the "
                     "class_name `FancyDense` (weights unchanged)."))
    with h5py.File(p, "r+") as f:
        cfg = json.loads(f.attrs["model_config"])
        hits = [l for l in cfg["config"]["layers"] if l["config"].get("name") == "fc2"]
        assert len(hits) == 1
        hits[0]["class_name"] = "FancyDense"
        replace_string_attr(f, "model_config", json.dumps(cfg))

    p = copy_mlp(bad("string_weight.h5",
                     "Copy of models/mlp/model.h5 with fc1's kernel replaced by a [64, 64] dataset of "
                     "variable-length UTF-8 strings (the numbers written as text)."))
    with h5py.File(p, "r+") as f:
        old = f[weight_path(f, "fc1", "kernel")][()]
        text = np.array([["%.6g" % v for v in row] for row in old], dtype=object)
        replace_weight(f, "fc1", "kernel", data=text, dtype=h5py.string_dtype("utf-8"))

    p = copy_mlp(bad("huge_shape.h5",
                     "Copy of models/mlp/model.h5 whose fc1 kernel dataset declares shape "
                     "[1048576, 1048576] (2^40 float32 elements, 4 TiB) with chunked storage "
                     "(chunks 64x64) and no chunk written, so the file stays small."))
    with h5py.File(p, "r+") as f:
        replace_weight(f, "fc1", "kernel", shape=(2 ** 20, 2 ** 20), dtype="float32", chunks=(64, 64))

    p = copy_mlp(bad("nan_weight.h5",
                     "Copy of models/mlp/model.h5 with fc1 kernel[0, 0] = NaN and fc2 bias[0] = +Inf."))
    with h5py.File(p, "r+") as f:
        k = f[weight_path(f, "fc1", "kernel")]
        a = k[()]
        a[0, 0] = np.nan
        k[...] = a
        b = f[weight_path(f, "fc2", "bias")]
        a = b[()]
        a[0] = np.inf
        b[...] = a

    with open(os.path.join(BAD_DIR, "README.md"), "w") as f:
        f.write("# Broken files\n\n"
                "Each file here must be refused by the importer with an error (never a crash).\n"
                "Unless said otherwise the HDF5 attributes (`model_config`, `keras_version`, `backend`,\n"
                "`training_config`) are exactly as Keras %s wrote them.\n\n" % keras.__version__)
        for name, desc in BAD:
            f.write("- `%s`: %s\n" % (name, desc))

    print("\nbad files")
    for name, _ in BAD:
        print("  %-22s %9d bytes" % (name, os.path.getsize(os.path.join(BAD_DIR, name))))
    check_bad_files()


def check_bad_files():
    """Every bad file must fail to load in Keras (or, for nan_weight, load
    with non-finite weights)."""
    print("\nKeras on the bad files:")
    for name, _ in BAD:
        path = os.path.join(BAD_DIR, name)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = keras.models.load_model(path, compile=False)
            finite = all(np.all(np.isfinite(w)) for w in m.get_weights())
            verdict = "loads (weights %s)" % ("finite" if finite else "NOT finite")
        except Exception as e:  # expected
            verdict = "refused: %s: %s" % (type(e).__name__, str(e).splitlines()[0][:70] if str(e) else "")
        print("  %-22s %s" % (name, verdict))


# ---------------------------------------------------------------------------
# Unsupported models

def S(shape, *layers, **input_kw):
    return keras.Sequential([keras.Input(shape, **input_kw)] + list(layers))


def lambda_model():
    # Compiled from source so that the marshalled bytecode Keras stores does not
    # depend on where this script lives.
    fn = eval(compile("lambda x: x * 2.0 + 1.0", "<lambda>", "eval"))
    return S((6,), L.Dense(4), L.Lambda(fn), L.Dense(3))


def three_unsupported():
    return S((8, 8, 3), L.Conv2D(4, 3, padding="same"), L.UnitNormalization(), L.Reshape((8, 8, 4, 1)),
             L.Conv3D(2, 3, padding="same"), L.GlobalAveragePooling3D(), L.Dense(3))


def lstm_stateful():
    return S((6, 4), L.LSTM(5, stateful=True), L.Dense(2), batch_size=2)


def lstm_return_state():
    inp = keras.Input((6, 4))
    out, h, c = L.LSTM(5, return_state=True)(inp)
    return keras.Model(inp, [L.Dense(2)(out), h, c])


def channels_first():
    return S((3, 8, 8), L.Conv2D(4, 3, data_format="channels_first"), L.Flatten(), L.Dense(2))


def time_distributed_bidirectional():
    return S((3, 5, 4), L.TimeDistributed(L.Bidirectional(L.GRU(3))), L.Flatten(), L.Dense(2))


def layer_norm_rms_scaling():
    return S((6,), L.Dense(4), L.LayerNormalization(rms_scaling=True))


def conv2d_transpose_dilated():
    return S((6, 6, 2), L.Conv2DTranspose(3, 3, dilation_rate=2), L.Flatten(), L.Dense(2))


# name -> (builder, [classes that must be refused])
UNSUPPORTED = {
    "lambda": (lambda_model, ["Lambda"]),
    "unitnorm_conv3d": (three_unsupported, ["UnitNormalization", "Conv3D", "GlobalAveragePooling3D"]),
    "lstm_stateful": (lstm_stateful, ["LSTM"]),
    "lstm_return_state": (lstm_return_state, ["LSTM"]),
    "conv2d_channels_first": (channels_first, ["Conv2D"]),
    "time_distributed_bidirectional": (time_distributed_bidirectional, ["TimeDistributed"]),
    "layer_norm_rms_scaling": (layer_norm_rms_scaling, ["LayerNormalization"]),
    "conv2d_transpose_dilated": (conv2d_transpose_dilated, ["Conv2DTranspose"]),
}

# The reason each refusal gives, where the test checks it word for word.
REASONS = {
    "time_distributed_bidirectional": "TimeDistributed of Bidirectional is not supported: it applies one layer per step, not a "
                                      "wrapper or a model; wrap the layers inside Bidirectional in TimeDistributed one by one",
    "layer_norm_rms_scaling": "rms_scaling=True is not supported: Keras deprecates it (it divides the uncentred input by the "
                              "standard deviation, not by the root mean square); use rms_scaling=False",
    "conv2d_transpose_dilated": "dilated transposed convolution (dilation_rate=[2, 2]) is not supported: the kernels scatter "
                                "undilated; rebuild the layer with dilation_rate=1",
}


def make_unsupported(only=()):
    os.makedirs(UNSUPPORTED_DIR, exist_ok=True)
    print("\nunsupported models (reloaded from disk)")
    for name, (builder, classes) in UNSUPPORTED.items():
        if only and name not in only:
            continue
        keras.backend.clear_session()
        s = common.name_seed(name)
        keras.utils.set_random_seed(s)
        model = builder()
        common.randomize_weights(model, np.random.default_rng(s))
        folder = common.fresh_dir(os.path.join(UNSUPPORTED_DIR, name))
        fname, cname = common.save_model(model, folder, "keras3-h5")
        refused = [{"name": l.name, "class": l.__class__.__name__}
                   for l in model.layers if l.__class__.__name__ in classes]
        if name == "conv2d_channels_first":
            refused = [r for r in refused if model.get_layer(r["name"]).data_format == "channels_first"]
        assert len(refused) == len(classes), (name, refused)
        if name in REASONS:
            refused = [dict(r, reason=REASONS[name]) for r in refused]
        common.write_json(os.path.join(folder, "expected.json"), refused)
        common.write_json(os.path.join(folder, "info.json"),
                          common.describe(keras, model, fname, cname, "keras3-h5"))
        # Load back (Lambda needs safe_mode=False).
        m2 = keras.models.load_model(os.path.join(folder, fname), compile=False, safe_mode=False)
        same = all(np.array_equal(a, b) for a, b in zip(model.get_weights(), m2.get_weights()))
        print("  %-28s %s  reload %s" % (name, ", ".join(r["class"] for r in refused),
                                         "OK" if same else "MISMATCH"))
        if not same:
            raise SystemExit(1)


def main():
    """Writes everything, or with the argument `unsupported` only the unsupported models (those
    named after it, if any)."""
    warnings.filterwarnings("ignore", message="You are saving your model as an HDF5 file")
    if sys.argv[1:2] != ["unsupported"]:
        make_bad_files()
    make_unsupported(sys.argv[2:])


if __name__ == "__main__":
    main()
