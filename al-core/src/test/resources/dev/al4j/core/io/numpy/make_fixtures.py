# Writes the small .npy fixtures that NpyNumpyFixturesTest reads. Run from this directory with Debian's numpy:
#   apt-get install -y python3-numpy && /usr/bin/python3 make_fixtures.py
# The tests do not need Python; the generated files are committed.
import gzip
import numpy as np
from numpy.lib import format as fmt


def save(name, a, version=None):
    with open(name, "wb") as f:
        if version is None:
            np.save(f, a)
        else:
            fmt.write_array(f, a, version=version)


a = (np.arange(12, dtype=np.float32).reshape(3, 4) * 0.5 - 1)  # values -1.0, -0.5, ..., 4.5
save("f4_3x4_v1.npy", a, (1, 0))
save("f4_3x4_v2.npy", a, (2, 0))
save("f4_3x4_v3.npy", a, (3, 0))
save("f4_3x4_fortran.npy", np.asfortranarray(a))
save("f8_big_endian_2x3.npy", (np.arange(6, dtype=np.float64).reshape(2, 3) / 4).astype(">f8"))
save("i8_ids.npy", np.array([0, 5, 2**31 - 1, -7], dtype=np.int64))
save("i8_too_big.npy", np.array([1, 2**31], dtype=np.int64))
save("i4_labels.npy", np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype=np.int32))
save("u1_2x2x3.npy", np.arange(0, 240, 20, dtype=np.uint8).reshape(2, 2, 3))
save("b1_5.npy", np.array([True, False, True, True, False]))
save("f8_scalar.npy", np.float64(2.25))
save("f4_empty_0x3.npy", np.zeros((0, 3), dtype=np.float32))
save("i2_fortran_2x3x2.npy", np.asfortranarray(np.arange(12, dtype=np.int16).reshape(2, 3, 2) - 6))
with gzip.open("f4_3x4_v1.npy.gz", "wb") as g:
    np.save(g, a)
