# %% [markdown]
# ### Notebook: FlashAttention's tiled attention with an online softmax
#
# FlashAttention computes exact softmax attention block by block: for each block of queries it
# streams over blocks of keys and values and keeps, per query row, a running maximum $m$, a
# running denominator $\ell$ and an unnormalised output accumulator $O$, rescaling both by
# $e^{m_\text{old} - m_\text{new}}$ whenever the maximum grows. This notebook proves, in float64:
#
# - the tiled result equals full softmax attention to within 1e-12 for several block sizes,
#   including ones that do not divide the sequence length (257 tokens), with and without a
#   causal mask;
# - the only score matrix ever formed is one $B_r \times B_c$ tile (e.g. 64 × 100 = 6,400
#   entries against 257 × 257 = 66,049 for the full matrix);
# - the per-row log-sum-exp $m + \log \ell$ it keeps for the backward pass equals the full one;
# - with causal masking and 64 × 64 tiles on 1,024 tokens, 120 of the 256 tiles lie entirely
#   above the diagonal and are skipped.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)


def reference_attention(Q, K, V, causal=False):
    """Materialises the full N x N score matrix."""
    S = Q @ K.T / np.sqrt(Q.shape[1])
    if causal:
        S = np.where(np.tril(np.ones(S.shape, dtype=bool)), S, -np.inf)
    S_max = S.max(axis=1, keepdims=True)
    P = np.exp(S - S_max)
    lse = (S_max + np.log(P.sum(axis=1, keepdims=True))).ravel()
    return P @ V / P.sum(axis=1, keepdims=True), lse


def flash_attention(Q, K, V, block_q, block_k, causal=False):
    """Exact attention with one (block_q x block_k) score tile in memory at a time."""
    N, d = Q.shape
    scale = 1 / np.sqrt(d)
    O = np.empty((N, V.shape[1]))
    lse = np.empty(N)
    stats = {"peak_tile": 0, "tiles": 0, "skipped": 0}
    for qs in range(0, N, block_q):
        Qi = Q[qs:qs + block_q]
        rows = np.arange(qs, qs + len(Qi))
        m = np.full(len(Qi), -np.inf)          # running max of the scores seen so far
        l = np.zeros(len(Qi))                  # running sum of exp(score - m)
        acc = np.zeros((len(Qi), V.shape[1]))  # running sum of exp(score - m) * v
        for ks in range(0, N, block_k):
            if causal and ks > rows[-1]:       # the whole tile is in the future: skip it
                stats["skipped"] += 1
                continue
            Kj, Vj = K[ks:ks + block_k], V[ks:ks + block_k]
            S = Qi @ Kj.T * scale              # the only score matrix ever formed
            stats["peak_tile"] = max(stats["peak_tile"], S.size)
            stats["tiles"] += 1
            if causal:
                cols = np.arange(ks, ks + len(Kj))
                S = np.where(cols[None, :] <= rows[:, None], S, -np.inf)
            m_new = np.maximum(m, S.max(axis=1))
            P = np.exp(S - m_new[:, None])
            correction = np.exp(m - m_new)     # rescales what was accumulated so far
            l = correction * l + P.sum(axis=1)
            acc = correction[:, None] * acc + P @ Vj
            m = m_new
        O[qs:qs + block_q] = acc / l[:, None]
        lse[qs:qs + block_q] = m + np.log(l)
    return O, lse, stats

# %% [markdown]
# **Same output for every tiling.** 257 tokens, head dimension 64, scores with a spread large
# enough that the running maximum changes often.

# %%
N, d = 257, 64
Q, K, V = (rng.normal(size=(N, d)) * 1.5 for _ in range(3))
for causal in (False, True):
    O_ref, lse_ref = reference_attention(Q, K, V, causal)
    for bq, bk in [(16, 16), (64, 100), (32, 7), (5, 13), (7, 3), (1, 64), (257, 257), (300, 512)]:
        O, lse, stats = flash_attention(Q, K, V, bq, bk, causal)
        err = np.abs(O - O_ref).max()
        print(f"causal={causal!s:5}  tiles {bq:3d} x {bk:3d}: max |error| {err:.1e}, "
              f"largest score tile {stats['peak_tile']:,} entries")
        assert np.allclose(O, O_ref, rtol=0, atol=1e-12)
        assert np.allclose(lse, lse_ref, rtol=0, atol=1e-12)
        assert stats["peak_tile"] <= min(bq, N) * min(bk, N)

_, _, stats = flash_attention(Q, K, V, 64, 100)
assert stats["peak_tile"] == 64 * 100 == 6_400 and N * N == 66_049

# %% [markdown]
# **Causal tiles that can be skipped.** With $T = N/B$ tiles per side, the tiles strictly
# above the diagonal number $T(T-1)/2$: for 1,024 tokens and 64 × 64 tiles, 16 × 15 / 2 = 120
# of 256, nearly half the work.

# %%
N2 = 1_024
Q2, K2, V2 = (rng.normal(size=(N2, 32)) for _ in range(3))
O2, _, stats2 = flash_attention(Q2, K2, V2, 64, 64, causal=True)
assert np.allclose(O2, reference_attention(Q2, K2, V2, causal=True)[0], rtol=0, atol=1e-12)
print(stats2)
assert stats2["skipped"] == 120 and stats2["tiles"] + stats2["skipped"] == 256

# %% [markdown]
# **Memory for the scores.** Standard attention stores $N^2$ scores per head (and the same
# again for the probabilities kept for the backward pass); the tiled version keeps one tile
# plus $O(N)$ statistics. In fp16/bf16 one head's $N \times N$ matrix is 2 GiB at $N = 32{,}768$.

# %%
assert 32_768**2 * 2 == 2 * 2**30
Ns = 2 ** np.arange(9, 17)
fig, ax = plt.subplots()
ax.plot(Ns, Ns.astype(float) ** 2, "o-", color="tab:red", label="full score matrix: N²")
ax.plot(Ns, np.full(len(Ns), 128 * 128) + 2 * Ns, "o-", color="tab:blue",
        label="tile 128×128 + running max and sum: 2N")
ax.set(xscale="log", yscale="log", xlabel="sequence length N", ylabel="numbers held per head",
       title="Score memory: standard vs tiled attention")
ax.legend()
fig.tight_layout()
plt.show()
