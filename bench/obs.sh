#!/bin/sh
# Calibration-aware pruning benchmark: top-1 drop against Keras, OBS pruning beside
# magnitude pruning, all int8, measured in one run.
#   MLP (samples/models/mlp):  80% per layer and global; 90% per layer and global; 90% by
#                              the budgeted search (non-uniform), at the flash size of the
#                              uniform 90% model and with --max-accuracy-drop 3.
#   CNN (samples/models/cnn):  80% per layer and global; 80% by the budgeted search at the
#                              flash size of the uniform 80% model and with
#                              --max-accuracy-drop 1.5.
# Calibration: the first 200 training digits. Every row is scored on the 360 test digits,
# Keras's top-1 too (read from each sample's info.json). A budgeted search needs labelled
# data to choose on, which must not be the data its figure is scored on; two ways:
# - cross-fitted ("search on test halves"): the test digits are split in two stratified
#   halves (samples/data/digits_{val,holdout}_{x,y}.npy, 180 each); the search chooses on one
#   half and its choice is scored on the other, both ways round, and the row adds up the two
#   scores. The sparsity and bytes shown are those of both choices.
# - on the training digits calibration did not use ("search on training digits": all but
#   the first 200, 1,237; labelled data every user has), scored on the 360 test digits. The
#   model has seen these digits, so an accuracy budget is measured where the model is at its
#   best, and the drop on new digits can be larger than the budget.
#
# Usage: bench/obs.sh            (from the repository root)
# Needs: python3 with NumPy (it writes the training-digit split).
# Environment: SCRATCH (SwiftPM scratch path, default .build).
set -eu

DATA=samples/data
CAL="--calibration $DATA/digits_train_x.npy --calibration-samples 200"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/topiary-obs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

. bench/release_topiary.sh

keras() { # $1: sample name; prints Keras's top-1 in percent
    python3 -c "import json,sys; print('%.2f' % (100 * json.load(open(sys.argv[1]))['accuracy']))" "samples/models/$1/info.json"
}

# The training digits that calibration does not use, written by NumPy into $WORK.
python3 - "$DATA" "$WORK" <<'PY'
import sys
import numpy as np
data, work = sys.argv[1], sys.argv[2]
for axis in ("x", "y"):
    np.save("%s/digits_rest_%s.npy" % (work, axis), np.load("%s/digits_train_%s.npy" % (data, axis))[200:])
PY

data() { # $1: split name (test, val, holdout, rest); the options that give it as labelled data
    folder=$DATA
    [ "$1" = rest ] && folder=$WORK
    echo "--input $folder/digits_$1_x.npy --labels $folder/digits_$1_y.npy"
}

reshape() { # $1 model: the option that shapes the flat digits for it (the MLP takes them flat)
    [ "$1" = mlp ] || echo --reshape
}

sizes() { # $1 convert's --json output: prints "total-sparsity flash-bytes" of its compression table
    python3 bench/topiary_json.py compression.sparsity% compression.constant_bytes < "$1"
}

correct() { # $1 model, $2 split, then options: prints "correct samples" of evaluate on the split
    model=$1 split=$2
    shift 2
    # shellcheck disable=SC2046,SC2086
    "$TOPIARY" evaluate "samples/models/$model/model.h5" "$@" --quantize int8 $CAL $(data "$split") $(reshape "$model") --json |
        python3 bench/topiary_json.py compressed.correct compressed.total | tr '\n' ' '
}

# $1 model, $2 scored split, then options: prints "correct samples total-sparsity flash-bytes".
score() {
    model=$1 split=$2
    shift 2
    # shellcheck disable=SC2086
    "$TOPIARY" convert "samples/models/$model/model.h5" -o "$WORK/c" "$@" --quantize int8 $CAL --json > "$WORK/convert.json"
    correct "$model" "$split" "$@"
    sizes "$WORK/convert.json"
}

# $1 model, $2 split chosen on, $3 split scored on, then budget options: the search chooses
# sparsities on $2 (convert's JSON records them as the --sparsity of its compression options),
# which are then scored on $3; prints what `score` prints, the sizes from the search's own
# compression table.
crossfit() {
    model=$1 choose=$2 split=$3
    shift 3
    # shellcheck disable=SC2046,SC2086
    "$TOPIARY" convert "samples/models/$model/model.h5" -o "$WORK/s" "$@" --quantize int8 $CAL $(data "$choose") $(reshape "$model") --json > "$WORK/search.json"
    # The options as recorded, one flag and its value per pair of words.
    set -- $(python3 -c 'import json, sys; o = json.load(sys.stdin)["compression"]["options"].split(); print(o[o.index("--sparsity") + 1], o[o.index("--prune-method") + 1])' < "$WORK/search.json")
    correct "$model" "$split" --sparsity "$1" --prune-method "$2"
    sizes "$WORK/search.json"
}

uniform_bytes() { # $1 model, $2 sparsity: flash bytes of the uniform OBS model, for the budgets
    # shellcheck disable=SC2086
    "$TOPIARY" convert "samples/models/$1/model.h5" -o "$WORK/u" --sparsity "$2" --prune-method obs --quantize int8 $CAL --json |
        python3 bench/topiary_json.py compression.constant_bytes
}

line() { # $1 label, $2 Keras top-1, $3 correct, $4 samples, $5 sparsity, $6 bytes
    awk -v l="$1" -v k="$2" -v c="$3" -v n="$4" -v s="$5" -v b="$6" \
        'BEGIN {a = 100 * c / n; printf "%-64s %8.2f %9s %11s %11s\n", l, a, sprintf("%+.2f", a - k), s, b}'
}

row() { # $1 model, $2 Keras, $3 label, then options: scored on all 360 test digits
    model=$1 reference=$2 label=$3
    shift 3
    # shellcheck disable=SC2046
    set -- $(score "$model" test "$@")
    line "$label" "$reference" "$1" "$2" "$3" "$4"
}

searched() { # $1 model, $2 Keras, $3 label, then budget options: cross-fitted
    model=$1 reference=$2 label=$3
    shift 3
    # shellcheck disable=SC2046
    set -- $(crossfit "$model" val holdout "$@") $(crossfit "$model" holdout val "$@")
    line "$label" "$reference" $(($1 + $5)) $(($2 + $6)) "$3/$7" "$4/$8"
}

trained() { # $1 model, $2 Keras, $3 label, then budget options: chosen on the training rest
    model=$1 reference=$2 label=$3
    shift 3
    # shellcheck disable=SC2046
    set -- $(crossfit "$model" rest test "$@")
    line "$label" "$reference" "$1" "$2" "$3" "$4"
}

header() {
    echo
    echo "== $1 (Keras top-1 $2% on the 360 test digits; int8; calibration 200 training digits)"
    printf '%-64s %8s %9s %11s %11s\n' "setting" "top-1" "vs Keras" "sparsity" "bytes"
}

uniform_rows() { # $1 model, $2 Keras, $3 sparsity: per layer and global, both methods
    for method in magnitude obs; do
        row "$1" "$2" "$(awk -v s="$3" 'BEGIN {print 100 * s}')% per layer, $method" --sparsity "$3" --prune-method $method
        row "$1" "$2" "$(awk -v s="$3" 'BEGIN {print 100 * s}')% global, $method" --sparsity "$3" --prune-scope global --prune-method $method
    done
}

# $1 model, $2 Keras, $3 sparsity of the uniform model whose bytes are the flash budget, $4
# accuracy budget: both budgets, both methods, chosen both ways.
search_rows() {
    bytes=$(uniform_bytes "$1" "$3")
    size="$(awk -v s="$3" 'BEGIN {print 100 * s}')% size"
    for method in magnitude obs; do
        searched "$1" "$2" "search on test halves: --flash-budget $bytes ($size), $method" --flash-budget "$bytes" --prune-method $method
        searched "$1" "$2" "search on test halves: --max-accuracy-drop $4, $method" --max-accuracy-drop "$4" --prune-method $method
        trained "$1" "$2" "search on training digits: --flash-budget $bytes, $method" --flash-budget "$bytes" --prune-method $method
        trained "$1" "$2" "search on training digits: --max-accuracy-drop $4, $method" --max-accuracy-drop "$4" --prune-method $method
    done
}

MLP=$(keras mlp)
header "digits MLP" "$MLP"
uniform_rows mlp "$MLP" 0.8
uniform_rows mlp "$MLP" 0.9
search_rows mlp "$MLP" 0.9 3

CNN=$(keras cnn)
header "digits CNN" "$CNN"
uniform_rows cnn "$CNN" 0.8
search_rows cnn "$CNN" 0.8 1.5
