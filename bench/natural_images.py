"""Natural 32x32 images for the CIFAR-10 ResNet-8, from photographs bundled offline in Python
packages: scikit-learn's two sample photographs and scikit-image's (`skimage.data`).

CIFAR-10 images are whole scenes and objects seen at 32x32, not small patches of a larger
photograph: a network trained on them gives low-margin, unstable answers on 32x32 crops of a
tenth of a photograph. The views here are the whole photograph or a large square part of it
(a third of the shorter side to all of it), at a random place (shifts), flipped left-right
half the time, downscaled with antialiasing as CIFAR-10's images were. Greyscale photographs
are repeated over the three channels.

The training and held-out views come from different photographs (`TRAINING`, `HELD_OUT`), so
agreement on the held-out set measures a model on images it has never seen any part of.
Pixels are raw 0..255 float32, the range the MLPerf Tiny ResNet-8 was trained on.
"""
import numpy as np
from PIL import Image

# Photographs, by loader name; the held-out ones share nothing with the training ones.
TRAINING = ["china", "flower", "astronaut", "rocket", "camera", "coins", "moon", "hubble_deep_field"]
HELD_OUT = ["chelsea", "coffee", "stereo_motorcycle"]


def photograph(name):
    """The photograph `name` as uint8 RGB [height, width, 3]."""
    if name in ("china", "flower"):
        from sklearn.datasets import load_sample_image
        image = load_sample_image(name + ".jpg")
    else:
        import skimage.data
        image = getattr(skimage.data, name)()
        if isinstance(image, tuple):  # a stereo pair: its left view
            image = image[0]
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    return np.ascontiguousarray(image[:, :, :3])


def views(names, count, rng, size=32, scale_range=(1 / 3, 1.0)):
    """`count` views [count, size, size, 3] float32 of the photographs `names`, taken in turn:
    the first view of each photograph is its centred square whole, the others square parts
    of `scale_range` of its shorter side at random places, each flipped half the time."""
    photos = [photograph(name) for name in names]
    out = []
    for k in range(count):
        photo = photos[k % len(photos)]
        height, width = photo.shape[:2]
        shorter = min(height, width)
        if k < len(photos):
            side = shorter
            top, left = (height - side) // 2, (width - side) // 2
        else:
            side = max(size, int(shorter * rng.uniform(*scale_range)))
            top = int(rng.integers(0, height - side + 1))
            left = int(rng.integers(0, width - side + 1))
        patch = Image.fromarray(photo[top:top + side, left:left + side])
        if k >= len(photos) and rng.random() < 0.5:
            patch = patch.transpose(Image.FLIP_LEFT_RIGHT)
        out.append(np.asarray(patch.resize((size, size), Image.LANCZOS)))
    return np.stack(out).astype(np.float32)


def training_and_held_out(train_count, test_count, seed=20261205):
    """The training views and the held-out views, seeded."""
    rng = np.random.default_rng(seed)
    return views(TRAINING, train_count, rng), views(HELD_OUT, test_count, rng)
