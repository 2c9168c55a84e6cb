"""Write the digits train/test split used by the sample models to samples/data/.

digits_*_x.npy: float32 [N, 64], the 8x8 pixel values (0..16) divided by 16.
digits_*_y.npy: int64 [N], the digit 0..9.

train (1437) and test (360) are what the sample models were trained and scored on. The test
digits are also split in two stratified halves for benchmarks that choose something on
labelled data: val (180) is what a budgeted search may choose on, holdout (180) is what the
choice is then scored on, so that no figure is measured on the data that selected it.
"""

import os

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from common import DATA_DIR


def main():
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=360, random_state=0, stratify=y)
    val, holdout = train_test_split(
        np.arange(len(y_test)), test_size=180, random_state=0, stratify=y_test)
    val, holdout = np.sort(val), np.sort(holdout)
    os.makedirs(DATA_DIR, exist_ok=True)
    for name, arr in [("digits_train_x", x_train), ("digits_train_y", y_train),
                      ("digits_test_x", x_test), ("digits_test_y", y_test),
                      ("digits_val_x", x_test[val]), ("digits_val_y", y_test[val]),
                      ("digits_holdout_x", x_test[holdout]), ("digits_holdout_y", y_test[holdout])]:
        arr = np.ascontiguousarray(arr)
        np.save(os.path.join(DATA_DIR, name + ".npy"), arr)
        print("%-16s %-8s %s" % (name, arr.dtype, arr.shape))


if __name__ == "__main__":
    main()
