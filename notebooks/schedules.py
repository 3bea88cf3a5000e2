# %% [markdown]
# ### Notebook: learning-rate warm-up, cosine and warmup-stable-decay schedules
#
# This notebook computes the schedules the optimisation answers describe and asserts the figures
# they quote. With a peak learning rate of $3\times10^{-4}$, a floor of $3\times10^{-5}$, 10,000
# steps and 500 warm-up steps: warm-up reaches $1.5\times10^{-4}$ at step 250; cosine decay is at
# the midpoint $1.65\times10^{-4}$ at step 5,250 and down to about $5.85\times10^{-5}$ at step
# 8,000, where warmup-stable-decay (WSD, last 2,000 steps decayed linearly) is still at the peak;
# the mean learning rate is about $1.64\times10^{-4}$ for cosine and $2.65\times10^{-4}$ for WSD.
# Sweeping three token budgets ($T$, $2T$, $4T$) costs $7T$ steps with cosine and $4.6T$ with WSD
# (34% less). It also checks the original Transformer's peak rate ($\approx 6.99\times10^{-4}$),
# the untuned warm-up length $2/(1-\beta_2)$ (2,000 steps for $\beta_2 = 0.999$), the linear
# scaling rule ($0.1 \to 3.2$ for batch $256 \to 8192$; the square-root rule for Adam scales the rate by
# $\sqrt{32} \approx 5.66$ instead of 32)
# and gradient clipping by global norm versus by value.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})

PEAK, FLOOR = 3e-4, 3e-5
TOTAL, WARMUP, DECAY = 10_000, 500, 2_000


def warmup_cosine(t, peak=PEAK, floor=FLOOR, total=TOTAL, warmup=WARMUP):
    """Linear warm-up from 0 to the peak, then half a cosine from the peak down to the floor."""
    t = np.asarray(t, dtype=float)
    ramp = peak * t / warmup
    progress = np.clip((t - warmup) / (total - warmup), 0, 1)
    cosine = floor + 0.5 * (peak - floor) * (1 + np.cos(np.pi * progress))
    return np.where(t < warmup, ramp, cosine)


def wsd(t, peak=PEAK, floor=FLOOR, total=TOTAL, warmup=WARMUP, decay=DECAY):
    """Warmup-stable-decay: linear warm-up, constant peak, linear decay to the floor at the end."""
    t = np.asarray(t, dtype=float)
    ramp = peak * t / warmup
    progress = np.clip((t - (total - decay)) / decay, 0, 1)
    return np.where(t < warmup, ramp, peak - (peak - floor) * progress)

# %% [markdown]
# **The two schedules at a few steps.** Both warm up identically (half the peak at step 250). The
# cosine is exactly at the midpoint $(\eta_\text{max} + \eta_\text{min})/2 = 1.65\times10^{-4}$
# halfway through its decay (step 5,250) and is already down to about $5.85\times10^{-5}$ at step
# 8,000, 80% of the way through training, and about $3.73\times10^{-5}$ at step 9,000; WSD is
# still at the peak at step 8,000 and reaches the same
# midpoint only at step 9,000, halfway through its short decay. Both end at the floor.

# %%
steps = [0, 250, 500, 5_250, 8_000, 9_000, 10_000]
print(f"{'step':>6} {'cosine':>10} {'WSD':>10}")
for s in steps:
    print(f"{s:>6} {float(warmup_cosine(s)):>10.3e} {float(wsd(s)):>10.3e}")

assert float(warmup_cosine(0)) == 0 and float(wsd(0)) == 0
assert np.isclose(warmup_cosine(250), 1.5e-4) and np.isclose(wsd(250), 1.5e-4)
assert np.isclose(warmup_cosine(500), PEAK) and np.isclose(wsd(500), PEAK)
assert np.isclose(warmup_cosine(5_250), 1.65e-4)
assert round(float(warmup_cosine(8_000)), 7) == 5.85e-5
assert np.isclose(wsd(8_000), PEAK) and np.isclose(wsd(5_250), PEAK)
assert np.isclose(wsd(9_000), 1.65e-4) and round(float(warmup_cosine(9_000)), 7) == 3.73e-5
assert np.isclose(warmup_cosine(10_000), FLOOR) and np.isclose(wsd(10_000), FLOOR)

# %% [markdown]
# **How much learning rate each schedule spends.** Averaged over all 10,000 steps, WSD runs at a
# mean rate about 1.6 times the cosine's, because it stays at the peak for 75% of training.

# %%
t = np.arange(TOTAL + 1)
mean_cos, mean_wsd = warmup_cosine(t).mean(), wsd(t).mean()
print(f"mean learning rate: cosine {mean_cos:.3e}, WSD {mean_wsd:.3e}, ratio {mean_wsd / mean_cos:.2f}")
assert abs(mean_cos - 1.64e-4) < 1e-6 and abs(mean_wsd - 2.65e-4) < 1e-6
assert round(mean_wsd / mean_cos, 1) == 1.6

# %% [markdown]
# **Why WSD is cheap for sweeps over training length.** A cosine schedule is tied to its total
# length, so three token budgets $T$, $2T$ and $4T$ need three separate runs: $7T$ steps. With WSD
# one run to $4T$ provides the stable phase for all of them; the shorter budgets branch off at
# $0.8T$ and $1.6T$ and only pay for their own decay (20% of their length).

# %%
budgets = [1, 2, 4]  # in units of T
decay_fraction = 0.2
cosine_cost = sum(budgets)
wsd_cost = max(budgets) + sum(decay_fraction * b for b in budgets[:-1])
saving = 1 - wsd_cost / cosine_cost
print(f"cosine: {cosine_cost}T, WSD: {wsd_cost:.1f}T, saving {saving:.0%}")
assert cosine_cost == 7 and math.isclose(wsd_cost, 4.6) and round(saving, 2) == 0.34

# %%
fig, ax = plt.subplots()
ax.plot(t, warmup_cosine(t), label="warm-up + cosine")
ax.plot(t, wsd(t), label="warmup-stable-decay (20% decay)")
ax.axvline(WARMUP, color="grey", lw=0.5, ls="--")
ax.set(xlabel="step", ylabel="learning rate", title="Two schedules with the same peak and floor")
ax.legend()
ax.grid(alpha=0.3)
fig.tight_layout()
plt.show()

# %% [markdown]
# **The original Transformer's schedule.** Vaswani et al. used
# $\eta_t = d_\text{model}^{-0.5}\min(t^{-0.5},\ t \cdot W^{-1.5})$ with $d_\text{model} = 512$
# and $W = 4000$ warm-up steps: a linear ramp that peaks at step $W$ at
# $1/\sqrt{512 \times 4000} \approx 6.99\times10^{-4}$, then an inverse-square-root decay.
#
# **Untuned warm-up length.** Ma & Yarats (2021) suggest warming Adam up linearly over
# $2/(1-\beta_2)$ steps, twice the time scale $1/(1-\beta_2)$ of its second-moment average: 2,000 steps for
# $\beta_2 = 0.999$, 40 for $\beta_2 = 0.95$.

# %%
def transformer_lr(t, d_model=512, warmup=4000):
    t = np.asarray(t, dtype=float)
    return d_model**-0.5 * np.minimum(t**-0.5, t * warmup**-1.5)


t_tr = np.arange(1, 40_001)
lr_tr = transformer_lr(t_tr)
print(f"peak {lr_tr.max():.3e} at step {t_tr[lr_tr.argmax()]}")
assert t_tr[lr_tr.argmax()] == 4000 and round(lr_tr.max(), 6) == 6.99e-4
assert np.isclose(lr_tr.max(), 1 / math.sqrt(512 * 4000))

assert round(2 / (1 - 0.999)) == 2000 and round(2 / (1 - 0.95)) == 40

# %% [markdown]
# **Linear scaling rule.** Goyal et al. (2017) used a learning rate of 0.1 for a batch of 256 and
# multiplied it by $k$ when the batch grew $k$-fold: $0.1 \times 8192/256 = 3.2$ for a batch of
# 8,192, reached by a linear warm-up over the first 5 epochs. For Adam, Malladi et al. (2022) derive a
# square-root rule instead: a $k$-fold batch multiplies the learning rate by $\sqrt{k}$
# ($\sqrt{32} \approx 5.66$ here, not 32), together with $1-\beta_1$ and $1-\beta_2$ multiplied by $k$
# and $\epsilon$ divided by $\sqrt{k}$.

# %%
base_lr, base_batch, batch = 0.1, 256, 8192
k = batch // base_batch
linear_lr, sqrt_factor = base_lr * k, math.sqrt(k)
print(f"k = {k}: linear rule {linear_lr:.3f} (factor {k}), square-root rule factor {sqrt_factor:.2f}")
assert k == 32 and math.isclose(linear_lr, 3.2) and round(sqrt_factor, 2) == 5.66

# %% [markdown]
# **Gradient clipping.** Clipping by norm rescales the whole gradient,
# $g \leftarrow g\,\min(1, \tau/\lVert g\rVert)$, so $(3, 4)$ with norm 5 and $\tau = 1$ becomes
# $(0.6, 0.8)$: same direction, length 1. Clipping each element to $[-1, 1]$ gives $(1, 1)$, which
# points about $8.1°$ away. Clipping per tensor has the same flaw at the level of tensors: with a
# second tensor holding $12$, the global norm is 13 and global clipping divides both tensors by 13
# (direction kept), while per-tensor clipping shrinks them by different factors and turns the
# full gradient by about $22°$.

# %%
def clip_by_global_norm(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(g**2)) for g in grads))
    scale = min(1.0, max_norm / total)
    return [g * scale for g in grads], total


def angle_deg(a, b):
    cos = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    return math.degrees(math.acos(min(1.0, cos)))


g = np.array([3.0, 4.0])
(clipped,), norm = clip_by_global_norm([g], 1.0)
by_value = np.clip(g, -1, 1)
print("by norm:", clipped, "by value:", by_value, f"angle {angle_deg(g, by_value):.1f} degrees")
assert norm == 5 and np.allclose(clipped, [0.6, 0.8]) and angle_deg(g, clipped) < 1e-6
assert np.allclose(by_value, [1, 1]) and round(angle_deg(g, by_value), 1) == 8.1

grads = [np.array([3.0, 4.0]), np.array([12.0])]
global_clipped, total = clip_by_global_norm(grads, 1.0)
per_tensor = [clip_by_global_norm([x], 1.0)[0][0] for x in grads]
flat = np.concatenate(grads)
assert total == 13 and angle_deg(flat, np.concatenate(global_clipped)) < 1e-6
assert round(angle_deg(flat, np.concatenate(per_tensor))) == 22
print(f"per-tensor clipping turns the full gradient by "
      f"{angle_deg(flat, np.concatenate(per_tensor)):.1f} degrees")
