#!/usr/bin/python3
"""Writes digits-28x28.npy: scikit-learn's 1 797 handwritten digits (8x8, BSD licence, shipped with Debian's
python3-sklearn, no download), upscaled to 28x28 by bilinear interpolation and scaled to [0, 1] like al4j's
Fashion-MNIST pixels: the out-of-distribution set of the SCAL study (Fashion-MNIST is in-distribution).
Usage: /usr/bin/python3 make-digits.py OUT.npy"""
import sys

import numpy as np
from scipy.ndimage import zoom
from sklearn.datasets import load_digits

images = load_digits().images.astype(np.float64) / 16.0            # [1797, 8, 8] in [0, 1]
upscaled = np.stack([zoom(im, 28 / 8, order=1) for im in images])  # [1797, 28, 28]
upscaled = np.clip(upscaled, 0.0, 1.0).astype(np.float32)
np.save(sys.argv[1], upscaled.reshape(len(upscaled), 28 * 28))
print(sys.argv[1], upscaled.shape, float(upscaled.min()), float(upscaled.max()))
