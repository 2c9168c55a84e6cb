#!/bin/sh
# Fine-tuning benchmark: top-1 of the int8 sample convnets pruned by global OBS, before and
# after `--finetune` (distillation on the 1,437 training digits, the calibration file), scored
# on the 360 test digits by the integer reference, beside Keras's top-1 (info.json), and the
# wall time of each convert-equivalent run (pruning, fine-tuning, calibration).
#   cnn, residual, conv1d: 80% and 90%;  dscnn: 50% to 90%.
# Usage: bench/finetune.sh            (from the repository root)
# Needs: python3 (reads info.json). Environment: SCRATCH (SwiftPM scratch path, default .build).
set -eu

DATA=samples/data
. bench/release_topiary.sh

keras() { # $1: sample name; prints Keras's top-1 in percent
    python3 -c "import json,sys; print('%.2f' % (100 * json.load(open(sys.argv[1]))['accuracy']))" "samples/models/$1/info.json"
}

model() { # $1: sample name; its model file
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['file'])" "samples/models/$1/info.json"
}

top1() { # $1 model, $2 sparsity, $3 extra option; prints "top-1 seconds"
    start=$(date +%s.%N)
    out=$("$TOPIARY" evaluate "samples/models/$1/$(model "$1")" --input $DATA/digits_test_x.npy --labels $DATA/digits_test_y.npy \
        --reshape --quantize int8 --calibration $DATA/digits_train_x.npy --sparsity "$2" --prune-scope global --prune-method obs $3 --json)
    end=$(date +%s.%N)
    printf '%s %.1f' "$(echo "$out" | python3 bench/topiary_json.py compressed.accuracy)" "$(echo "$end - $start" | bc)"
}

printf '%-9s %8s %7s %10s %10s %9s %9s\n' model sparsity keras "obs int8" "+finetune" "time (s)" "+ft (s)"
for spec in cnn:0.8 cnn:0.9 residual:0.8 residual:0.9 conv1d:0.8 conv1d:0.9 dscnn:0.5 dscnn:0.6 dscnn:0.7 dscnn:0.8 dscnn:0.9; do
    name=${spec%%:*}
    sparsity=${spec#*:}
    set -- $(top1 "$name" "$sparsity" "")
    before=$1 plain=$2
    set -- $(top1 "$name" "$sparsity" --finetune)
    printf '%-9s %8s %7s %10s %10s %9s %9s\n' "$name" "$sparsity" "$(keras "$name")" "$before" "$1" "$plain" "$2"
done
