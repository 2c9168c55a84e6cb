"""CIFAR-10 test images and other small natural object images, from a pinned PyPI package.

Foolbox 3.3.4 (MIT licence, Copyright (c) 2020 Jonas Rauber et al.) ships, for its examples,
sample images in `foolbox/data/`: the first 20 images of the CIFAR-10 test set (32x32 RGB, the
class at the end of the file name), the first 20 of the CIFAR-100 test set (32x32 RGB) and 20
ImageNet validation photographs (512x512, one 1024x683). CIFAR-10 and CIFAR-100 are Alex
Krizhevsky's data sets (Learning Multiple Layers of Features from Tiny Images, 2009), published
for research use; ImageNet's photographs are for non-commercial research. They serve here as
benchmark inputs only, and nothing of them is committed: `pip download --no-deps` fetches the
wheel (checked against its sha256) and the images are read from it as a zip archive. Foolbox
is never installed nor imported.

The held-out views are the 20 CIFAR-10 test images, the distribution ResNet-8 was trained on:
each image as it is, mirrored, and shifted by up to `SHIFT` pixels (edges replicated), mirrored
or not, as CIFAR-10 training augments them. No part of them is trained on. The training views
(calibration and fine-tuning data) come from the other images: the 20 CIFAR-100 test images
shifted and mirrored the same way, with their colour balance and brightness changed, and the
ImageNet photographs as `natural_images` takes photographs (whole, or a large square part at a
random place, mirrored half the time, downscaled with antialiasing), in turn with the varied
views of the photographs bundled with scikit-image and scikit-learn (`natural_images`).
Pixels are raw 0..255 float32, the range the MLPerf Tiny ResNet-8 was trained on.
"""
import hashlib
import io
import os
import subprocess
import sys
import zipfile

import numpy as np
from PIL import Image

import natural_images

PACKAGE = "foolbox==3.3.4"
WHEEL = "foolbox-3.3.4-py3-none-any.whl"
WHEEL_SHA256 = "11049d515d38e765e206a73ace9cc648b81a0d6d1da9ad9057e149ee117989cb"
# Shifts of the 32x32 images, in pixels, either way (CIFAR-10 training pads by 4 and crops).
SHIFT = 3


def wheel(directory):
    """The path of the Foolbox wheel in `directory`, downloading it there first if needed."""
    path = os.path.join(directory, WHEEL)
    if not os.path.exists(path):
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                        PACKAGE, "--dest", directory], check=True)
    with open(path, "rb") as file:
        digest = hashlib.sha256(file.read()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{path}: sha256 {digest}, expected {WHEEL_SHA256}; delete it and run again")
    return path


def images(directory, prefix):
    """The images of the wheel's `foolbox/data/` whose names start with `prefix`, in name order,
    as uint8 RGB arrays, with the number after the last underscore of each name (its class)."""
    with zipfile.ZipFile(wheel(directory)) as archive:
        names = sorted(name for name in archive.namelist() if name.startswith("foolbox/data/" + prefix + "_"))
        out = [np.asarray(Image.open(io.BytesIO(archive.read(name))).convert("RGB")) for name in names]
    classes = [int(os.path.splitext(name)[0].rsplit("_", 1)[1]) for name in names]
    return out, classes


def shifted(image, rng, mirrored, shift=SHIFT):
    """`image` [32, 32, 3] shifted by up to `shift` pixels each way at random (edges replicated),
    mirrored left-right when `mirrored`, float32."""
    size = image.shape[0]
    padded = np.pad(image, ((shift, shift), (shift, shift), (0, 0)), mode="edge")
    top, left = rng.integers(0, 2 * shift + 1, 2)
    out = padded[top:top + size, left:left + size]
    return (out[:, ::-1] if mirrored else out).astype(np.float32)


def held_out(directory, count, seed):
    """`count` views [count, 32, 32, 3] of the CIFAR-10 test images, taken in turn: each image as
    it is, then mirrored, then shifted at random, mirrored every other round; and the class of
    each view."""
    tiny, classes = images(directory, "cifar10")
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        image, round_ = tiny[k % len(tiny)], k // len(tiny)
        out.append(image.astype(np.float32) if round_ == 0 else
                   image[:, ::-1].astype(np.float32) if round_ == 1 else shifted(image, rng, round_ % 2 == 1))
    return np.stack(out), np.array([classes[k % len(tiny)] for k in range(count)])


def training(directory, count, seed):
    """`count` training views [count, 32, 32, 3]: in turn a CIFAR-100 image (shifted, mirrored
    half the time, colour balance scaled by 0.8...1.2 and brightness shifted by up to ±20), a
    view of an ImageNet photograph, and a varied view of the bundled photographs."""
    rng = np.random.default_rng(seed)
    tiny, _ = images(directory, "cifar100")
    photographs, _ = images(directory, "imagenet")
    varied = natural_images.varied_views((count + 2) // 3, rng)
    out = []
    for k in range(count):
        turn, source = k // 3, k % 3
        if source == 0:
            image = shifted(tiny[turn % len(tiny)], rng, rng.random() < 0.5)
            out.append(np.clip(image * rng.uniform(0.8, 1.2, 3) + rng.uniform(-20, 20), 0, 255))
        elif source == 1:
            photo = photographs[turn % len(photographs)]
            out.append(natural_images.view(photo, rng, turn < len(photographs), 32, (0.4, 1.0)))
        else:
            out.append(varied[turn])
    return np.stack(out).astype(np.float32)


def training_and_held_out(directory, train_count, test_count, seed=20261205):
    """The training views and the held-out CIFAR-10 views with their classes, each seeded."""
    os.makedirs(directory, exist_ok=True)
    held, classes = held_out(directory, test_count, seed + 1)
    return training(directory, train_count, seed), held, classes
