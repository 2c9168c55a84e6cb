"""Makes the MLPerf Tiny benchmark inputs, in the range each model was trained on.

    python3 bench/mlperf-tiny/make_inputs.py     (NumPy, scikit-learn and Pillow)

Writes, beside this script:
  - resnet_input.npy  [64, 32, 32, 3] float32, raw pixels 0..255: crops of scikit-learn's two
    bundled sample photographs (china.jpg, flower.jpg), downscaled to CIFAR-10's size;
  - vww_input.npy     [16, 96, 96, 3] float32, 0..1: larger crops of the same photographs;
  - ad_input.npy      [64, 640] float32: five frames of 128 smooth log-mel-like bins (a
    spectral tilt, a few formant-like bumps and slow variation over time, about -70..5 dB).
The first half of each file calibrates the int8 conversions, the second half is measured.
Seeded: the same files every run.
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
# Samples per file: fewer for the 96x96 images, which are 108 KB each as float32.
COUNTS = {"resnet": 64, "vww": 16, "ad": 64}
rng = np.random.default_rng(20261204)


def crops(size, count, scale_range):
    """`count` square crops of the sample photographs resized to size x size, uint8 RGB."""
    # Imported here so that the autoencoder's frames need NumPy alone (bench/mlperf.py makes
    # its calibration frames with `log_mel_frames`).
    from PIL import Image
    from sklearn.datasets import load_sample_images

    photos = load_sample_images().images
    out = []
    for k in range(count):
        photo = photos[k % len(photos)]
        height, width = photo.shape[:2]
        side = int(min(height, width) * rng.uniform(*scale_range))
        top = rng.integers(0, height - side + 1)
        left = rng.integers(0, width - side + 1)
        patch = Image.fromarray(photo[top:top + side, left:left + side])
        if rng.random() < 0.5:
            patch = patch.transpose(Image.FLIP_LEFT_RIGHT)
        out.append(np.asarray(patch.resize((size, size), Image.BILINEAR)))
    return np.stack(out).astype(np.float32)


BINS = np.arange(128) / 127.0


def sound(rng):
    """One sound's smooth log-mel-like spectrum in dB over the 128 bins, drawn from `rng`."""
    base = rng.uniform(-35, -15) - rng.uniform(15, 30) * BINS              # spectral tilt
    for _ in range(rng.integers(2, 5)):                                    # formant-like bumps
        centre, width = rng.uniform(0.05, 0.8), rng.uniform(0.02, 0.1)
        base = base + rng.uniform(5, 20) * np.exp(-0.5 * ((BINS - centre) / width) ** 2)
    return base


def log_mel_frames(count, rng=rng):
    """[count, 640]: 5 frames x 128 bins of smooth log-mel-like energies in dB, drawn from
    `rng`, each window a sound of its own."""
    out = []
    for _ in range(count):
        base = sound(rng)
        frames = []
        for t in range(5):
            drift = rng.normal(0, 1.5) + 2.0 * np.sin(2 * np.pi * (BINS * rng.uniform(1, 3) + t / 5))
            frames.append(base + drift + rng.normal(0, 1.0, 128))
        out.append(np.clip(np.concatenate(frames), -70, 5))
    return np.stack(out).astype(np.float32)


def log_mel_clips(clips, windows, rng):
    """[clips * windows, 640]: per clip one sound (`sound`) over `windows + 4` frames, each with
    its own drift and noise, cut into `windows` sliding windows of 5 consecutive frames, as
    MLPerf's anomaly detection feeds a clip to the model."""
    out = []
    for _ in range(clips):
        base = sound(rng)
        rate = rng.uniform(1, 3)
        frames = np.clip(np.stack([base + rng.normal(0, 1.5) + 2.0 * np.sin(2 * np.pi * (BINS * rate + t / 5))
                                   + rng.normal(0, 1.0, 128) for t in range(windows + 4)]), -70, 5)
        out += [frames[k:k + 5].reshape(-1) for k in range(windows)]
    return np.stack(out).astype(np.float32)


def main():
    np.save(os.path.join(HERE, "resnet_input.npy"), crops(32, COUNTS["resnet"], (0.08, 0.3)))
    np.save(os.path.join(HERE, "vww_input.npy"), crops(96, COUNTS["vww"], (0.3, 0.9)) / np.float32(255))
    np.save(os.path.join(HERE, "ad_input.npy"), log_mel_frames(COUNTS["ad"]))


if __name__ == "__main__":
    main()
