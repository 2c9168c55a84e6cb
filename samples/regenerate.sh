#!/bin/sh
# Regenerate everything under samples/ (data, models, zoo, unsupported, bad).
# Usage: sh samples/regenerate.sh   (from anywhere; needs the packages in requirements.txt)
set -eu
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
"$PYTHON" make_data.py
"$PYTHON" make_models.py
"$PYTHON" make_models_keras2.py
"$PYTHON" make_recurrent_int8.py
"$PYTHON" make_recurrent_int8.py --keras2
"$PYTHON" make_zoo.py
"$PYTHON" make_zoo_keras2.py
"$PYTHON" make_bad.py
"$PYTHON" make_extremes.py
"$PYTHON" make_hdf5_types.py
