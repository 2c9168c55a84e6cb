"""The MLPerf Tiny visual wake words model pruned on views with and without a person: agreement.

    python3 bench/finetune_vww.py --topiary PATH [--work DIR] [--train N] [--test N]
                                  [--sparsity 0.9] [--epochs E]
    (NumPy, scikit-learn, scikit-image and Pillow, for the images)

The benchmark's own visual wake words inputs (bench/mlperf-tiny/vww_input.npy) are crops of
scikit-learn's two sample photographs, in which the float model sees no person: agreement on
them says nothing of the person class. Here the views (96x96, 0..1) are of those two
photographs and of scikit-image's `astronaut`, a third each (bench/natural_images.py): N
training views (seed 2; the first 128 calibrate, all of them fine-tune) and held-out views
(seed 1; other parts of the same photographs). Prints the float model's classes on the
held-out views, then for int8 dense, int8 with OBS pruning at 80% and at `--sparsity`, and the
latter fine-tuned (`--finetune`, distillation on the training views), the top-1 agreement with
the float model on the held-out views, and the Cortex-M4 instructions per inference of the
fine-tuned model (`topiary profile`, its outputs checked against the Swift reference).
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import natural_images  # noqa: E402
from finetune_mlperf import seconds_of  # noqa: E402
from measure import script_arguments  # noqa: E402
from topiary_json import profile  # noqa: E402

MODEL = os.path.join(HERE, "mlperf-tiny", "vww_96.h5")
PHOTOGRAPHS = ["china", "flower", "astronaut"]
CALIBRATION_VIEWS = 128


def main():
    parser = script_arguments(__doc__, "/tmp/topiary-finetune-vww")
    parser.add_argument("--train", type=int, default=512)
    parser.add_argument("--test", type=int, default=32)
    parser.add_argument("--sparsity", default="0.9")
    parser.add_argument("--epochs", default="30", help="--finetune-epochs")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)

    def photograph_views(count, seed):
        views = natural_images.views(PHOTOGRAPHS, count, np.random.default_rng(seed), size=96, scale_range=(0.3, 0.9))
        return views / np.float32(255)

    train, test = os.path.join(args.work, "train.npy"), os.path.join(args.work, "test.npy")
    np.save(train, photograph_views(args.train, 2))
    np.save(test, photograph_views(args.test, 1))
    reference = os.path.join(args.work, "float.npy")
    seconds_of([args.topiary, "predict", MODEL, "--input", test, "--output", reference])
    expected = np.argmax(np.load(reference), 1)
    print(f"visual wake words: {args.test} held-out views of {', '.join(PHOTOGRAPHS)}; the float model sees a person "
          f"in {int(np.sum(expected == 1))}")
    int8 = ["--quantize", "int8", "--calibration", train, "--calibration-samples", str(CALIBRATION_VIEWS)]
    pruned = int8 + ["--prune-method", "obs", "--sparsity", args.sparsity]
    finetuned = pruned + ["--finetune", "--finetune-data", train, "--finetune-epochs", args.epochs]
    runs = [("int8 dense", int8), ("int8, 80% OBS", int8 + ["--prune-method", "obs", "--sparsity", "0.8"]),
            (f"int8, {float(args.sparsity):.0%} OBS", pruned),
            (f"int8, {float(args.sparsity):.0%} OBS, fine-tuned", finetuned)]
    for label, options in runs:
        output = os.path.join(args.work, "compressed.npy")
        wall, cpu = seconds_of([args.topiary, "predict", MODEL, "--input", test, "--output", output] + options)
        predicted = np.argmax(np.load(output), 1)
        people = expected == 1
        print(f"{label:>28}: top-1 agreement {np.mean(predicted == expected):.2%} "
              f"({int(np.sum(predicted[people] == 1))} of {int(np.sum(people))} persons), {wall:.0f} s wall, {cpu:.0f} s CPU")
    report = profile(args.topiary, MODEL, test, finetuned, 2, "cortex-m4f")
    print(f"{runs[-1][0]}: {report['instructions']:,.0f} Cortex-M4 instructions per inference, flash "
          f"{report['model']['flash']} B, RAM {report['model']['ram']} B, outputs "
          f"{'equal to' if report['passed'] else 'DIFFERENT from'} the Swift reference")


if __name__ == "__main__":
    main()
