# %% [markdown]
# ### Notebook: LoRA parameter counts, merging, and QLoRA's NF4
#
# This notebook proves the figures of the LoRA and QLoRA answers:
#
# - LoRA of rank $r$ on a $d_\text{out}\times d_\text{in}$ weight trains $r(d_\text{in} + d_\text{out})$
#   parameters instead of $d_\text{in} d_\text{out}$: for 4,096 × 4,096 at $r = 8$, 65,536 instead of
#   16,777,216 (0.39 %).
# - A Llama-2-7B-shaped model (32 layers, $d = 4096$, 6,738,415,616 parameters) with LoRA $r = 8$ on
#   the query and value projections trains 4,194,304 parameters (0.062 %).
# - With $B = 0$ at initialisation the adapted layer equals the pre-trained one, and the merged weight
#   $W + (\alpha/r)BA$ gives the same outputs as the unmerged forward pass.
# - The 16 NF4 levels are quantiles of a standard normal (they match the table shipped with
#   bitsandbytes to within 1e-6); on Gaussian weights in blocks of 64 they give a 17 % lower
#   mean squared error than 16 evenly spaced levels. Double quantisation cuts the constants from
#   0.5 to 0.127 bits per parameter, saving about 3 GB on a 65B model.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)

# %% [markdown]
# **One layer.** $\Delta W = BA$ with $B \in \mathbb{R}^{d_\text{out}\times r}$ and
# $A \in \mathbb{R}^{r\times d_\text{in}}$.

# %%
def lora_params(d_out, d_in, r):
    return r * (d_in + d_out)


full, lora = 4096 * 4096, lora_params(4096, 4096, 8)
print(f"full {full:,}, LoRA r=8 {lora:,}, ratio {100 * lora / full:.2f} %")
assert full == 16_777_216 and lora == 65_536 and round(100 * lora / full, 2) == 0.39

# %% [markdown]
# **A whole model.** Llama-2-7B shape: vocabulary 32,000, $d = 4096$, 32 layers, SwiGLU MLP of width
# 11,008, RMSNorm, untied input and output embeddings. LoRA at $r = 8$ on $W_q$ and $W_v$ only (the
# LoRA paper's default choice).

# %%
V, d, layers, d_ff = 32_000, 4096, 32, 11_008
per_layer = 4 * d * d + 3 * d * d_ff + 2 * d       # attention, SwiGLU MLP, two norm gains
total = layers * per_layer + 2 * V * d + d         # + embeddings, output layer, final norm
trainable = layers * 2 * lora_params(d, d, 8)      # q and v in every layer
print(f"base {total:,}, LoRA {trainable:,} ({100 * trainable / total:.3f} %)")
assert total == 6_738_415_616 and trainable == 4_194_304
assert round(100 * trainable / total, 3) == 0.062
assert layers * 2 * lora_params(d, d, 64) == 33_554_432     # r = 64: 8x more, still 0.5 %
assert round(trainable * 2 / 1e6) == 8                      # adapter checkpoint in bf16: 8 MB
assert round(trainable * 16 / 1e6) == 67                    # its training state at 16 B/param
# FLOPs per token per base parameter: forward 2, input gradients 2, weight gradients 2 only for the
# trainable share; LoRA's own matmuls add 6 per adapter parameter
lora_flops = 2 + 2 + 6 * trainable / total
assert round(lora_flops / 6, 3) == 0.667          # about two thirds of full fine-tuning's 6

# %% [markdown]
# **Zero initial update and merging.** $A$ is random, $B = 0$, so $BA = 0$ and training starts
# exactly at the pre-trained function. After training (here: random $B$ standing in for learned
# values), folding $(\alpha/r)BA$ into $W$ gives identical outputs, so inference has no extra latency.

# %%
d_in, d_out, r, alpha = 64, 48, 4, 8
W = rng.normal(size=(d_out, d_in))
A = rng.normal(scale=1 / math.sqrt(d_in), size=(r, d_in))
B = np.zeros((d_out, r))
x = rng.normal(size=(10, d_in))


def lora_forward(x):
    return x @ W.T + (alpha / r) * (x @ A.T) @ B.T


assert np.array_equal(lora_forward(x), x @ W.T)          # B = 0: exactly the base layer
B = rng.normal(size=(d_out, r))                          # pretend training moved B
W_merged = W + (alpha / r) * B @ A
assert np.allclose(lora_forward(x), x @ W_merged.T)
assert np.linalg.matrix_rank(W_merged - W) == r          # the update has rank r

# %% [markdown]
# **NF4.** QLoRA's 4-bit NormalFloat levels: 8 positive and 7 negative quantiles of $N(0, 1)$ taken
# evenly in probability between $\delta = 1 - \tfrac12(\tfrac1{32} + \tfrac1{30})$ and 0.5, plus an
# exact zero, scaled to $[-1, 1]$. Each block of 64 weights is divided by its absolute maximum and
# every value is rounded to the nearest level. We need the normal quantile function; the standard
# library has `math.erf`, so we invert it by bisection.

# %%
def normal_ppf(p):
    lo, hi = -10.0, 10.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


delta = 1 - 0.5 * (1 / 32 + 1 / 30)
positive = [normal_ppf(p) for p in np.linspace(delta, 0.5, 9)[:-1]]
negative = [-normal_ppf(p) for p in np.linspace(delta, 0.5, 8)[:-1]]
nf4 = np.sort(np.array(positive + [0.0] + negative))
nf4 /= np.abs(nf4).max()
bitsandbytes_nf4 = np.array([
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
    -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
    0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
    0.7229568362236023, 1.0])
print(np.round(nf4, 4))
assert len(nf4) == 16 and 0.0 in nf4 and nf4.min() == -1 and nf4.max() == 1
assert np.abs(nf4 - bitsandbytes_nf4).max() < 1e-6


def blockwise_quantise(w, levels, block=64):
    blocks = w.reshape(-1, block)
    absmax = np.abs(blocks).max(axis=1, keepdims=True)
    normed = blocks / absmax
    idx = np.abs(normed[..., None] - levels).argmin(axis=-1)
    return (levels[idx] * absmax).reshape(w.shape)


weights = rng.normal(scale=0.02, size=64 * 4096)
uniform16 = np.linspace(-1, 1, 16)
err_nf4 = np.mean((blockwise_quantise(weights, nf4) - weights) ** 2)
err_uni = np.mean((blockwise_quantise(weights, uniform16) - weights) ** 2)
print(f"MSE on N(0, 0.02^2) weights: NF4 {err_nf4:.3g}, uniform 16 levels {err_uni:.3g}")
assert err_nf4 < err_uni and round(100 * (1 - err_nf4 / err_uni)) == 17   # 17 % lower MSE

fig, ax = plt.subplots()
ax.hist(weights / 0.02, bins=200, density=True, color="lightgray", label="weights / std")
ax.vlines(nf4 * 2.7, 0, 0.45, color="tab:blue", label="NF4 levels (× 2.7)")
ax.set(xlabel="value", ylabel="density", xlim=(-4, 4),
       title="NF4 places more levels where Gaussian weights are dense")
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Double quantisation.** One fp32 absmax per 64 weights costs $32/64 = 0.5$ bits per parameter.
# QLoRA quantises those constants to 8 bits, with one fp32 constant per 256 of them:
# $8/64 + 32/(64\cdot256) \approx 0.127$ bits per parameter, a saving of 0.373 bits, about 3 GB for
# a 65B model, whose 4-bit weights alone take 32.5 GB.

# %%
single = 32 / 64
double = 8 / 64 + 32 / (64 * 256)
saving_gb = (single - double) * 65e9 / 8 / 1e9
print(f"constants: {single} -> {double:.4f} bits/param, saving {saving_gb:.2f} GB on 65B")
assert single == 0.5 and round(double, 3) == 0.127 and round(single - double, 3) == 0.373
assert round(saving_gb) == 3 and 65e9 * 4 / 8 / 1e9 == 32.5

# %% [markdown]
# **A 7B model under QLoRA** (the QLoRA answer's table): 3.5 GB of NF4 weights, about 0.1 GB of
# double-quantised scales, against 14 GB of bf16 weights plus 98 GB of gradients and Adam state for
# full fine-tuning (16 bytes per parameter in total).

# %%
N7 = 7e9
assert N7 * 4 / 8 / 1e9 == 3.5 and round(N7 * double / 8 / 1e9, 1) == 0.1
assert N7 * 2 / 1e9 == 14 and N7 * (16 - 2) / 1e9 == 98
