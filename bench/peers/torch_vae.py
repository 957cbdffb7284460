#!/usr/bin/env python3
"""The reference VAE (784-400-20, Bernoulli decoder, Adam 1e-3, batch 128) on Fashion-MNIST, in PyTorch.

The same model and data as `latent`'s `vae` benchmark, for comparison on the same machine:

    OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=1 python3 bench/peers/torch_vae.py [--epochs 10]

Prints seconds per epoch and the mean test loss (negative ELBO in nats per image) after the last epoch.
Pixels are scaled to [0, 1] and used as Bernoulli targets, as in PyTorch's own VAE example.
"""
import argparse
import statistics
import time

import torch
from torch import nn
from torch.nn import functional as F

from fashion_mnist import FASHION, read_idx_images


class Vae(nn.Module):
    def __init__(self, inputs=784, hidden=400, latent=20):
        super().__init__()
        self.fc1 = nn.Linear(inputs, hidden)
        self.fc21 = nn.Linear(hidden, latent)
        self.fc22 = nn.Linear(hidden, latent)
        self.fc3 = nn.Linear(latent, hidden)
        self.fc4 = nn.Linear(hidden, inputs)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def loss_sum(logits, x, mu, logvar):
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kl = 0.5 * torch.sum(mu.pow(2) + logvar.exp() - 1 - logvar)
    return bce + kl


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    train = read_idx_images(f"{FASHION}/train-images-idx3-ubyte.gz").flatten(1)
    test = read_idx_images(f"{FASHION}/t10k-images-idx3-ubyte.gz").flatten(1)
    model = Vae()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, train {tuple(train.shape)}")

    seconds = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(train.shape[0])
        total = 0.0
        for i in range(0, train.shape[0], args.batch):
            x = train[order[i:i + args.batch]]
            logits, mu, logvar = model(x)
            loss = loss_sum(logits, x, mu, logvar)
            optimizer.zero_grad()
            (loss / x.shape[0]).backward()
            optimizer.step()
            total += loss.item()
        seconds.append(time.perf_counter() - start)
        print(f"epoch {epoch:2d}  {seconds[-1]:.2f} s  train loss {total / train.shape[0]:.2f}")

    model.eval()
    with torch.no_grad():
        total = 0.0
        for i in range(0, test.shape[0], 1000):
            x = test[i:i + 1000]
            logits, mu, logvar = model(x)
            total += loss_sum(logits, x, mu, logvar).item()
    print(f"median epoch {statistics.median(seconds):.2f} s, test loss {total / test.shape[0]:.2f} nats")


if __name__ == "__main__":
    main()
