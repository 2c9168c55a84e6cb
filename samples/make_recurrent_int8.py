"""Train small recurrent digit classifiers for the integer recurrent kernels and write
samples/models/<name>/ (same folder contents as make_models.py).

Each reads a digit's 8 rows as 8 timesteps of 8 features. Run once with Keras 3 and
once with tf-keras (Keras 2), in separate processes since the two cannot be mixed:

    python make_recurrent_int8.py           # Keras 3 models
    python make_recurrent_int8.py --keras2  # tf-keras models

Names given on the command line make only those models.
"""

import os
import sys

import numpy as np

import common
from common import MODELS_DIR

KERAS2 = "--keras2" in sys.argv
tf, keras = common.import_keras(KERAS2)
L = keras.layers


def seed(name):
    s = common.name_seed(name)
    common.set_seeds(s, tf)
    keras.utils.set_random_seed(s)


def fit(model, x, y, epochs, batch_size=32, lr=3e-3):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, shuffle=True)
    return model


def classifier(name, *recurrent):
    return keras.Sequential([keras.Input((8, 8), name="rows"), *recurrent,
                             L.Dense(10, activation="softmax", name="fc")], name=name)


# name -> (layers, epochs). Keras 3's GRU resets after the recurrent product by default;
# the Keras 2 models take the other form (reset_after=False), as Keras 2's GRU v1 did.
KERAS3_MODELS = {
    "rnn8_simple_rnn": (lambda: [L.SimpleRNN(48, name="rnn")], 40),
    "rnn8_simple_rnn_relu": (lambda: [L.SimpleRNN(48, activation="relu", name="rnn")], 40),
    "rnn8_gru": (lambda: [L.GRU(32, name="gru")], 30),
    "rnn8_lstm": (lambda: [L.LSTM(32, name="lstm")], 30),
    "rnn8_lstm_stack": (lambda: [L.LSTM(32, return_sequences=True, go_backwards=True, name="lstm1"),
                                 L.LSTM(24, name="lstm2")], 30),
    "rnn8_bigru": (lambda: [L.Bidirectional(L.GRU(24, return_sequences=True), merge_mode="concat", name="bigru"),
                            L.GlobalAveragePooling1D(name="pool")], 30),
    # Keras 3's hard sigmoid, relu6(x + 3) / 6, as the gates.
    "rnn8_gru_hard": (lambda: [L.GRU(32, recurrent_activation="hard_sigmoid", name="gru")], 30),
}
KERAS2_MODELS = {
    "rnn8_gru_keras2": (lambda: [L.GRU(32, reset_after=False, name="gru")], 30),
    "rnn8_lstm_keras2": (lambda: [L.LSTM(32, name="lstm")], 30),
    "rnn8_simple_rnn_keras2": (lambda: [L.SimpleRNN(48, name="rnn")], 40),
    # Keras 2's hard sigmoid, 0.2 x + 0.5 clipped (the gates of Keras before 2.3 by default).
    "rnn8_lstm_keras2_hard": (lambda: [L.LSTM(32, recurrent_activation="hard_sigmoid", name="lstm")], 30),
}


def main():
    x_train, y_train, x_test, y_test = common.load_digits_split()
    seq_train = x_train.reshape(-1, 8, 8)
    seq_test = x_test.reshape(-1, 8, 8)
    # 200 training digits as sequences, for `--calibration` of these models on the command line.
    np.save(os.path.join(common.DATA_DIR, "digits_rows_calibration.npy"), seq_train[:200].astype(np.float32))
    fmt = "keras2-h5" if KERAS2 else "keras3-h5"
    folders = []
    chosen = [a for a in sys.argv[1:] if not a.startswith("--")]
    for name, (layers, epochs) in (KERAS2_MODELS if KERAS2 else KERAS3_MODELS).items():
        if chosen and name not in chosen:
            continue
        seed(name)
        model = fit(classifier(name, *layers()), seq_train, y_train, epochs=epochs)
        folder = os.path.join(MODELS_DIR, name)
        info = common.write_sample(keras, model, folder, fmt, seq_test, labels=y_test)
        print("%-24s acc %.4f  params %d" % (name, info["accuracy"], info["count_params"]))
        folders.append(folder)
    ok = common.verify_all(keras, folders, "Keras %s recurrent int8 samples (reloaded from disk)" % keras.__version__)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
