#!/bin/sh
# Calibration-aware pruning benchmark: top-1 drop against Keras, OBS pruning beside
# magnitude pruning, all int8, measured in one run.
#   MLP (samples/models/mlp):  80% per layer and global; 90% per layer and global; 90% by
#                              the budgeted search (non-uniform), at the flash size of the
#                              uniform 90% model and with --max-accuracy-drop 3.
#   CNN (samples/models/cnn):  80% per layer and global; 80% by the budgeted search at the
#                              flash size of the uniform 80% model.
# Calibration: the first 200 training digits. Validation and test: the 360 test digits
# (samples/data/digits_test_{x,y}.npy). The budgeted search chooses its sparsities on those
# same digits, so its figures are optimistic by construction; the uniform ones are not.
# Keras's own accuracy is read from each sample's info.json.
#
# Usage: Benchmarks/obs.sh            (from the repository root)
# Environment: SCRATCH (SwiftPM scratch path, default .build).
set -eu

SCRATCH=${SCRATCH:-.build}
DATA=samples/data
CAL="--calibration $DATA/digits_train_x.npy --calibration-samples 200"
VAL="--input $DATA/digits_test_x.npy --labels $DATA/digits_test_y.npy"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/topiary-obs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

swift build -c release --scratch-path "$SCRATCH" --product topiary >/dev/null
TOPIARY="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/topiary"

keras() { # $1: sample name; prints Keras's top-1 in percent
    python3 -c "import json,sys; print('%.2f' % (100 * json.load(open(sys.argv[1]))['accuracy']))" "samples/models/$1/info.json"
}

# $1 model, $2 Keras top-1, then options: prints "compressed-top1 drop-vs-keras total-sparsity flash-bytes".
measure() {
    model=$1 reference=$2
    shift 2
    reshape=""
    [ "$model" = mlp ] || reshape=--reshape
    # convert takes validation data only for a budget's search.
    budget=""
    case "$*" in *--flash-budget*|*--max-accuracy-drop*) budget="$VAL $reshape" ;; esac
    # shellcheck disable=SC2086
    "$TOPIARY" convert "samples/models/$model/model.h5" -o "$WORK/c" "$@" --quantize int8 $CAL $budget > "$WORK/convert.txt"
    # shellcheck disable=SC2086
    "$TOPIARY" evaluate "samples/models/$model/model.h5" "$@" --quantize int8 $CAL $VAL $reshape > "$WORK/evaluate.txt"
    top1=$(awk '/^compressed:/ {sub("%", "", $4); print $4}' "$WORK/evaluate.txt")
    sparsity=$(awk '/^Compression/ {table=1} table && /^Total/ {print $2; exit}' "$WORK/convert.txt")
    bytes=$(awk '/^all constant data/ {print $(NF-1)}' "$WORK/convert.txt")
    awk -v a="$top1" -v k="$reference" -v s="$sparsity" -v b="$bytes" 'BEGIN {printf "%s %+.2f %s %s\n", a, a - k, s, b}'
}

# Flash bytes of the uniform model at sparsity $2 with OBS, for the budgeted rows.
uniform_bytes() {
    reshape=""
    [ "$1" = mlp ] || reshape=--reshape
    # shellcheck disable=SC2086
    "$TOPIARY" convert "samples/models/$1/model.h5" -o "$WORK/u" --sparsity "$2" --prune-method obs --quantize int8 $CAL |
        awk '/^all constant data/ {print $(NF-1)}'
}

row() { # $1 model, $2 Keras, $3 label, then options
    model=$1 reference=$2 label=$3
    shift 3
    # shellcheck disable=SC2086
    set -- $(measure "$model" "$reference" "$@")
    printf '%-52s %8s %9s %9s %7s\n' "$label" "$1" "$2" "$3" "$4"
}

header() {
    echo
    echo "== $1 (Keras top-1 $2%; int8; calibration 200 training digits; 360 test digits)"
    printf '%-52s %8s %9s %9s %7s\n' "setting" "top-1" "vs Keras" "sparsity" "bytes"
}

MLP=$(keras mlp)
header "digits MLP" "$MLP"
for method in magnitude obs; do
    row mlp "$MLP" "80% per layer, $method" --sparsity 0.8 --prune-method $method
    row mlp "$MLP" "80% global, $method" --sparsity 0.8 --prune-scope global --prune-method $method
done
for method in magnitude obs; do
    row mlp "$MLP" "90% per layer, $method" --sparsity 0.9 --prune-method $method
    row mlp "$MLP" "90% global, $method" --sparsity 0.9 --prune-scope global --prune-method $method
done
BYTES90=$(uniform_bytes mlp 0.9)
for method in magnitude obs; do
    row mlp "$MLP" "search: --flash-budget $BYTES90 (90% size), $method" --flash-budget "$BYTES90" --prune-method $method
    row mlp "$MLP" "search: --max-accuracy-drop 3, $method" --max-accuracy-drop 3 --prune-method $method
done

CNN=$(keras cnn)
header "digits CNN" "$CNN"
for method in magnitude obs; do
    row cnn "$CNN" "80% per layer, $method" --sparsity 0.8 --prune-method $method
    row cnn "$CNN" "80% global, $method" --sparsity 0.8 --prune-scope global --prune-method $method
done
BYTES80=$(uniform_bytes cnn 0.8)
for method in magnitude obs; do
    row cnn "$CNN" "search: --flash-budget $BYTES80 (80% size), $method" --flash-budget "$BYTES80" --prune-method $method
    row cnn "$CNN" "search: --max-accuracy-drop 1.5, $method" --max-accuracy-drop 1.5 --prune-method $method
done
