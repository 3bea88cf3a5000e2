# %% [markdown]
# ### Notebook: number formats and training memory per parameter
#
# This notebook proves the figures of the mixed-precision, memory-per-parameter, gradient-checkpointing
# and ZeRO answers:
#
# - fp16 has 10 stored mantissa bits and a largest value of 65,504; bf16 has 7 mantissa bits, fp32's
#   8 exponent bits and a largest value of about 3.39e38. A gradient of 1e-8 underflows to 0 in fp16
#   and survives a loss scale of 65,536; an update of 1e-4 to a weight of 1.0 is lost in fp16, and one
#   of 1e-3 is lost in bf16, which is why the master weights stay in fp32.
# - Mixed-precision Adam keeps 2 + 2 + 4 + 4 + 4 = 16 bytes per parameter (the ZeRO paper's
#   $2\Psi + 2\Psi + 12\Psi$): 112 GB for a 7B model before activations; all-fp32 Adam is also
#   4 + 4 + 4 + 4 = 16 bytes; bf16 inference weights are 2 bytes per parameter (14 GB for 7B).
# - ZeRO per-GPU model states for 7.5B parameters on 64 GPUs: 120 GB → 31.4 / 16.6 / 1.875 GB for
#   stages 1 / 2 / 3, and for 7B on 8 GPUs: 112 → 38.5 / 26.25 / 14 GB.
# - Activations of a GPT-style layer (Korthikanti et al.'s $sbh(34 + 5as/h)$ bytes): 104 GB for 32
#   layers at $s = 4096$, $h = 4096$, $a = 32$, batch 1; 18.3 GB when the attention matrix is not
#   stored; 1.07 GB if only each layer's input is kept (full checkpointing). Checkpointing every
#   $\sqrt{n}$ layers of an $n = 100$ layer chain stores 20 tensors instead of 100.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)

# %% [markdown]
# **Number formats.** numpy has IEEE fp16 (`float16`); bf16 is the top 16 bits of an fp32 number,
# so we emulate it by rounding an fp32 bit pattern to its upper half (round to nearest even).

# %%
def to_bf16(x):
    """Round float32 values to the nearest bfloat16 (returned as float32)."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    lsb = (bits >> 16) & 1
    rounded = ((bits + 0x7FFF + lsb) & 0xFFFF0000).astype(np.uint32)
    return rounded.view(np.float32)


f16, f32 = np.finfo(np.float16), np.finfo(np.float32)
bf16_max = np.array(0x7F7F0000, dtype=np.uint32).view(np.float32)   # exponent 254, mantissa all ones
bf16_eps = float(to_bf16(np.float32(1 + 2**-7)) - 1)                 # spacing just above 1.0

print(f"fp16: mantissa {f16.nmant} bits, exponent {f16.iexp} bits, max {f16.max}, eps {f16.eps}, "
      f"smallest normal {f16.smallest_normal:.3g}, smallest subnormal {f16.smallest_subnormal:.3g}")
print(f"bf16: mantissa 7 bits, exponent 8 bits, max {bf16_max:.4g}, eps {bf16_eps}")
print(f"fp32: mantissa {f32.nmant} bits, exponent {f32.iexp} bits, max {f32.max:.4g}")

assert f16.nmant == 10 and f16.iexp == 5 and float(f16.max) == 65504.0
assert float(f16.eps) == 2**-10 and float(f16.smallest_normal) == 2**-14
assert float(f16.smallest_subnormal) == 2**-24 and round(float(f16.smallest_subnormal) * 1e8, 2) == 5.96
assert f32.nmant == 23 and f32.iexp == 8
assert round(float(bf16_max) / 1e38, 2) == 3.39 and float(bf16_max) == (2 - 2**-7) * 2.0**127
assert bf16_eps == 2**-7
assert float(to_bf16(np.float32(3e38))) < np.inf          # fits: same exponent range as fp32
with np.errstate(over="ignore"):
    assert np.isinf(np.float16(70000.0))                  # overflows fp16

# %% [markdown]
# **Why fp16 needs loss scaling and bf16 does not.** A gradient of $10^{-8}$ is below fp16's smallest
# subnormal ($2^{-24} \approx 5.96\times10^{-8}$), so it becomes 0. Multiplying the loss (and hence
# every gradient) by $S = 65{,}536$ moves it to $6.55\times10^{-4}$, well inside fp16's normal range;
# the optimiser divides by $S$ again in fp32. bf16 represents $10^{-8}$ directly (with 2–3
# significant digits).

# %%
g = 1e-8
S = 65_536
assert np.float16(g) == 0                                   # underflow
scaled = np.float16(g * S)
assert scaled != 0 and float(scaled) > float(f16.smallest_normal)
assert abs(float(scaled) / S - g) / g < 1e-3                # unscaling in fp32 recovers it
assert abs(float(to_bf16(np.float32(g))) - g) / g < 2**-8   # bf16: relative error below 2^-8

# %% [markdown]
# **Why the master weights stay in fp32.** Near 1.0 the spacing of fp16 numbers is $2^{-10} \approx
# 9.8\times10^{-4}$ and of bf16 numbers $2^{-7} \approx 7.8\times10^{-3}$. An update smaller than half
# the spacing rounds away: $1 + 10^{-4}$ is 1 in fp16 and $1 + 10^{-3}$ is 1 in bf16. Summing 1,000
# updates of $10^{-4}$ in each format shows the drift.

# %%
assert np.float16(1.0) + np.float16(1e-4) == np.float16(1.0)
assert to_bf16(np.float32(1.0 + 1e-3)) == np.float32(1.0)
assert np.float16(1.0) + np.float16(1e-3) > np.float16(1.0)

w16, wbf, w32 = np.float16(1.0), np.float32(1.0), np.float32(1.0)
for _ in range(1000):
    w16 = np.float16(w16 + np.float16(1e-4))
    wbf = to_bf16(wbf + np.float32(1e-4))
    w32 = np.float32(w32 + np.float32(1e-4))
print(f"after 1,000 updates of 1e-4: fp16 {float(w16)}, bf16 {float(wbf)}, fp32 {float(w32):.5f}")
assert float(w16) == 1.0 and float(wbf) == 1.0 and abs(float(w32) - 1.1) < 1e-4

# %% [markdown]
# **Bytes per parameter.** Mixed-precision Adam (Micikevicius et al.; the ZeRO paper's accounting):
# 16-bit weights and gradients ($2\Psi + 2\Psi$) plus $K\Psi = 12\Psi$ of fp32 optimiser state
# (master weights, first moment $m$, second moment $v$).

# %%
mixed = {"bf16 weights": 2, "bf16 grads": 2, "fp32 master": 4, "Adam m": 4, "Adam v": 4}
fp32_adam = {"fp32 weights": 4, "fp32 grads": 4, "Adam m": 4, "Adam v": 4}
per_param = sum(mixed.values())
assert per_param == 16 and sum(fp32_adam.values()) == 16
K = mixed["fp32 master"] + mixed["Adam m"] + mixed["Adam v"]
assert K == 12

N = 7e9
print(f"7B model states: {N * per_param / 1e9:.0f} GB training, {N * 2 / 1e9:.0f} GB bf16 inference")
assert N * per_param == 112e9 and N * 2 == 14e9
assert round(N * per_param / 2**30, 1) == 104.3                  # the same in GiB
sgd_momentum = {k: v for k, v in mixed.items() if k != "Adam v"}  # one fp32 moment instead of two
assert sum(sgd_momentum.values()) == 12
assert round(4_194_304 * per_param / 1e6) == 67                  # LoRA adapters (r = 8, q and v)

# %% [markdown]
# **ZeRO stages** (Rajbhandari et al., 2020, Figure 1), per GPU with $N_d$ data-parallel GPUs:
#
# | | per-GPU model states |
# |---|---|
# | baseline DP | $(2 + 2 + K)\Psi$ |
# | ZeRO-1 ($P_{os}$) | $2\Psi + 2\Psi + K\Psi/N_d$ |
# | ZeRO-2 ($P_{os+g}$) | $2\Psi + (2 + K)\Psi/N_d$ |
# | ZeRO-3 ($P_{os+g+p}$) | $(2 + 2 + K)\Psi/N_d$ |

# %%
def zero_gb(psi, n_d, k=12):
    return {"DP": (2 + 2 + k) * psi / 1e9,
            "ZeRO-1": (2 * psi + 2 * psi + k * psi / n_d) / 1e9,
            "ZeRO-2": (2 * psi + (2 + k) * psi / n_d) / 1e9,
            "ZeRO-3": (2 + 2 + k) * psi / n_d / 1e9}


paper = zero_gb(7.5e9, 64)
print({k: round(v, 3) for k, v in paper.items()})
assert paper["DP"] == 120 and round(paper["ZeRO-1"], 1) == 31.4
assert round(paper["ZeRO-2"], 1) == 16.6 and paper["ZeRO-3"] == 1.875

small = zero_gb(7e9, 8)
print({k: round(v, 3) for k, v in small.items()})
assert small == {"DP": 112, "ZeRO-1": 38.5, "ZeRO-2": 26.25, "ZeRO-3": 14}

fig, ax = plt.subplots()
ax.bar(list(paper), list(paper.values()), color=["tab:gray", "tab:blue", "tab:orange", "tab:green"])
for i, v in enumerate(paper.values()):
    ax.text(i, v, f"{v:.3g} GB", ha="center", va="bottom")
ax.set(ylabel="GB per GPU (model states)", ylim=(0, 135),
       title="7.5B parameters, Adam, mixed precision, 64 GPUs")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Activations and checkpointing.** Korthikanti et al. (2022) count the activations a GPT-style
# Transformer layer stores in 16-bit training as $sbh(34 + 5as/h)$ bytes (sequence length $s$,
# micro-batch $b$, hidden size $h$, heads $a$); the $5as^2b$ part is the attention score matrix,
# which FlashAttention-style kernels recompute instead of storing. Full activation checkpointing
# keeps only each layer's 16-bit input, $2sbh$ bytes.

# %%
s, b, h, a, L = 4096, 1, 4096, 32, 32
full = L * s * b * h * (34 + 5 * a * s / h)
no_scores = L * s * b * h * 34
ckpt = L * 2 * s * b * h
print(f"activations: {full / 1e9:.1f} GB, without scores {no_scores / 1e9:.2f} GB, "
      f"checkpointed inputs {ckpt / 1e9:.2f} GB")
assert round(full / 1e9) == 104 and round(no_scores / 1e9, 1) == 18.3 and round(ckpt / 1e9, 2) == 1.07

# %% [markdown]
# **The $\sqrt{n}$ schedule** (Chen et al., 2016). With a checkpoint every $k$ layers of an $n$-layer
# chain, the backward pass holds $n/k$ checkpoints plus the $k$ recomputed activations of the
# current segment; $n/k + k$ is smallest at $k = \sqrt{n}$. We simulate it.

# %%
def peak_stored(n, k):
    checkpoints = math.ceil(n / k)
    return checkpoints + k          # checkpoints + one segment rematerialised at a time


n = 100
costs = {k: peak_stored(n, k) for k in range(1, n + 1)}
best_k = min(costs, key=costs.get)
print(f"n = {n}: store all = {n}, best k = {best_k}, peak = {costs[best_k]}")
assert best_k == 10 == math.isqrt(n) and costs[best_k] == 20
