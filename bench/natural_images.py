"""Natural 32x32 images for the CIFAR-10 ResNet-8, from photographs bundled offline in Python
packages: scikit-learn's two sample photographs and scikit-image's (`skimage.data`).

CIFAR-10 images are whole scenes and objects seen at 32x32, not small patches of a larger
photograph: a network trained on them gives low-margin, unstable answers on 32x32 crops of a
tenth of a photograph. The views here are the whole photograph or a large square part of it
(a third of the shorter side to all of it), at a random place (shifts), flipped left-right
half the time, downscaled with antialiasing as CIFAR-10's images were. Greyscale photographs
are repeated over the three channels.

The training and held-out views come from different photographs (`TRAINING`, `HELD_OUT`), so
agreement on the held-out set measures a model on images it has never seen any part of; the
held-out views have their own seed, so they are the same whatever the training views are.
Varied training views (the default) draw on every further image scikit-image bundles
(`VARIED`: textures, microscopy, a clock, faces, drawings), change each view's colour balance
and brightness, and blend a third of them with a second view: distillation learns from the
teacher's answers wherever it is asked, and eight photographs ask it too little.
Pixels are raw 0..255 float32, the range the MLPerf Tiny ResNet-8 was trained on.
"""
import numpy as np
from PIL import Image

# Photographs, by loader name; the held-out ones share nothing with the training ones
# (scikit-image's `cat` is `chelsea`, so it is in neither list).
TRAINING = ["china", "flower", "astronaut", "rocket", "camera", "coins", "moon", "hubble_deep_field"]
VARIED = ["brick", "cell", "clock", "colorwheel", "grass", "gravel", "immunohistochemistry", "logo", "page", "retina",
          "text", "horse", "checkerboard", "microaneurysms"]
HELD_OUT = ["chelsea", "coffee", "stereo_motorcycle"]
# Faces of scikit-image's `lfw_subset` (25x25 greyscale) used among the varied views.
FACES = 100


def as_rgb(image):
    """`image` (greyscale, boolean, float 0..1, RGB or RGBA) as uint8 RGB [height, width, 3]."""
    image = np.asarray(image)
    if image.dtype == bool:
        image = image.astype(np.uint8) * 255
    elif image.dtype.kind == "f":
        image = np.clip(image * 255, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    return np.ascontiguousarray(image[:, :, :3])


def photograph(name):
    """The photograph `name` as uint8 RGB [height, width, 3]."""
    if name in ("china", "flower"):
        from sklearn.datasets import load_sample_image
        return as_rgb(load_sample_image(name + ".jpg"))
    import skimage.data
    image = getattr(skimage.data, name)()
    if isinstance(image, tuple):  # a stereo pair: its left view
        image = image[0]
    return as_rgb(image)


def faces(count):
    """The first `count` faces of scikit-image's `lfw_subset`, uint8 RGB."""
    import skimage.data
    return [as_rgb(face) for face in skimage.data.lfw_subset()[:count]]


def view(photo, rng, whole, size, scale_range):
    """One view of `photo`: its centred square whole, or a square part of `scale_range` of its
    shorter side at a random place flipped half the time; downscaled to `size`, uint8."""
    height, width = photo.shape[:2]
    shorter = min(height, width)
    if whole:
        side = shorter
        top, left = (height - side) // 2, (width - side) // 2
    else:
        side = max(min(size, shorter), int(shorter * rng.uniform(*scale_range)))
        top = int(rng.integers(0, height - side + 1))
        left = int(rng.integers(0, width - side + 1))
    patch = Image.fromarray(photo[top:top + side, left:left + side])
    if not whole and rng.random() < 0.5:
        patch = patch.transpose(Image.FLIP_LEFT_RIGHT)
    return np.asarray(patch.resize((size, size), Image.LANCZOS)).astype(np.float32)


def views(names, count, rng, size=32, scale_range=(1 / 3, 1.0)):
    """`count` views [count, size, size, 3] float32 of the photographs `names`, taken in turn:
    the first view of each photograph is its centred square whole, the others square parts
    of `scale_range` of its shorter side at random places, each flipped half the time."""
    photos = [photograph(name) for name in names]
    out = [view(photos[k % len(photos)], rng, k < len(photos), size, scale_range) for k in range(count)]
    return np.stack(out).astype(np.float32)


def varied_views(count, rng, size=32, scale_range=(1 / 3, 1.0), blended=1 / 3):
    """`count` training views of `TRAINING`, `VARIED` and faces: each image's whole first,
    then parts as `views` takes them, each with its channels scaled by 0.7...1.3 and its
    brightness shifted by up to ±30; `blended` of them mixed with another such view (a weight
    of 0.2...0.8 on the first)."""
    photos = [photograph(name) for name in TRAINING + VARIED] + faces(FACES)

    def one(k):
        photo = photos[k % len(photos)] if k < len(photos) else photos[int(rng.integers(len(photos)))]
        image = view(photo, rng, k < len(photos), size, scale_range)
        image = image * rng.uniform(0.7, 1.3, 3) + rng.uniform(-30, 30)
        return np.clip(image, 0, 255)

    out = []
    for k in range(count):
        image = one(k)
        if k >= len(photos) and rng.random() < blended:
            weight = rng.uniform(0.2, 0.8)
            image = weight * image + (1 - weight) * one(len(photos))
        out.append(image)
    return np.stack(out).astype(np.float32)


def training_and_held_out(train_count, test_count, seed=20261205, varied=True):
    """The training views (`varied_views`, or with `varied` false `views` of `TRAINING`
    alone) and the held-out views, each seeded."""
    rng = np.random.default_rng(seed)
    train = varied_views(train_count, rng) if varied else views(TRAINING, train_count, rng)
    return train, views(HELD_OUT, test_count, np.random.default_rng(seed + 1))
