"""The peers' side of the benchmark, run with the benchmark's own venv (bench/work/venv).

Each subcommand prints one JSON object on its last line of standard output:

  versions                          versions of TensorFlow, Keras, emlearn, NumPy
  tflite MODEL_FILE SHAPE CAL X Y OUT
                                    TFLite int8 post-training quantization of MODEL_FILE:
                                    flatbuffer bytes and top-1 accuracy through the interpreter
  tflm FLATBUFFER X Y COUNT         TFLite Micro's interpreter (the tflite-micro wheel, reference
                                    kernels) on the first COUNT samples: top-1 and arena bytes;
                                    run under callgrind to count its Invoke's instructions
  emlearn MODEL_FILE NAME OUT_H     emlearn's C for a Dense-only Keras model
  scale LAYERS OUT_H5 OUT_CAL       a random MLP (1024 inputs, LAYERS Dense(1024), Dense(10))
  wide_mlp TRAIN_X TRAIN_Y OUT_H5   the 64-256-128-10 digits MLP (50,826 parameters), trained

A peer that fails prints {"error": ...} rather than raising, so the benchmark records the
failure in its tables.
"""

import json
import os
import sys
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402


def emit(result):
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()


def first_line(error):
    text = str(error).strip()
    for line in text.splitlines():
        # The converter's errors open with MLIR locations; the useful sentence follows.
        if "error:" in line and "loc(" not in line:
            line = line.split("error:", 1)[1].strip()
            if "Select TF ops" in line:
                line = line.split(". Please consider")[0] + " (the converter asks for Select TF ops, i.e. TensorFlow's own kernels)"
            return line[:300]
    return (type(error).__name__ + ": " + text.splitlines()[0] if text else type(error).__name__)[:300]


def load_keras(path):
    import keras
    return keras.models.load_model(path, compile=False)


def versions():
    out = {"numpy": np.__version__}
    for module in ("tensorflow", "keras", "emlearn"):
        try:
            out[module] = __import__(module).__version__
        except Exception as error:  # a peer that cannot be imported is reported, not fatal
            out[module] = "unavailable (%s)" % first_line(error)
    try:
        import importlib.metadata
        out["tflite_micro"] = importlib.metadata.version("tflite-micro")
    except Exception as error:
        out["tflite_micro"] = "unavailable (%s)" % first_line(error)
    emit(out)


def tflite(model_file, shape, cal_file, x_file, y_file, out_file):
    import tensorflow as tf
    try:
        model = load_keras(model_file)
        cal = np.load(cal_file).astype(np.float32)

        def representative():
            for i in range(len(cal)):
                yield [cal[i:i + 1]]

        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
        flatbuffer = converter.convert()
    except Exception as error:
        emit({"error": "conversion failed: " + first_line(error)})
        return
    with open(out_file, "wb") as f:
        f.write(flatbuffer)
    interpreter = tf.lite.Interpreter(model_content=flatbuffer)
    interpreter.allocate_tensors()
    input_detail = interpreter.get_input_details()[0]
    output_detail = interpreter.get_output_details()[0]
    scale, zero_point = input_detail["quantization"]
    x = np.load(x_file).astype(np.float32).reshape((-1,) + tuple(shape))
    y = np.load(y_file)
    correct = 0
    for i in range(len(x)):
        q = np.clip(np.round(x[i:i + 1] / scale + zero_point), -128, 127).astype(np.int8)
        interpreter.set_tensor(input_detail["index"], q)
        interpreter.invoke()
        correct += int(np.argmax(interpreter.get_tensor(output_detail["index"])[0]) == int(y[i]))
    emit({"bytes": len(flatbuffer), "correct": correct, "total": int(len(x)),
          "tensorflow": tf.__version__})


def tflm(flatbuffer_file, x_file, y_file, count):
    import ctypes
    from tflite_micro.python.tflite_micro import runtime
    with open(flatbuffer_file, "rb") as f:
        flatbuffer = f.read()
    interpreter = runtime.Interpreter.from_bytes(flatbuffer)
    detail = interpreter.get_input_details(0)
    scale = float(detail["quantization_parameters"]["scales"][0])
    zero_point = int(detail["quantization_parameters"]["zero_points"][0])
    shape = tuple(int(d) for d in detail["shape"][1:])
    x = np.load(x_file).astype(np.float32).reshape((-1,) + shape)
    y = np.load(y_file)
    correct = 0
    for i in range(count):
        q = np.clip(np.round(x[i:i + 1] / scale + zero_point), -128, 127).astype(np.int8)
        interpreter.set_input(q, 0)
        interpreter.invoke()
        correct += int(np.argmax(interpreter.get_output(0)[0]) == int(y[i]))
    # The allocator's report (C++ stdout) gives the arena the model needs.
    sys.stdout.flush()
    interpreter.print_allocations()
    ctypes.CDLL(None).fflush(None)
    import importlib.metadata
    emit({"correct": correct, "total": count, "tflite_micro": importlib.metadata.version("tflite-micro")})


def emlearn_c(model_file, name, out_h):
    import emlearn
    model = load_keras(model_file)
    notes = []
    # The inline method first, as its documentation suggests for Keras; the loadable one
    # (emlearn's default) when inline fails.
    for method in ("inline", "loadable"):
        try:
            converted = emlearn.convert(model, method=method)
            converted.save(file=out_h, name=name, inference=[method])
        except Exception as error:
            notes.append("method=%s failed: %s" % (method, first_line(error)))
            continue
        entry = name + "_predict"
        emit({"method": method, "entry": entry, "include": emlearn.includedir,
              "notes": notes, "emlearn": emlearn.__version__})
        return
    emit({"error": "; ".join(notes)})


def scale(layers, out_h5, out_cal):
    import keras
    keras.utils.set_random_seed(0)
    inputs = keras.Input((1024,), name="x")
    h = inputs
    for i in range(layers):
        h = keras.layers.Dense(1024, activation="relu", name="fc%d" % (i + 1))(h)
    outputs = keras.layers.Dense(10, activation="softmax", name="out")(h)
    model = keras.Model(inputs, outputs, name="mlp%d" % layers)
    model.save(out_h5)
    cal = np.random.default_rng(0).standard_normal((200, 1024)).astype(np.float32)
    np.save(out_cal, cal)
    emit({"params": int(model.count_params()), "h5_bytes": os.path.getsize(out_h5)})


def wide_mlp(train_x, train_y, out_h5):
    import keras
    keras.utils.set_random_seed(50)
    layers = keras.layers
    model = keras.Sequential([keras.Input((64,), name="pixels"), layers.Dense(256, activation="relu", name="fc1"),
                              layers.Dense(128, activation="relu", name="fc2"),
                              layers.Dense(10, activation="softmax", name="fc3")], name="digits_mlp")
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(np.load(train_x).reshape(-1, 64), np.load(train_y), epochs=60, batch_size=32, verbose=0)
    model.save(out_h5)
    emit({"params": int(model.count_params())})


def main(argv):
    command, args = argv[1], argv[2:]
    try:
        if command == "versions":
            versions()
        elif command == "tflite":
            tflite(args[0], [int(d) for d in args[1].split("x")], *args[2:6])
        elif command == "tflm":
            tflm(args[0], args[1], args[2], int(args[3]))
        elif command == "emlearn":
            emlearn_c(*args[:3])
        elif command == "scale":
            scale(int(args[0]), args[1], args[2])
        elif command == "wide_mlp":
            wide_mlp(*args[:3])
        else:
            raise SystemExit("unknown command " + command)
    except SystemExit:
        raise
    except Exception as error:
        traceback.print_exc()
        emit({"error": first_line(error)})


if __name__ == "__main__":
    main(sys.argv)
