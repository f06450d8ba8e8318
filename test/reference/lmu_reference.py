#!/usr/bin/env python3
"""Independent reference values for src/lmu/matrices.ts, from scipy.signal.cont2discrete.

Writes test/reference/lmu_reference.json next to this script. Run:
    /usr/bin/python3 test/reference/lmu_reference.py

Small systems are stored whole (A row-major, B); large ones as summaries (B, diagonal,
first/last row of A, Frobenius norm, spectral radius) to keep the fixture small.
"""
import json
import os

import numpy as np
import scipy
from scipy.signal import cont2discrete


def continuous(order):
    q = np.arange(order, dtype=np.float64)
    r = (2 * q + 1)[:, None]
    j, i = np.meshgrid(q, q)
    a = np.where(i < j, -1.0, (-1.0) ** (i - j + 1)) * r
    b = ((-1.0) ** q)[:, None] * r
    return a, b


def discrete(order, theta, method):
    a, b = continuous(order)
    if method == "euler":
        return np.eye(order) + a / theta, b[:, 0] / theta
    ad, bd, *_ = cont2discrete(
        (a / theta, b / theta, np.eye(order), np.zeros((order, 1))), dt=1.0, method="zoh"
    )
    return ad, bd[:, 0]


def main():
    full, summary = [], []
    for order in (1, 2, 4, 6, 16, 32):
        for theta in (1, 10, 100, 1000, 10000):
            for method in ("zoh", "euler"):
                a, b = discrete(order, theta, method)
                full.append(dict(order=order, theta=theta, discretizer=method,
                                 A=a.ravel().tolist(), B=b.tolist()))
    for order in (64, 128, 256, 512):
        for theta in (1, 100, 10000):
            a, b = discrete(order, theta, "zoh")
            summary.append(dict(
                order=order, theta=theta, discretizer="zoh", B=b.tolist(),
                diag=np.diag(a).tolist(), firstRow=a[0].tolist(), lastRow=a[-1].tolist(),
                frobenius=float(np.linalg.norm(a)),
                spectralRadius=float(np.max(np.abs(np.linalg.eigvals(a)))),
            ))
    out = dict(generator="scipy.signal.cont2discrete(method='zoh', dt=1)",
               scipy=scipy.__version__, numpy=np.__version__, full=full, summary=summary)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lmu_reference.json")
    with open(path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
