"""Writes samples/hdf5/types.h5: one small file with every HDF5 type the reader must handle.

Run from anywhere: python3 samples/make_hdf5_types.py
"""
import os

import h5py
import numpy as np

with h5py.File(os.path.join(os.path.dirname(os.path.abspath(__file__)), "hdf5", "types.h5"), "w") as f:
    f.create_dataset("float16", data=np.array([[0.5, -1.25, 65504.0], [1e-3, 0.0, -2.0]], dtype=np.float16))
    f.create_dataset("float32", data=np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8)
    f.create_dataset("float64", data=np.array([1.0 / 3.0, -2.5], dtype=np.float64))
    f.create_dataset("int8", data=np.array([-128, 0, 127], dtype=np.int8))
    f.create_dataset("uint16", data=np.array([0, 65535], dtype=np.uint16))
    f.create_dataset("int64", data=np.array([[-(2**40), 7]], dtype=np.int64))
    f.create_dataset("scalar", data=np.float32(3.5))
    f.create_dataset("empty", data=np.zeros((0, 4), dtype=np.float32))
    f.create_dataset("strings", data=np.array([b"alpha", b"beta"]))
    # Declares 2^40 elements without storing any: readers must refuse before allocating.
    f.create_dataset("huge", shape=(2**20, 2**20), dtype=np.float32, chunks=(64, 64))
    group = f.create_group("group/nested")
    group.create_dataset("leaf", data=np.ones(3, dtype=np.float32))
    f.attrs["variable_string"] = "variable length \u00e9"
    f.attrs["fixed_string"] = np.bytes_(b"fixed length")
    f.attrs["fixed_padded"] = np.array(b"padded", dtype="S12")
    f.attrs["string_array"] = np.array([b"fc1", b"dropout", b"fc2"])
    f.attrs["variable_array"] = np.array(["one", "two"], dtype=h5py.string_dtype())
    f.attrs["empty_list"] = np.array([], dtype=np.float64)
    f.attrs["numbers"] = np.array([1.5, 2.5])
    # A string array too large for one attribute, split as Keras splits layer_names.
    f.attrs["split_names0"] = np.array([b"a", b"b"])
    f.attrs["split_names1"] = np.array([b"c"])
