# %% [markdown]
# ### Notebook: arithmetic intensity and the roofline of LLM decoding
#
# This notebook proves the figures of the arithmetic-intensity answer:
#
# - An H100 SXM (989 TFLOP/s dense bf16, 3.35 TB/s HBM3) has its ridge point at about 295 FLOPs
#   per byte.
# - A bf16 matmul of $B$ tokens through a $d\times d$ weight has intensity $B/(1 + 2B/d)$ FLOPs per
#   byte: about 1 at batch 1 (decoding), and it needs $B \ge 345$ tokens per step to become
#   compute-bound for $d = 4096$.
# - Decoding a 7B bf16 model at batch 1 reads 14 GB per token: at least 4.18 ms, so at most about
#   239 tokens/s, while using 0.34 % of the chip's FLOP/s.
# - An element-wise bf16 op with a few FLOPs per element sits far below the ridge (≈1 FLOP/byte).
# - For the continuous-batching answer: a Llama-2-7B-shaped model keeps 0.5 MiB of KV cache per
#   token, so 66 GB hold about 126,000 tokens (30 full 4,096-token sequences); a 500-token request
#   in a 4,096-token reservation wastes 87.8 %, with 16-token pages at most 15 slots (here 12).

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)

peak, bw = 989e12, 3.35e12          # FLOP/s, bytes/s
ridge = peak / bw
print(f"ridge point {ridge:.1f} FLOP/byte")
assert round(ridge) == 295

# %% [markdown]
# **A matmul's intensity.** $Y = XW$ with $X$ of shape $B\times d$ and $W$ of shape $d\times d$ in
# bf16 (2 bytes): FLOPs $2Bd^2$; bytes moved at least $2(d^2 + 2Bd)$ (read $W$ and $X$, write $Y$).

# %%
def intensity(B, d, bytes_per=2):
    return 2 * B * d * d / (bytes_per * (d * d + 2 * B * d))


def attainable(i):
    return np.minimum(peak, bw * i)


d = 4096
assert round(intensity(1, d), 2) == 1.0
B_min = next(B for B in range(1, 10_000) if intensity(B, d) >= ridge)
print(f"batch 1: {intensity(1, d):.3f} FLOP/byte; compute-bound from B = {B_min}")
assert B_min == 345
assert intensity(B_min, d) >= ridge > intensity(B_min - 1, d)

# the FLOP count and byte count on a real (small) matmul
Bs, ds = 8, 256
X = rng.normal(size=(Bs, ds)).astype(np.float16)
W = rng.normal(size=(ds, ds)).astype(np.float16)
Y = X @ W
assert Y.nbytes + X.nbytes + W.nbytes == 2 * (ds * ds + 2 * Bs * ds)

# %% [markdown]
# **Batch-1 decoding of a 7B model.** Every weight is read once per generated token.

# %%
weight_bytes = 7e9 * 2
t_min = weight_bytes / bw
flops_per_token = 2 * 7e9
used = flops_per_token / t_min / peak
print(f"{t_min * 1e3:.2f} ms per token -> at most {1 / t_min:.0f} tokens/s, "
      f"{100 * used:.2f} % of peak FLOP/s")
assert round(t_min * 1e3, 2) == 4.18 and round(1 / t_min) == 239 and round(100 * used, 2) == 0.34

# %% [markdown]
# **Element-wise ops.** A GELU or residual add on bf16 tensors reads and writes 2 bytes per element
# each (4 bytes) for a handful of FLOPs: around 1 FLOP/byte, memory-bound at any size. That is what
# kernel fusion removes: the intermediate never goes to HBM.

# %%
elementwise = 4 / 4                  # ~4 FLOPs per element, 4 bytes moved
assert elementwise < ridge / 100

batches = np.array([1, 8, 64, 345, 2048])
pts = intensity(batches, d)
xs = np.logspace(-1, 4, 200)
fig, ax = plt.subplots()
ax.loglog(xs, attainable(xs) / 1e12, color="black", label="roofline: min(peak, bandwidth × I)")
ax.loglog(pts, attainable(pts) / 1e12, "o", color="tab:blue")
for B, i in zip(batches, pts):
    ax.annotate(f"B={B}", (i, attainable(i) / 1e12), textcoords="offset points", xytext=(4, -12))
ax.axvline(ridge, color="gray", ls="--", label=f"ridge ≈ {ridge:.0f} FLOP/byte")
ax.set(xlabel="arithmetic intensity (FLOP/byte)", ylabel="attainable TFLOP/s",
       title="H100 SXM roofline, bf16 matmul through a 4096×4096 weight")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %% [markdown]
# **KV-cache memory in serving** (the continuous-batching answer). A Llama-2-7B-shaped model
# (32 layers, 32 heads of size 128, bf16) stores $2 \times 32 \times 32 \times 128 \times 2$ bytes
# = 0.5 MiB of keys and values per token. On an 80 GB GPU holding 14 GB of weights, the remaining
# 66 GB hold about 125,900 tokens: 30 full 4,096-token sequences. Reserving a 4,096-token slot for a
# request that ends after 500 tokens wastes 87.8 % of the slot; with 16-token pages the waste is
# at most 15 token slots per sequence (the partly filled last page): 12 for a 500-token request.

# %%
kv_per_token = 2 * 32 * 32 * 128 * 2
free = 80e9 - 14e9
tokens = free / kv_per_token
print(f"KV per token {kv_per_token / 2**20} MiB, {tokens:,.0f} tokens, {int(tokens // 4096)} sequences")
assert kv_per_token == 2**19 and round(tokens, -2) == 125_900 and int(tokens // 4096) == 30
assert round(100 * (4096 - 500) / 4096, 1) == 87.8
block = 16
assert -500 % block == 12 and max(-n % block for n in range(1, 5000)) == 15
