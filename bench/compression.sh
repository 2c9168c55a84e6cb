#!/bin/sh
# Compression benchmark on the digits MLP (samples/models/mlp), measured in one run:
#   1. top-1 accuracy on the 360 test digits: Keras float vs 50% pruning + int8;
#   2. the same at 80%, with per-layer and with global ranking;
#   3. at 80%: weights + indices + metadata bytes vs the float32 dense model's bytes;
#   4. at 90%: instructions executed by NAME_predict_int8 vs the dense float NAME_predict,
#      both compiled -O2 for the host, counted by valgrind's callgrind.
# Calibration: the first 200 training digits. Accuracy is given for magnitude pruning alone,
# with --reconstruct (refitting the weights pruning leaves), and with --prune-method obs
# (choosing them by saliency, then refitting; the default with calibration data, so the
# magnitude rows name their method). Topiary's figures are read from its --json output.
#
# Usage: bench/compression.sh            (from the repository root)
# Environment: SCRATCH (SwiftPM scratch path, default .build), CC (default cc).
set -eu

CC=${CC:-cc}
MODEL=samples/models/mlp/model.h5
DATA=samples/data
CAL="--calibration $DATA/digits_train_x.npy --calibration-samples 200"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/topiary-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

. bench/release_topiary.sh

evaluate() { # $@: compression options; prints "float compressed change" (percent, points)
    "$TOPIARY" evaluate "$MODEL" --input "$DATA/digits_test_x.npy" --labels "$DATA/digits_test_y.npy" "$@" --json |
        python3 bench/topiary_json.py float.accuracy compressed.accuracy change
}

echo "== Accuracy (top-1 on 360 test digits; Keras float is the first column)"
printf '%-66s %7s %11s %8s\n' "setting" "float" "compressed" "points"
for setting in \
    "--sparsity 0.5 --quantize int8 --prune-method magnitude" \
    "--sparsity 0.5 --quantize int8 --prune-method magnitude --reconstruct" \
    "--sparsity 0.8 --quantize int8 --prune-method magnitude" \
    "--sparsity 0.8 --quantize int8 --prune-method magnitude --reconstruct" \
    "--sparsity 0.8 --prune-scope global --quantize int8 --prune-method magnitude" \
    "--sparsity 0.8 --prune-scope global --quantize int8 --prune-method magnitude --reconstruct" \
    "--sparsity 0.5 --quantize int8 --prune-method obs" \
    "--sparsity 0.8 --quantize int8 --prune-method obs" \
    "--sparsity 0.8 --prune-scope global --quantize int8 --prune-method obs" \
    "--sparsity 0.9 --prune-scope global --quantize int8 --prune-method obs"; do
    # shellcheck disable=SC2086
    set -- $(evaluate $setting $CAL)
    printf '%-66s %7s %11s %8s\n' "$setting" "$1" "$2" "$3"
done

echo
echo "== Bytes at 80% and 90% (weights + indices + per-channel metadata vs float32 dense parameters)"
for setting in "--sparsity 0.8" "--sparsity 0.8 --prune-scope global" "--sparsity 0.9"; do
    # shellcheck disable=SC2086,SC2046
    set -- $("$TOPIARY" convert "$MODEL" -o "$WORK/bytes" --name digits $setting --prune-method magnitude --quantize int8 $CAL --json |
        python3 bench/topiary_json.py compression.bytes compression.float32_model_bytes)
    awk -v s="$setting" -v a="$1" -v b="$2" 'BEGIN {printf "%s: %d bytes of weights + indices + metadata = %.3f (1/%.1f) of float32\n", s, a, a / b, b / a}'
done

echo
echo "== Instructions at 90% (valgrind --tool=callgrind, one call per test digit, -O2)"
# shellcheck disable=SC2086
"$TOPIARY" convert "$MODEL" -o "$WORK/int8" --name digits --sparsity 0.9 --prune-method magnitude --quantize int8 $CAL >/dev/null
"$TOPIARY" convert "$MODEL" -o "$WORK/float" --name digits >/dev/null
# The test digits as raw float32: the .npy data is the file's last 360 * 64 * 4 bytes.
tail -c $((360 * 64 * 4)) "$DATA/digits_test_x.npy" > "$WORK/x.f32"
cat > "$WORK/int8/main.c" <<'C'
#include <stdio.h>
#include "digits.h"
int main(int argc, char **argv)
{
    static float x[360][DIGITS_INPUT_SIZE];
    int8_t q[DIGITS_INPUT_SIZE], y[DIGITS_OUTPUT_SIZE];
    long checksum = 0;
    int n, i;
    FILE *f = fopen(argv[argc - 1], "rb");
    if (f == NULL || fread(x, sizeof x, 1, f) != 1) return 2;
    for (n = 0; n < 360; ++n) {
        for (i = 0; i < DIGITS_INPUT_SIZE; ++i) q[i] = tp_quantize_one_f32(x[n][i], DIGITS_INPUT_SCALE, DIGITS_INPUT_ZERO_POINT);
        if (digits_predict_int8(q, y) != 0) return 3;
        checksum += y[0];
    }
    printf("%ld\n", checksum);
    return 0;
}
C
sed -i 's/#include "digits.h"/#include "digits.h"\n#include "tp_quantize_f32.h"/' "$WORK/int8/main.c"
cat > "$WORK/float/main.c" <<'C'
#include <stdio.h>
#include "digits.h"
int main(int argc, char **argv)
{
    static float x[360][DIGITS_INPUT_SIZE];
    float y[DIGITS_OUTPUT_SIZE], checksum = 0;
    int n;
    FILE *f = fopen(argv[argc - 1], "rb");
    if (f == NULL || fread(x, sizeof x, 1, f) != 1) return 2;
    for (n = 0; n < 360; ++n) {
        if (digits_predict(x[n], y) != 0) return 3;
        checksum += y[0];
    }
    printf("%f\n", checksum);
    return 0;
}
C
$CC -std=c99 -O2 -I "$WORK/int8" "$WORK/int8/digits.c" "$WORK/int8/main.c" -o "$WORK/int8/run" -lm
$CC -std=c99 -O2 -I "$WORK/float" "$WORK/float/digits.c" "$WORK/float/main.c" -o "$WORK/float/run" -lm
instructions() { # $1 program, $2 function: instructions executed inside the function
    valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" --toggle-collect="$2" "$1" "$WORK/x.f32" >/dev/null 2>&1
    awk '/^(summary|totals):/ {print $2; exit}' "$WORK/cg.out"
}
INT8=$(instructions "$WORK/int8/run" digits_predict_int8)
FLOAT=$(instructions "$WORK/float/run" digits_predict)
echo "digits_predict_int8 (90% sparse, int8): $INT8 instructions for 360 calls ($((INT8 / 360)) per call)"
echo "digits_predict (dense float32):         $FLOAT instructions for 360 calls ($((FLOAT / 360)) per call)"
awk -v a="$INT8" -v b="$FLOAT" 'BEGIN {printf "ratio: %.3f (1/%.1f)\n", a / b, b / a}'
