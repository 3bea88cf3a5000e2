# %% [markdown]
# ### Notebook: the KV cache of multi-head latent attention against MHA and GQA
#
# DeepSeek-V2 (arXiv 2405.04434, §2.1 and §3.1.2; the released `config.json` agrees) has
# 60 layers, $n_h = 128$ attention heads of dimension $d_h = 128$, a KV compression
# dimension $d_c = 512$ (`kv_lora_rank`) and a decoupled RoPE key of $d_h^R = 64$
# (`qk_rope_head_dim`). Multi-head latent attention (MLA) caches, per token and layer, only
# the latent $c^{KV}_t$ ($d_c$ numbers) and the shared rotary key $k^R_t$ ($d_h^R$ numbers).
# This notebook proves the figures of the answer:
#
# - MLA caches 576 numbers per token and layer, the same as GQA with 2.25 KV heads of
#   dimension 128; in bf16 that is 69,120 bytes = 67.5 KiB per token over 60 layers;
# - multi-head attention with the same 128 heads would cache 32,768 numbers per layer,
#   3.75 MiB per token: 56.9× more; GQA with 8 KV heads × 128 on the same 60 layers caches
#   240 KiB per token, 3.56× more than MLA; Llama 3 70B (80 layers, 8 KV heads) caches
#   320 KiB per token, 4.74× more;
# - at 131,072 tokens (128K) one sequence needs 8.44 GiB with MLA, 30 GiB with GQA-8 and
#   480 GiB with MHA;
# - the paper's "93.3% less KV cache than DeepSeek 67B" matches MLA *plus* its ~6-bit cache
#   quantisation: 25,920 bytes against 67B's 389,120 bytes per token (bf16 MLA alone: 82.2%);
# - the absorption trick is exact: scoring a query against keys rebuilt from the latent gives
#   the same numbers as scoring an absorbed query against the latent itself, and it breaks as
#   soon as a position-dependent rotation sits between the two matrices (hence decoupled RoPE).

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)
KiB, MiB, GiB = 2**10, 2**20, 2**30

v2 = dict(layers=60, heads=128, head_dim=128, kv_lora_rank=512, rope_dim=64)


def per_token_elements_mla(cfg):
    """Latent c_KV plus the one rotary key shared by all heads, for every layer."""
    return cfg["layers"] * (cfg["kv_lora_rank"] + cfg["rope_dim"])


def per_token_elements_gqa(layers, kv_heads, head_dim):
    """Keys and values (the factor 2) of every KV head, for every layer; MHA is kv_heads = heads."""
    return layers * 2 * kv_heads * head_dim


# %% [markdown]
# **Per token.** In bf16 each cached number takes 2 bytes.

# %%
mla_layer = v2["kv_lora_rank"] + v2["rope_dim"]
mha_layer = 2 * v2["heads"] * v2["head_dim"]
assert mla_layer == 576 and mha_layer == 32_768
assert mla_layer / (2 * v2["head_dim"]) == 2.25          # "GQA with only 2.25 groups"

mla = 2 * per_token_elements_mla(v2)
mha = 2 * per_token_elements_gqa(v2["layers"], v2["heads"], v2["head_dim"])
gqa8 = 2 * per_token_elements_gqa(v2["layers"], 8, 128)
llama70b = 2 * per_token_elements_gqa(80, 8, 128)
rows = {"MLA (DeepSeek-V2)": mla, "GQA, 8 KV heads, 60 layers": gqa8,
        "Llama 3 70B (GQA-8, 80 layers)": llama70b, "MHA, 128 heads, 60 layers": mha}
for name, b in rows.items():
    print(f"{name:32s} {b:>10,} B/token = {b / KiB:8.1f} KiB   {b / mla:5.2f}x MLA")

assert mla == 69_120 and mla / KiB == 67.5
assert mha == 3_932_160 and mha / MiB == 3.75
assert round(mha / mla, 1) == 56.9
assert gqa8 / KiB == 240 and round(gqa8 / mla, 2) == 3.56
assert llama70b / KiB == 320 and round(llama70b / mla, 2) == 4.74

# %% [markdown]
# **At 128K context**, batch 1:

# %%
ctx = 131_072
for name, b in rows.items():
    print(f"{name:32s} {b * ctx / GiB:7.2f} GiB")
assert round(mla * ctx / GiB, 2) == 8.44 and gqa8 * ctx / GiB == 30 and mha * ctx / GiB == 480

# %% [markdown]
# **The 93.3% of the abstract.** The baseline is DeepSeek 67B, a dense model with 95 layers
# and GQA with 8 KV heads of dimension 128 (DeepSeek LLM, arXiv 2401.02954). For deployment
# DeepSeek-V2's cache was quantised to about 6 bits per element on average (§3.2.3).

# %%
ds67b = 2 * per_token_elements_gqa(95, 8, 128)
mla_6bit = per_token_elements_mla(v2) * 6 / 8
print(f"DeepSeek 67B: {ds67b:,} B/token; DeepSeek-V2 MLA: {mla:,} B (bf16), {mla_6bit:,.0f} B (6-bit)")
print(f"reduction: {1 - mla / ds67b:.1%} (bf16), {1 - mla_6bit / ds67b:.1%} (6-bit)")
assert ds67b == 389_120 and mla_6bit == 25_920
assert round(100 * (1 - mla_6bit / ds67b), 1) == 93.3
assert round(100 * (1 - mla / ds67b), 1) == 82.2

# %% [markdown]
# **Absorbing the up-projection into the query.** Per head, the content key is
# $k^C_j = W^{UK} c_j$ with $c_j$ the cached latent. The score
# $q_t^\top k^C_j = q_t^\top W^{UK} c_j = (W^{UK\top} q_t)^\top c_j$, so the model can
# multiply the query by $W^{UK\top}$ once and score it directly against the latents, never
# rebuilding keys. Small random matrices (one head, 64 cached tokens) show it is exact.
# With RoPE applied to the rebuilt key, a rotation $R_j$ that depends on the key's position
# sits between $W^{UK}$ and $c_j$: $q_t^\top R_j W^{UK} c_j$ has no single absorbed matrix, which
# is why MLA puts position in a separate small key $k^R_j$ shared by all heads.

# %%
d_c, d_h, T = 16, 32, 64
W_uk = rng.normal(size=(d_h, d_c)) / np.sqrt(d_c)
latents = rng.normal(size=(T, d_c))        # what MLA caches: one d_c vector per token
q = rng.normal(size=d_h)

scores_rebuilt = (latents @ W_uk.T) @ q    # rebuild every key, then dot with q
scores_absorbed = latents @ (W_uk.T @ q)   # absorb W_uk into the query, score the latents
assert np.allclose(scores_rebuilt, scores_absorbed, rtol=1e-12, atol=1e-12)


def rotation(pos, dim, base=10_000.0):
    """RoPE as a block-diagonal matrix of 2x2 rotations for one position."""
    R = np.zeros((dim, dim))
    for i in range(dim // 2):
        angle = pos * base ** (-2 * i / dim)
        c, s = np.cos(angle), np.sin(angle)
        R[2 * i:2 * i + 2, 2 * i:2 * i + 2] = [[c, -s], [s, c]]
    return R


scores_rope = np.array([q @ rotation(j, d_h) @ W_uk @ latents[j] for j in range(T)])
best_fixed = np.linalg.lstsq(latents, scores_rope, rcond=None)[0]   # best single absorbed query
print("largest error of the best fixed absorbed query under RoPE:",
      np.abs(latents @ best_fixed - scores_rope).max().round(2))
assert np.abs(latents @ best_fixed - scores_rope).max() > 0.5
absorbed_for = [W_uk.T @ rotation(j, d_h).T @ q for j in (0, 1)]   # what key 0 and key 1 would need
assert not np.allclose(*absorbed_for)

# %% [markdown]
# The vector that would work changes with the key's position, so it cannot be folded into
# the query projection once; MLA keeps the rotary part out of the compressed path.
#
# **Cache against context length**, batch 1, bf16:

# %%
lengths = np.arange(0, 131_073, 4096)
fig, ax = plt.subplots()
for (name, b), colour in zip(rows.items(), ["tab:green", "tab:blue", "tab:purple", "tab:red"]):
    ax.plot(lengths / 1024, b * lengths / GiB, label=name, color=colour)
ax.set(xlabel="context length (K tokens)", ylabel="KV cache (GiB)", yscale="log",
       ylim=(0.1, 1000), title="KV cache per sequence: MLA against GQA and MHA")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
