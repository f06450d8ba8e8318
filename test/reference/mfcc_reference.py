#!/usr/bin/python3
"""Independent MFCC reference for test/featuresReference.test.ts, following meyda 5.6.3's
definition of Meyda.extract('mfcc', buffer) with numpy/scipy instead of JavaScript.

Definition (N = fftSize buffer: windowSize samples then zeros; M mel bands; C coefficients):
  w[n] = 0.5 - 0.5 cos(2 pi n / (N - 1))   over the whole N-sample buffer (meyda windows the padded buffer)
  P[k] = |FFT(x w)[k]|^2, k < N/2           (Nyquist bin unused)
  edges: M + 2 points equally spaced on mel = 1125 ln(1 + f/700) from 0 to sr/2, held in float32
         (meyda's Float32Array), bin b = floor((N + 1) f / sr)
  H[m][k]: rises (k - b[m]) / (b[m+1] - b[m]) on [b[m], b[m+1]), falls (b[m+2] - k) / (b[m+2] - b[m+1])
  E[m] = ln(1 + sum_k H[m][k] P[k])
  c = 2 * DCT-II(E) (scipy's unnormalised dct type 2), first C

Signal: x[n] = 0.5 sin(2 pi (f0 t + (f1 - f0) t^2 / (2 T))) + 0.1 sin(2 pi 3000 t), t = n / sr,
f0 = 100 Hz, f1 = 4000 Hz, T = 1 s, rounded to float32. Writes mfcc_chirp.json next to this file.
"""
import json
import os

import numpy as np
from scipy.fft import dct

SR, N, WIN, HOP, BANDS, COEFFS = 16000, 512, 400, 160, 40, 13
F0, F1, T = 100.0, 4000.0, 1.0
FRAMES = [0, 10, 37, 60, 95]


def chirp(length):
    t = np.arange(length) / SR
    x = 0.5 * np.sin(2 * np.pi * (F0 * t + (F1 - F0) * t * t / (2 * T))) + 0.1 * np.sin(2 * np.pi * 3000 * t)
    return x.astype(np.float32)


def mel_bank():
    hz_to_mel = lambda f: 1125 * np.log(1 + f / 700)
    mel_to_hz = lambda m: 700 * (np.exp(m / 1125) - 1)
    step = (hz_to_mel(SR / 2) - hz_to_mel(0)) / (BANDS + 1)
    mels = (np.arange(BANDS + 2) * step).astype(np.float32).astype(np.float64)
    freqs = mel_to_hz(mels).astype(np.float32).astype(np.float64)
    bins = np.floor((N + 1) * freqs / SR).astype(int)
    bank = np.zeros((BANDS, N // 2))
    for m in range(BANDS):
        lo, mid, hi = bins[m], bins[m + 1], bins[m + 2]
        for k in range(lo, min(hi, N // 2)):
            bank[m, k] = (k - lo) / (mid - lo) if k < mid else (hi - k) / (hi - mid)
    return bank


def mfcc(frame, bank):
    buf = np.zeros(N)
    buf[:WIN] = frame
    w = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N) / (N - 1))).astype(np.float32)
    power = np.abs(np.fft.rfft(buf * w))[: N // 2] ** 2
    energies = np.log(bank @ power + 1)
    return dct(energies, type=2)[:COEFFS]


def main():
    x = chirp(SR)
    bank = mel_bank()
    out = {
        "definition": "meyda 5.6.3 Meyda.extract('mfcc'), see mfcc_reference.py",
        "signal": {"f0": F0, "f1": F1, "T": T, "toneHz": 3000, "toneAmp": 0.1, "chirpAmp": 0.5, "length": SR},
        "config": {"sampleRate": SR, "windowSize": WIN, "fftSize": N, "hop": HOP, "melBands": BANDS, "coefficients": COEFFS},
        "frames": [
            {"index": n, "mfcc": [round(float(v), 9) for v in mfcc(x[n * HOP : n * HOP + WIN], bank)]} for n in FRAMES
        ],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mfcc_chirp.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
