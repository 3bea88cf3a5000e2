# %% [markdown]
# ### Notebook: training FLOPs and the 6ND rule
#
# This notebook proves the figures of the 6ND answer:
#
# - For a dense layer, counting the multiply-adds of the forward matmul and of the two backward
#   matmuls gives exactly 2 + 4 = 6 FLOPs per parameter per token; recomputing the forward pass
#   (activation checkpointing) makes it 8, a third more.
# - For a Llama-2-7B-shaped model (32 layers, $d = 4096$) at a 4,096-token context, the attention
#   score and weighted-sum FLOPs that $6N$ ignores add about 8 %.
# - Chinchilla: 70B parameters on 1.4T tokens is 20 tokens per parameter and
#   $6 \times 70\times10^9 \times 1.4\times10^{12} = 5.88\times10^{23}$ FLOPs; with $C = 6ND$ and
#   $D = 20N$ the compute-optimal size for that budget is $N = \sqrt{C/120}$, 70B again.
# - On H100 SXM GPUs (989 TFLOP/s dense bf16) at 40 % model-FLOPs utilisation that is about
#   413,000 GPU-hours (17,200 GPU-days, 16.8 days on 1,024 GPUs); a 7B model on 2T tokens
#   ($8.4\times10^{22}$ FLOPs) needs about 59,000 GPU-hours.
# - Pipeline bubble: 4 stages with 16 micro-batches idle about 16 % of the step.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)

# %% [markdown]
# **Counting a dense layer.** $Y = XW$ with $X \in \mathbb{R}^{T\times d_\text{in}}$ ($T$ tokens)
# and $W \in \mathbb{R}^{d_\text{in}\times d_\text{out}}$. A matmul of shapes $(m\times k)(k\times n)$
# does $mkn$ multiply-adds, i.e. $2mkn$ FLOPs. The backward pass needs two matmuls of the same size:
# $\partial L/\partial X = (\partial L/\partial Y) W^\top$ (to continue backpropagation) and
# $\partial L/\partial W = X^\top (\partial L/\partial Y)$ (the weight gradient). We count as we go
# and check the gradients against finite differences.

# %%
flops = {"forward": 0, "backward": 0}


def matmul(a, b, phase):
    m, k = a.shape
    k2, n = b.shape
    assert k == k2
    flops[phase] += 2 * m * k * n
    return a @ b


T, d_in, d_out = 32, 24, 16
X = rng.normal(size=(T, d_in))
W = rng.normal(size=(d_in, d_out))
target = rng.normal(size=(T, d_out))

Y = matmul(X, W, "forward")
dY = Y - target                           # gradient of L = 0.5 * ||Y - target||^2
dX = matmul(dY, W.T, "backward")
dW = matmul(X.T, dY, "backward")

eps, i, j = 1e-6, 3, 5
W2 = W.copy()
W2[i, j] += eps
numeric = (0.5 * np.sum((X @ W2 - target) ** 2) - 0.5 * np.sum((Y - target) ** 2)) / eps
assert abs(numeric - dW[i, j]) < 1e-3 * max(1, abs(dW[i, j]))

params = W.size
per_param_token = {k: v / (params * T) for k, v in flops.items()}
print(per_param_token)
assert per_param_token == {"forward": 2, "backward": 4}
assert (flops["forward"] + flops["backward"]) == 6 * params * T
assert (2 * flops["forward"] + flops["backward"]) / (params * T) == 8   # with recomputation
assert math.isclose(8 / 6 - 1, 1 / 3)

# %% [markdown]
# **What $6N$ leaves out.** Kaplan et al. (2020) write the forward cost per token as
# $2N + 2 n_\text{layer} n_\text{ctx} d_\text{attn}$; the second term is the attention scores and
# weighted sum, which have no parameters. For a Llama-2-7B-shaped model at $n_\text{ctx} = 4096$:

# %%
N7 = 6_738_415_616
extra = 2 * 32 * 4096 * 4096
print(f"attention term / 2N = {extra / (2 * N7):.3f}")
assert round(100 * extra / (2 * N7)) == 8

# %% [markdown]
# **Chinchilla and GPU time.** Hoffmann et al. (2022) trained Chinchilla with 70B parameters on
# 1.4T tokens. Peak: H100 SXM, 989 TFLOP/s dense bf16 (NVIDIA datasheet; 1,979 is the figure with
# 2:4 sparsity). Model-FLOPs utilisation (MFU) of 40 %.

# %%
N, D = 70e9, 1.4e12
C = 6 * N * D
print(f"tokens per parameter {D / N:.0f}, C = {C:.3g} FLOPs")
assert D / N == 20 and math.isclose(C, 5.88e23)

N_opt = math.sqrt(C / (6 * 20))        # C = 6 N D with D = 20 N
assert math.isclose(N_opt, 70e9)

peak, mfu = 989e12, 0.40
gpu_seconds = C / (peak * mfu)
gpu_hours, gpu_days = gpu_seconds / 3600, gpu_seconds / 86400
print(f"{gpu_hours:,.0f} GPU-hours = {gpu_days:,.0f} GPU-days = {gpu_days / 1024:.1f} days on 1,024 GPUs")
assert round(gpu_hours, -3) == 413_000 and round(gpu_days, -2) == 17_200
assert round(gpu_days / 1024, 1) == 16.8

C7 = 6 * 7e9 * 2e12
assert math.isclose(C7, 8.4e22) and round(C7 / (peak * mfu) / 3600, -3) == 59_000

# %% [markdown]
# **Compute-optimal frontier.** With $D = 20N$, compute grows as $N^2$: each 10× of compute buys
# about 3.16× more parameters and 3.16× more tokens.

# %%
budgets = np.logspace(20, 26, 7)
n_opt = np.sqrt(budgets / 120)
assert np.allclose(n_opt[1:] / n_opt[:-1], math.sqrt(10))

fig, ax = plt.subplots()
ax.loglog(budgets, n_opt, "o-", label="parameters N")
ax.loglog(budgets, 20 * n_opt, "s-", label="tokens D = 20N")
ax.axvline(C, color="gray", ls="--", label="Chinchilla, 5.88e23")
ax.set(xlabel="training compute C (FLOPs)", ylabel="count", title="C = 6ND with D = 20N")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# **Pipeline bubble** (used in the parallelism answer). With $p$ pipeline stages and $m$
# micro-batches per step, a GPipe or 1F1B schedule idles each stage for $p - 1$ micro-batch slots
# out of $m + p - 1$: for $p = 4$, $m = 16$ the bubble is 3/19 ≈ 16 % of the step (Narayanan et
# al. quote it relative to the ideal time, $(p-1)/m$ = 18.75 %). GPipe's rule of thumb $m \ge 4p$
# keeps it under 20 %.

# %%
def bubble(p, m):
    return (p - 1) / (m + p - 1)


assert round(100 * bubble(4, 16)) == 16 and (4 - 1) / 16 == 0.1875
assert all(bubble(p, 4 * p) < 0.2 for p in range(2, 65))

# %% [markdown]
# **Throughput check** (a follow-up in the answer): a 7B model at 40 % MFU on one H100 trains at
# $0.4 \times 989\times10^{12} / (6 \times 7\times10^9) \approx 9{,}400$ tokens/s.

# %%
tok_per_s = 0.4 * 989e12 / (6 * 7e9)
assert round(tok_per_s, -2) == 9_400
assert round(C / (peak * mfu) / 1e9, 2) == 1.49 and round(gpu_days / 1024) == 17
