"""Fine-tuning the MLPerf Tiny ResNet-8 after pruning: top-1 agreement with the float model.

    python3 bench/finetune_mlperf.py --topiary PATH [--work DIR] [--train N] [--test N]
                                     [--sparsity 0.7] [--epochs E] [--rate R] [--block-weight W]
                                     [--dense] [--float] [--photographs [--plain-views]]
    (NumPy, scikit-learn, scikit-image and Pillow, for the images; pip, to fetch Foolbox's wheel)

By default the held-out views are CIFAR-10 test images and the N training views (unlabelled:
calibration and fine-tuning data) CIFAR-100 test images, ImageNet photographs and the bundled
photographs, all from packages (bench/cifar_images.py); `--photographs` holds out views of three
photographs instead and trains on views of others (bench/natural_images.py; varied views of
many images unless `--plain-views`). Prints the float model's median top-1 margin on the
held-out views (and with CIFAR-10 its top-1 against the labels), then converts ResNet-8 to int8 with global OBS pruning at the given
sparsity, once without and once with `--finetune`, and prints for each the top-1 agreement of
the integer model with the float model on the held-out views and on the training views, the
wall time and the CPU time (user + system) of the run. `--dense` adds the same two runs without
pruning, which isolates what the int8 rounding costs and what fine-tuning through it
recovers; `--float` adds them without quantization, which isolates what pruning costs and
what fine-tuning recovers of it.
"""
import os
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cifar_images  # noqa: E402
import natural_images  # noqa: E402
from measure import script_arguments  # noqa: E402

MODEL = os.path.join(HERE, "mlperf-tiny", "pretrainedResnet.h5")


def seconds_of(command):
    """Runs `command`, failing loudly, and returns its wall seconds and the CPU seconds its
    children used."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}{done.stdout}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.monotonic() - start, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    parser = script_arguments(__doc__, "/tmp/topiary-finetune-mlperf")
    parser.add_argument("--train", type=int, default=1000)
    parser.add_argument("--test", type=int, default=200)
    parser.add_argument("--sparsity", default="0.7")
    parser.add_argument("--epochs", type=int, help="--finetune-epochs (default: topiary's)")
    parser.add_argument("--rate", type=float, help="--finetune-rate (default: topiary's)")
    parser.add_argument("--block-weight", type=float, help="--finetune-block-weight (default: topiary's)")
    parser.add_argument("--dense", action="store_true", help="also without pruning (int8 alone)")
    parser.add_argument("--float", action="store_true", help="also without quantization (pruning alone)")
    parser.add_argument("--photographs", action="store_true", help="hold out photographs instead of CIFAR-10 images")
    parser.add_argument("--plain-views", action="store_true",
                        help="with --photographs: train on views of the eight photographs alone")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)

    if args.photographs:
        train_views, test_views = natural_images.training_and_held_out(args.train, args.test,
                                                                       varied=not args.plain_views)
        classes = None
    else:
        train_views, test_views, classes = cifar_images.training_and_held_out(args.work, args.train, args.test)
    train, test = os.path.join(args.work, "train.npy"), os.path.join(args.work, "test.npy")
    np.save(train, train_views)
    np.save(test, test_views)

    # The held-out views, then the training views, in one file: one run scores both.
    both = os.path.join(args.work, "both.npy")
    np.save(both, np.concatenate([test_views, train_views]))
    reference = os.path.join(args.work, "float.npy")
    seconds_of([args.topiary, "predict", MODEL, "--input", both, "--output", reference])
    probabilities = np.sort(np.load(reference)[:args.test], 1)
    expected = np.argmax(np.load(reference), 1)
    margins = probabilities[:, -1] - probabilities[:, -2]
    calibration = ["--calibration", train]
    int8 = ["--quantize", "int8"]
    pruning = ["--sparsity", args.sparsity, "--prune-scope", "global", "--prune-method", "obs"]
    finetune = ["--finetune"] + (["--finetune-epochs", str(args.epochs)] if args.epochs else []) \
        + (["--finetune-rate", str(args.rate)] if args.rate else []) \
        + (["--finetune-block-weight", str(args.block_weight)] if args.block_weight else [])
    held_out = "CIFAR-10 views" if classes is not None else "views of photographs"
    print(f"ResNet-8, {float(args.sparsity):.0%} global OBS; {args.train} training views, "
          f"{args.test} held-out {held_out} (float top-1 margin: median {np.median(margins):.2f}, "
          f"10th percentile {np.percentile(margins, 10):.2f})")
    if classes is not None:
        print(f"float model top-1 on the held-out CIFAR-10 views: {np.mean(expected[:args.test] == classes):.2%}")
    runs = [("int8 pruned", int8 + pruning), ("int8 pruned + fine-tuned", int8 + pruning + finetune)]
    if args.dense:
        runs = [("int8 dense", int8), ("int8 dense + fine-tuned", int8 + finetune)] + runs
    if args.float:
        runs = [("float pruned", pruning), ("float pruned + fine-tuned", pruning + finetune)] + runs
    for label, extra in runs:
        output = os.path.join(args.work, "compressed.npy")
        wall, cpu = seconds_of([args.topiary, "predict", MODEL, "--input", both, "--output", output] + calibration + extra)
        agrees = np.argmax(np.load(output), 1) == expected
        print(f"{label:>26}: top-1 agreement {np.mean(agrees[:args.test]):.2%} held out, "
              f"{np.mean(agrees[args.test:]):.2%} on the training views, {wall:.0f} s wall, {cpu:.0f} s CPU")


if __name__ == "__main__":
    main()
