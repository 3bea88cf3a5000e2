# %% [markdown]
# ### Notebook: rotary position embeddings (RoPE)
#
# This notebook implements RoPE in NumPy and checks its defining properties on random
# queries and keys (head dimension 128):
#
# - rotating a query by its position $m$ and a key by its position $n$ gives a dot product
#   that depends only on $m - n$: shifting both positions by the same amount changes nothing,
#   and the result equals $q^\top R_{n-m}\, k$;
# - the rotation preserves vector norms;
# - adding sinusoidal position vectors instead does **not** have this property;
# - the real-pair implementation equals multiplication by $e^{i m \theta_j}$ in complex form,
#   and the "rotate-half" layout used by GPT-NeoX-style code is the same map on permuted
#   dimensions;
# - the wavelengths run from $2\pi \approx 6.3$ tokens to about 54,410 tokens with base
#   10,000, and to about 2.56 million tokens with Llama 3's base 500,000;
# - position interpolation by a factor $s$ maps the angles at position $sL$ exactly onto those
#   at $L$; NTK-aware base scaling $b' = b\, s^{d/(d-2)}$ keeps the fastest frequency and
#   divides the slowest by exactly $s$;
# - ALiBi's slopes for 8 heads are 1/2, 1/4, ..., 1/256, so at distance 10 the penalty is 5 for
#   the steepest head and 0.039 for the flattest; its scores are also shift-invariant;
# - a 4,096-token sliding window stacked over 32 layers reaches back 131,072 tokens.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)
d = 128


def frequencies(d, base=10_000.0):
    """theta_j = base^(-2j/d) for j = 0 .. d/2 - 1 (radians per token)."""
    return base ** (-np.arange(0, d, 2) / d)


def rope(x, positions, base=10_000.0, scale=1.0):
    """Rotate each pair (x[2j], x[2j+1]) of every row by angle position * theta_j / scale."""
    x = np.atleast_2d(x)
    angles = np.asarray(positions, dtype=float)[:, None] / scale * frequencies(x.shape[-1], base)
    cos, sin = np.cos(angles), np.sin(angles)
    even, odd = x[:, 0::2], x[:, 1::2]
    out = np.empty_like(x)
    out[:, 0::2] = even * cos - odd * sin
    out[:, 1::2] = even * sin + odd * cos
    return out

# %% [markdown]
# **Relative by construction.** $R_m$ is block-diagonal with $2\times 2$ rotations, so
# $(R_m q)^\top (R_n k) = q^\top R_m^\top R_n k = q^\top R_{n-m} k$. We test random
# $(m, n)$ pairs and shifts $s$ up to 100,000.

# %%
q, k = rng.normal(size=(2, d))
m = rng.integers(0, 50_000, size=200)
n = rng.integers(0, 50_000, size=200)
s = rng.integers(1, 100_000, size=200)

dots = np.einsum("id,id->i", rope(np.tile(q, (200, 1)), m), rope(np.tile(k, (200, 1)), n))
shifted = np.einsum("id,id->i", rope(np.tile(q, (200, 1)), m + s), rope(np.tile(k, (200, 1)), n + s))
relative = rope(np.tile(k, (200, 1)), n - m) @ q
print("max |shifted - original| =", np.abs(shifted - dots).max())
assert np.allclose(dots, shifted, rtol=0, atol=1e-9)
assert np.allclose(dots, relative, rtol=0, atol=1e-9)

X = rng.normal(size=(500, d))
assert np.allclose(np.linalg.norm(rope(X, rng.integers(0, 10**6, 500)), axis=1),
                   np.linalg.norm(X, axis=1), rtol=1e-12, atol=0)

# %% [markdown]
# **Additive sinusoidal positions are not shift-invariant.** With
# $(q + p_m)^\top (k + p_n)$ the cross terms $q^\top p_n$ and $p_m^\top k$ depend on the
# absolute positions, so shifting both changes the score.

# %%
def sinusoidal(positions, d):
    angles = np.asarray(positions, dtype=float)[:, None] * frequencies(d)
    pe = np.empty((len(angles), d))
    pe[:, 0::2], pe[:, 1::2] = np.sin(angles), np.cos(angles)
    return pe


add = np.einsum("id,id->i", q + sinusoidal(m, d), k + sinusoidal(n, d))
add_shift = np.einsum("id,id->i", q + sinusoidal(m + s, d), k + sinusoidal(n + s, d))
print("additive: max change under a common shift =", np.abs(add - add_shift).max().round(2))
assert np.abs(add - add_shift).max() > 1.0

# %% [markdown]
# **Complex form and the rotate-half layout.** Treat pair $j$ as the complex number
# $x_{2j} + i\,x_{2j+1}$: RoPE multiplies it by $e^{i m\theta_j}$. Many codebases (GPT-NeoX,
# Hugging Face Llama) instead pair dimension $j$ with $j + d/2$; that is the same rotation
# after permuting the dimensions, so a checkpoint converted between the two layouts must have
# its Q and K projection rows permuted accordingly.

# %%
pos = rng.integers(0, 10_000, 50)
Z = X[:50, 0::2] + 1j * X[:50, 1::2]
Z_rot = Z * np.exp(1j * pos[:, None] * frequencies(d))
R = rope(X[:50], pos)
assert np.allclose(R[:, 0::2] + 1j * R[:, 1::2], Z_rot, atol=1e-12)


def rope_rotate_half(x, positions, base=10_000.0):
    angles = np.asarray(positions, dtype=float)[:, None] * frequencies(x.shape[-1], base)
    cos, sin = np.tile(np.cos(angles), 2), np.tile(np.sin(angles), 2)
    half = x.shape[-1] // 2
    rotated = np.concatenate([-x[:, half:], x[:, :half]], axis=-1)
    return x * cos + rotated * sin


perm = np.concatenate([np.arange(0, d, 2), np.arange(1, d, 2)])   # interleaved -> halves
assert np.allclose(rope_rotate_half(X[:50][:, perm], pos), R[:, perm], atol=1e-12)

# %% [markdown]
# **Wavelengths.** Pair $j$ completes a turn every $2\pi/\theta_j$ tokens. With $d = 128$:

# %%
for base in (10_000, 500_000):
    wl = 2 * np.pi / frequencies(d, base)
    print(f"base {base:>7,}: shortest {wl[0]:.2f} tokens, longest {wl[-1]:,.0f} tokens")
wl_10k = 2 * np.pi / frequencies(d, 10_000)
wl_500k = 2 * np.pi / frequencies(d, 500_000)
assert round(wl_10k[0], 1) == 6.3 and round(wl_10k[-1], -1) == 54_410
assert round(wl_500k[-1], -4) == 2_560_000

# %% [markdown]
# **Context extension in one line each.** Position interpolation (Chen et al., 2023) divides
# positions by $s = L'/L$, so a model trained on $L$ tokens never sees an angle larger than in
# training. NTK-aware scaling instead raises the base to $b' = b\,s^{d/(d-2)}$: the fastest
# pair (local order) is untouched and only the slow pairs are compressed, the slowest by exactly
# $s$.

# %%
L_train, s_ext = 4_096, 8
assert np.allclose(rope(q, [s_ext * L_train], scale=s_ext), rope(q, [L_train]), atol=1e-12)

theta = frequencies(d, 10_000)
theta_ntk = frequencies(d, 10_000 * s_ext ** (d / (d - 2)))
assert np.isclose(theta_ntk[0], theta[0]) and np.isclose(theta_ntk[-1], theta[-1] / s_ext)
print("NTK-aware: per-pair compression from", (theta / theta_ntk)[0].round(3),
      "to", (theta / theta_ntk)[-1].round(3))

# %% [markdown]
# **ALiBi for comparison.** No rotation: each head $h$ of $H$ subtracts $m_h\,(i-j)$ from the
# score of query $i$ and key $j$, with fixed slopes $m_h = 2^{-8h/H}$.

# %%
def alibi_slopes(n_heads):
    return 2.0 ** (-8 * np.arange(1, n_heads + 1) / n_heads)


slopes = alibi_slopes(8)
assert np.allclose(slopes, [1 / 2**h for h in range(1, 9)])
assert slopes[0] * 10 == 5.0 and round(slopes[-1] * 10, 3) == 0.039


def alibi_scores(q_rows, k_rows, i, j, slope):
    return np.einsum("id,id->i", q_rows, k_rows) - slope * (i - j)


qs, ks = np.tile(q, (200, 1)), np.tile(k, (200, 1))
i_pos, j_pos = np.maximum(m, n), np.minimum(m, n)          # causal: key not after query
assert np.allclose(alibi_scores(qs, ks, i_pos, j_pos, slopes[0]),
                   alibi_scores(qs, ks, i_pos + s, j_pos + s, slopes[0]), atol=1e-9)

# A sliding window of W tokens per layer: information can hop back W tokens per layer.
W, n_layers = 4_096, 32
assert W * n_layers == 131_072

# %% [markdown]
# **Long-term decay.** For $q = k = \mathbf{1}$ the score is $\sum_j 2\cos(\Delta\,\theta_j)$
# for distance $\Delta$: the many frequencies dephase, so the score shrinks (with
# oscillations) as tokens get further apart, the decay Su et al. point out.

# %%
dist = np.arange(0, 20_001)
ones = np.ones(d)
score = rope(np.tile(ones, (len(dist), 1)), dist) @ ones / d
assert np.isclose(score[0], 1.0)
assert np.abs(score[:16]).mean() > 3 * np.abs(score[4_096:8_192]).mean()

fig, ax = plt.subplots()
ax.plot(dist[1:], score[1:], lw=0.6, color="tab:blue")
ax.set(xscale="log", xlabel="relative distance m - n (tokens, log scale)",
       ylabel="normalised score", title="RoPE: score of q = k = 1 against distance (d = 128)")
fig.tight_layout()
plt.show()
