#!/usr/bin/env python3
"""The classical-methods benchmark in scikit-learn, for comparison with `Latent.Benchmarks classical`.

Fashion-MNIST's 60,000 x 784 training images scaled to [0, 1] (float32): PCA-50 (full and randomized),
k-means k=10 (n_init 1 and 10), Gaussian mixtures k=10 (full and diagonal) on the PCA-50 features, and
factor analysis with 20 factors. Prints one table row per method: time and quality figure.

Run with Debian's python3-sklearn: OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/peers/sklearn_classical.py
(Debian's OpenBLAS 0.3.21 does not recognise Sapphire Rapids and otherwise falls back to a slow kernel.)
"""
import gzip
import os
import sys
import time

if "OPENBLAS_CORETYPE" not in os.environ and "avx512f" in open("/proc/cpuinfo").read():
    os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import PCA, FactorAnalysis  # noqa: E402
from sklearn.mixture import GaussianMixture  # noqa: E402

DEFAULT = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def load(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    count = int.from_bytes(raw[4:8], "big")
    return (np.frombuffer(raw, np.uint8, offset=16).reshape(count, -1).astype(np.float32) / 255.0)


def timed(fit):
    start = time.perf_counter()
    model = fit()
    return model, time.perf_counter() - start


def main():
    only = sys.argv[2].split(",") if len(sys.argv) > 2 and sys.argv[2] != "all" else None
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    x = load(sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "fashion-mnist" else DEFAULT)
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, data {x.shape[0]}x{x.shape[1]}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '')}, seed {seed}, load average {os.getloadavg()[0]:.2f}")
    print(f"{'method':<24} {'time s':>9} {'iterations':>10}  quality")
    rows = []

    def report(name, seconds, iterations, quality):
        rows.append(name)
        print(f"{name:<24} {seconds:9.2f} {iterations:>10}  {quality}", flush=True)

    def wanted(name):
        return only is None or any(name.startswith(o) for o in only)

    features = None
    for solver in ("full", "randomized"):
        if wanted(f"pca-{solver}") or (solver == "randomized" and (wanted("gmm-full") or wanted("gmm-diag"))):
            pca, seconds = timed(lambda: PCA(50, svd_solver=solver, random_state=seed).fit(x))
            report(f"pca-50 {solver}", seconds, "-", f"explained variance ratio {pca.explained_variance_ratio_.sum():.6f}")
            if solver == "randomized":
                features = pca.transform(x).astype(np.float32)
    for n_init in (1, 10):
        if wanted("kmeans-single" if n_init == 1 else "kmeans-restarts"):
            km, seconds = timed(lambda: KMeans(10, n_init=n_init, random_state=seed).fit(x))
            report(f"kmeans-10 n_init {n_init}", seconds, km.n_iter_, f"inertia {km.inertia_:.6e}")
    for covariance in ("full", "diag"):
        if wanted(f"gmm-{covariance}"):
            gmm, seconds = timed(lambda: GaussianMixture(10, covariance_type=covariance, random_state=seed).fit(features))
            report(f"gmm-10 {covariance}", seconds, gmm.n_iter_,
                   f"mean log-likelihood {gmm.score(features):.6f} (lower bound {gmm.lower_bound_:.6f}), BIC {gmm.bic(features):.6e}")
    if wanted("fa"):
        fa, seconds = timed(lambda: FactorAnalysis(20, random_state=seed).fit(x))
        report("fa-20", seconds, fa.n_iter_, f"mean log-likelihood {fa.score(x):.6f}")


if __name__ == "__main__":
    main()
