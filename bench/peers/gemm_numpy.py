#!/usr/bin/env python3
"""SGEMM throughput with numpy + OpenBLAS on the shapes of `dotnet run -c Release --project
bench/Latent.Benchmarks -- gemm`: a VAE's 784 -> 400 layer with a batch of 128 (forward x.W^T, input
gradient G.W, weight gradient G^T.X) and 1024^3, timed the same way (warm-up, then the median and the best
of 15 samples, each repeating the product for at least 20 ms), on 2 threads and on 1.

Run: OPENBLAS_CORETYPE=SkylakeX python3 bench/peers/gemm_numpy.py
(Debian's OpenBLAS 0.3.21 does not recognise these CPUs and falls back to a slow kernel unless told the
core type; on an AVX2-only CPU use OPENBLAS_CORETYPE=Haswell. Use the python3 that has Debian's numpy,
/usr/bin/python3 if another python3 comes first on the PATH.)
"""

import sys
import time

try:
    import numpy as np
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError as error:
    sys.exit(f"gemm_numpy.py needs numpy and threadpoolctl ({error}); run it with Debian's /usr/bin/python3.")

SAMPLES = 15
SAMPLE_TIME = 0.020

SHAPES = [
    # name, form, m, n, k
    ("forward x·Wᵀ   128×400×784", "ABt", 128, 400, 784),
    ("dX = G·W       128×784×400", "AB", 128, 784, 400),
    ("dW = Gᵀ·X      400×784×128", "AtB", 400, 784, 128),
    ("1024³ A·B", "AB", 1024, 1024, 1024),
]


def operands(form, m, n, k, rng):
    """op(A) and op(B) as numpy views over arrays stored the way Latent stores them."""
    a = rng.standard_normal((k, m) if form == "AtB" else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if form == "ABt" else (k, n), dtype=np.float32)
    return (a.T if form == "AtB" else a), (b.T if form == "ABt" else b)


def measure(form, m, n, k):
    rng = np.random.default_rng(42)
    a, b = operands(form, m, n, k, rng)
    c = np.empty((m, n), dtype=np.float32)
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < 5 * SAMPLE_TIME or calls < 3:
        np.matmul(a, b, out=c)
        calls += 1
    per_sample = max(1, calls // 5)
    seconds = []
    for _ in range(SAMPLES):
        t = time.perf_counter()
        for _ in range(per_sample):
            np.matmul(a, b, out=c)
        seconds.append((time.perf_counter() - t) / per_sample)
    seconds.sort()
    flops = 2.0 * m * n * k
    return flops / seconds[SAMPLES // 2] / 1e9, flops / seconds[0] / 1e9


def main():
    blas = [info for info in threadpool_info() if info.get("internal_api") == "openblas"]
    if not blas:
        sys.exit("numpy is not using OpenBLAS; these figures would not be comparable.")
    info = blas[0]
    corename = ""
    try:
        import ctypes
        lib = ctypes.CDLL(info["filepath"])
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        corename = lib.openblas_get_corename().decode()
        print(f"OpenBLAS {info['version']} config: {lib.openblas_get_config().decode()}")
    except (OSError, AttributeError):
        print(f"OpenBLAS {info['version']} (its configuration is not exported)")
    print(f"OpenBLAS corename {corename or info.get('architecture')}, {info['num_threads']} threads available, "
          f"numpy {np.__version__}, GFLOP/s as median (best) of {SAMPLES} samples")
    print(f"{'shape (m×n×k)':<30} {'form':<5} {'threads':>7} {'median':>8} {'best':>8}")
    for threads in (2, 1):
        with threadpool_limits(limits=threads, user_api="blas"):
            used = [i["num_threads"] for i in threadpool_info() if i.get("internal_api") == "openblas"][0]
            if used != threads:
                sys.exit(f"OpenBLAS runs {used} threads where {threads} were asked.")
            for name, form, m, n, k in SHAPES:
                median, best = measure(form, m, n, k)
                print(f"{name:<30} {form:<5} {threads:>7} {median:8.1f} {best:8.1f}")


if __name__ == "__main__":
    main()
