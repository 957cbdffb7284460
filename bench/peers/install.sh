#!/usr/bin/env bash
# The peers' Debian packages: PyTorch, scikit-learn and numpy on OpenBLAS (without libopenblas0-pthread numpy runs on
# the reference BLAS and scikit-learn's PCA takes minutes), and Fashion-MNIST for the benchmarks' data.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq python3-numpy python3-sklearn python3-torch libopenblas0-pthread dataset-fashion-mnist
