"""Reference outputs for Mlx.Vision's ImageAugmenter: Keras ImageDataGenerator.apply_affine_transform
(keras/src/legacy/preprocessing/image.py), reproduced step by step with scipy.ndimage (order=1), on a
seeded random 4-channel 9x12 uint8 image. Run with /usr/bin/python3; writes keras_affine.json."""
import json
import numpy as np
import scipy
from scipy import ndimage


def transform_matrix_offset_center(matrix, x, y):
    o_x = float(x) / 2 - 0.5
    o_y = float(y) / 2 - 0.5
    offset_matrix = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset_matrix = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return offset_matrix @ matrix @ reset_matrix


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, fill_mode="nearest", cval=0.0, order=1):
    # x: (rows, cols, channels), as Keras with channel_axis=2.
    transform_matrix = None
    if theta != 0:
        theta = np.deg2rad(theta)
        transform_matrix = np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]])
    if tx != 0 or ty != 0:
        shift = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
        transform_matrix = shift if transform_matrix is None else transform_matrix @ shift
    if shear != 0:
        shear = np.deg2rad(shear)
        m = np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]])
        transform_matrix = m if transform_matrix is None else transform_matrix @ m
    if zx != 1 or zy != 1:
        m = np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
        transform_matrix = m if transform_matrix is None else transform_matrix @ m
    if transform_matrix is None:
        return x.astype(float)
    h, w = x.shape[0], x.shape[1]
    transform_matrix = transform_matrix_offset_center(transform_matrix, h, w)
    channels = np.rollaxis(x.astype(float), 2, 0)
    out = [ndimage.affine_transform(c, transform_matrix[:2, :2], transform_matrix[:2, 2], order=order, mode=fill_mode, cval=cval)
           for c in channels]
    return np.stack(out, axis=2)


rng = np.random.default_rng(7)
image = rng.integers(0, 256, size=(9, 12, 4)).astype(np.uint8)
cases = [
    dict(name="rotation", theta=17.0),
    dict(name="shift", tx=1.3, ty=-2.6),
    dict(name="shear", shear=11.0),
    dict(name="zoom", zx=0.8, zy=1.25),
    dict(name="combined", theta=-23.0, tx=0.7, ty=1.9, shear=6.0, zx=1.1, zy=0.9),
]
# Keras documents 'wrap' as abcd|abcd|abcd (period n): scipy's 'grid-wrap'. scipy's legacy 'wrap' uses period n - 1.
modes = {"nearest": "nearest", "constant": "constant", "reflect": "reflect", "wrap": "grid-wrap"}
results = []
for case in cases:
    params = {k: v for k, v in case.items() if k != "name"}
    for mode, scipy_mode in modes.items():
        out = apply_affine_transform(image, fill_mode=scipy_mode, cval=40.0, **params)
        results.append(dict(case=case["name"], params=params, fill_mode=mode, cval=40,
                            output=np.clip(np.round(out), 0, 255).astype(int).ravel().tolist()))
json.dump(dict(source="make_keras_affine.py", scipy=scipy.__version__, height=9, width=12, channels=4,
               image=image.astype(int).ravel().tolist(), results=results), open("keras_affine.json", "w"))
print(len(results), "cases written")
