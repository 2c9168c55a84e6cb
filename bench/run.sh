#!/usr/bin/env bash
# Topiary's benchmark beside TFLite int8 and emlearn (`make bench`).
#
# Builds topiary, installs the peers into a venv under bench/work/ (from PyPI, at benchmark
# time; nothing of it is committed), then runs bench/bench.py, which measures everything in
# one run and writes bench/RESULTS.md, bench/results.json and the SVG plots.
#
# Environment:
#   BENCH_QUICK=1   smoke run (2 models, 4 variants, 40 inferences, the 1M scale model only),
#                   written to bench/work/quick/ so the committed results stay as they are
#   SCRATCH         SwiftPM scratch path for the build (default .build)
#   BENCH_WORK      work folder (default bench/work)
#   PYTHON          Python with NumPy that runs the benchmark (default python3)
set -euo pipefail

cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
WORK=${BENCH_WORK:-bench/work}
PYTHON=${PYTHON:-python3}
OUT=bench
QUICK=()
if [ "${BENCH_QUICK:-0}" != "0" ]; then
    OUT=$WORK/quick
    QUICK=(--quick)
fi
mkdir -p "$WORK" "$OUT"

# Tools the measurements need beyond the build's (valgrind comes with scripts/install-deps.sh).
missing=()
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1; then
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        echo "Installing ${missing[*]}"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "error: install ${missing[*]} first" >&2
        exit 1
    fi
fi

echo "== Building topiary (release)"
swift build -c release --scratch-path "$SCRATCH" --product topiary
TOPIARY="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/topiary"

# The peers, pinned: TensorFlow and Keras as the samples were made with, TFLite Micro's
# interpreter, emlearn. One pip call per peer, so one that cannot be installed only skips
# itself; bench.py notes what is missing in the report.
echo "== Installing the peers into $WORK/venv"
VENV_PYTHON=""
if [ -x "$WORK/venv/bin/python" ] || "$PYTHON" -m venv "$WORK/venv"; then
    VENV_PYTHON="$WORK/venv/bin/python"
    for peer in "tensorflow-cpu==2.21.0 keras==3.15.1 h5py==3.14.0 numpy==2.4.6" \
                "tflite-micro==0.dev20261023182759" "emlearn==0.23.2"; do
        # shellcheck disable=SC2086
        "$VENV_PYTHON" -m pip install -q $peer || echo "note: pip could not install $peer; the benchmark skips what needs it"
    done
else
    echo "note: could not create a venv; TFLite, TFLite Micro, emlearn and the scale models are skipped"
fi

echo "== Measuring"
exec "$PYTHON" bench/bench.py --topiary "$TOPIARY" --work "$WORK" --out "$OUT" \
    ${VENV_PYTHON:+--venv-python "$VENV_PYTHON"} "${QUICK[@]}"
