# %% [markdown]
# ### Notebook: the DDPM forward process in closed form
#
# This notebook checks the figures quoted in the answer on the forward noising process.
# With the linear schedule of Ho et al. ($\beta_t$ from $10^{-4}$ to $0.02$, $T = 1000$):
#
# - noising step by step, $x_t = \sqrt{1-\beta_t}\,x_{t-1} + \sqrt{\beta_t}\,\varepsilon_t$, has
#   exactly the mean $\sqrt{\bar\alpha_t}\,x_0$ and variance $1-\bar\alpha_t$ of the closed form
#   (checked by recursion to $10^{-12}$, and by Monte Carlo on 100,000 samples within 5 standard errors);
# - $\bar\alpha_T \approx 4.04\times10^{-5}$, so $\sqrt{\bar\alpha_T} \approx 0.0064$ and the
#   signal-to-noise ratio at $t = T$ is about $-44$ dB; at $t = 1$ the SNR is 9,999;
# - the SNR drops below 1 at $t = 260$, and $\bar\alpha_t < 0.01$ for the last 32.7% of the steps
#   (from $t = 674$); with the cosine schedule of Nichol & Dhariwal the SNR crosses 1 at $t = 497$
#   and $\bar\alpha_t < 0.01$ only for the last 6.5% of the steps.
#
# A last cell does the arithmetic of latent diffusion: a 512×512×3 image is 786,432 numbers, its
# 64×64×4 Stable Diffusion latent 16,384, 48 times fewer.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)

T = 1000
betas = np.linspace(1e-4, 0.02, T)          # beta_1 ... beta_T (index t-1)
alpha_bar = np.cumprod(1.0 - betas)         # alpha_bar_t = prod_{s<=t} (1 - beta_s)
t = np.arange(1, T + 1)

# %% [markdown]
# **Exact check by recursion.** Write $x_t = a_t x_0 + \text{noise with variance } v_t$. One step
# multiplies the signal coefficient by $\sqrt{1-\beta_t}$ and the noise variance by $1-\beta_t$,
# then adds fresh noise of variance $\beta_t$:
# $a_t = \sqrt{1-\beta_t}\,a_{t-1}$, $v_t = (1-\beta_t)\,v_{t-1} + \beta_t$, with $a_0 = 1$, $v_0 = 0$.
# By induction $a_t = \sqrt{\bar\alpha_t}$ and $v_t = 1 - \bar\alpha_t$: the closed form.

# %%
a, v = 1.0, 0.0
a_rec, v_rec = np.empty(T), np.empty(T)
for i, beta in enumerate(betas):
    a = np.sqrt(1 - beta) * a
    v = (1 - beta) * v + beta
    a_rec[i], v_rec[i] = a, v

print("max |a_t - sqrt(alpha_bar_t)| =", np.abs(a_rec - np.sqrt(alpha_bar)).max())
print("max |v_t - (1 - alpha_bar_t)| =", np.abs(v_rec - (1 - alpha_bar)).max())
assert np.allclose(a_rec, np.sqrt(alpha_bar), rtol=0, atol=1e-12)
assert np.allclose(v_rec, 1 - alpha_bar, rtol=0, atol=1e-12)

# %% [markdown]
# **Monte Carlo check.** Take a non-Gaussian data distribution (half the samples at $x_0 = +1$,
# half at $x_0 = -1$, like binarised pixels), run 1,000 noising steps on 100,000 samples, and
# compare the empirical conditional mean and variance of $x_t$ given $x_0 = +1$ with the closed
# form at a few $t$. The tolerance is 5 standard errors: $5\sqrt{v/n}$ for the mean and
# $5\,v\sqrt{2/(n-1)}$ for the variance.

# %%
n = 100_000
x0 = np.where(rng.random(n) < 0.5, 1.0, -1.0)
x = x0.copy()
checkpoints = {50, 250, 500, 1000}
for step, beta in enumerate(betas, start=1):
    x = np.sqrt(1 - beta) * x + np.sqrt(beta) * rng.standard_normal(n)
    if step in checkpoints:
        pos = x[x0 == 1.0]
        m_true, v_true = np.sqrt(alpha_bar[step - 1]), 1 - alpha_bar[step - 1]
        m_hat, v_hat = pos.mean(), pos.var(ddof=1)
        k = pos.size
        print(f"t={step:4d}  mean {m_hat:.4f} vs {m_true:.4f}   var {v_hat:.4f} vs {v_true:.4f}")
        assert abs(m_hat - m_true) < 5 * np.sqrt(v_true / k)
        assert abs(v_hat - v_true) < 5 * v_true * np.sqrt(2 / (k - 1))

# One-shot sampling from the closed form gives the same distribution at t = T.
x_direct = np.sqrt(alpha_bar[-1]) * x0 + np.sqrt(1 - alpha_bar[-1]) * rng.standard_normal(n)
assert abs(x.std() - x_direct.std()) < 0.01 and abs(x.mean() - x_direct.mean()) < 0.02

# %% [markdown]
# **How much signal is left.** $\bar\alpha_T \approx 4.04\times10^{-5}$: the data's coefficient is
# $\sqrt{\bar\alpha_T} \approx 0.0064$, so $x_T$ is almost exactly $\mathcal{N}(0, 1)$. The
# signal-to-noise ratio $\text{SNR}(t) = \bar\alpha_t / (1 - \bar\alpha_t)$ falls from 9,999 at
# $t = 1$ to about $4.04\times10^{-5}$ ($-44$ dB) at $t = T$.

# %%
snr = alpha_bar / (1 - alpha_bar)
print(f"alpha_bar_T = {alpha_bar[-1]:.4e}, sqrt = {np.sqrt(alpha_bar[-1]):.4f}")
print(f"SNR(1) = {snr[0]:.1f}, SNR(T) = {snr[-1]:.3e} = {10 * np.log10(snr[-1]):.1f} dB")
assert round(alpha_bar[-1], 7) == 4.04e-5
assert round(np.sqrt(alpha_bar[-1]), 4) == 0.0064
assert round(snr[0]) == 9_999 and round(np.sqrt(alpha_bar[0]), 5) == 0.99995
assert round(np.sqrt(alpha_bar[259]), 2) == 0.71      # t = 260, first step with SNR < 1
assert round(10 * np.log10(snr[-1])) == -44

# %% [markdown]
# **Linear against cosine schedule.** Nichol & Dhariwal define
# $\bar\alpha_t = f(t)/f(0)$ with $f(t) = \cos^2\!\big(\tfrac{t/T + s}{1+s}\cdot\tfrac{\pi}{2}\big)$,
# $s = 0.008$, and clip each $\beta_t$ at 0.999. The linear schedule destroys the signal early: its
# SNR drops below 1 at $t = 260$ and a third of the steps (from $t = 674$) have $\bar\alpha_t < 0.01$,
# nearly pure noise. The cosine schedule crosses SNR 1 at $t = 497$, about halfway, and only the
# last 6.5% of steps are that noisy.

# %%
s = 0.008
f = lambda u: np.cos((u / T + s) / (1 + s) * np.pi / 2) ** 2
ab_cos_raw = f(t) / f(0)
betas_cos = np.clip(1 - ab_cos_raw / np.r_[1.0, ab_cos_raw[:-1]], 0, 0.999)
ab_cos = np.cumprod(1 - betas_cos)
snr_cos = ab_cos / (1 - ab_cos)

assert t[snr < 1][0] == 260 and t[snr_cos < 1][0] == 497
assert t[alpha_bar < 0.01][0] == 674 and round(np.mean(alpha_bar < 0.01), 3) == 0.327
assert round(np.mean(ab_cos < 0.01), 3) == 0.065

fig, ax = plt.subplots()
ax.plot(t, np.sqrt(alpha_bar), label="linear $\\beta$ (Ho et al.)")
ax.plot(t, np.sqrt(ab_cos), label="cosine (Nichol & Dhariwal)")
ax.axhline(np.sqrt(0.5), color="gray", lw=0.8, ls="--")
ax.text(5, np.sqrt(0.5) + 0.02, "SNR = 1", color="gray")
ax.set(xlabel="timestep t", ylabel="$\\sqrt{\\bar\\alpha_t}$ (signal coefficient)",
       title="How fast the forward process removes the signal")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# **Latent diffusion arithmetic.** Stable Diffusion's autoencoder downsamples by $f = 8$ and keeps
# 4 channels, so a 512×512 RGB image becomes a 64×64×4 latent: 786,432 numbers against 16,384,
# a factor of 48 fewer for the diffusion model to denoise at every step.

# %%
pixels = 512 * 512 * 3
latent = (512 // 8) * (512 // 8) * 4
print(f"pixels {pixels:,}, latent {latent:,}, ratio {pixels // latent}")
assert pixels == 786_432 and latent == 16_384 and pixels / latent == 48
