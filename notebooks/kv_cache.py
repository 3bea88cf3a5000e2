# %% [markdown]
# ### Notebook: KV-cache memory, GQA ratios and embedding parameters
#
# This notebook computes the memory a decoder's key-value cache needs, from the formula
#
# $$
# \text{bytes} = 2 \times n_\text{layers} \times n_\text{kv heads} \times d_\text{head}
# \times \text{bytes per element} \times \text{tokens} \times \text{batch},
# $$
#
# where the 2 counts keys and values. For Llama 3 8B (32 layers, 32 query heads, 8 KV heads,
# head dimension 128, model width 4,096, bf16; Table 3 of the Llama 3 paper, arXiv 2407.21783,
# and the model's `config.json`) it proves:
#
# - 131,072 bytes = 128 KiB per token; 1 GiB for 8,192 tokens; 16 GiB for 131,072 tokens
#   (Llama 3.1's 128K window); 32 GiB for a batch of 32 sequences of 8,192 tokens;
# - with multi-head attention (32 KV heads) the cache would be 4× larger (512 KiB per token),
#   with multi-query attention (1 KV head) 8× smaller than GQA (16 KiB per token, 128 MiB for
#   8,192 tokens); the K and V projections are 4,096 × 1,024 each;
# - Llama 3 70B (80 layers, 64 query heads, 8 KV heads, head dim 128): 320 KiB per token, 8×
#   less than multi-head attention would need;
# - the 8B model has 8,030,261,248 parameters (16.06 GB in bf16), and one sequence's cache
#   outgrows the weights beyond 122,532 tokens;
# - the embedding matrices: Llama 3 8B's untied input and output matrices are 525,336,576
#   parameters each (6.5% of the model apiece); GPT-2 small's tied matrix (50,257 × 768) is
#   38,597,376 parameters, 31.0% of its 124,439,808.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)

KiB, MiB, GiB = 2**10, 2**20, 2**30


def kv_cache_bytes(layers, kv_heads, head_dim, tokens, batch=1, bytes_per_element=2):
    """Keys and values (the factor 2) for every layer, KV head, token and sequence."""
    return 2 * layers * kv_heads * head_dim * bytes_per_element * tokens * batch


llama3_8b = dict(layers=32, d_model=4096, q_heads=32, kv_heads=8, head_dim=128,
                 d_ff=14336, vocab=128_256)
assert llama3_8b["q_heads"] * llama3_8b["head_dim"] == llama3_8b["d_model"]

# %% [markdown]
# **Per token and per context length.** The cache grows linearly with tokens and batch size.

# %%
L, H_kv, d_h = llama3_8b["layers"], llama3_8b["kv_heads"], llama3_8b["head_dim"]
per_token = kv_cache_bytes(L, H_kv, d_h, tokens=1)
print(f"per token: {per_token:,} B = {per_token / KiB:.0f} KiB")
assert per_token == 131_072 == 128 * KiB

for tokens, expected in [(8_192, 1 * GiB), (131_072, 16 * GiB)]:
    b = kv_cache_bytes(L, H_kv, d_h, tokens)
    print(f"{tokens:>7,} tokens: {b:,} B = {b / GiB:g} GiB")
    assert b == expected
assert kv_cache_bytes(L, H_kv, d_h, 8_192) == 1_073_741_824
assert kv_cache_bytes(L, H_kv, d_h, 8_192, batch=32) == 32 * GiB

# %% [markdown]
# **The cache is really stored like this.** A toy decode loop appends one key and one value
# vector per layer and KV head at each step; counting the array bytes gives the formula back
# (shown for 2 layers and 16 tokens so it runs instantly).

# %%
toy_layers, toy_tokens = 2, 16
cache = [{"k": np.empty((H_kv, 0, d_h), dtype=np.float16),
          "v": np.empty((H_kv, 0, d_h), dtype=np.float16)} for _ in range(toy_layers)]
for _ in range(toy_tokens):
    for layer in cache:
        new_k = rng.normal(size=(H_kv, 1, d_h)).astype(np.float16)  # 2 bytes, like bf16
        new_v = rng.normal(size=(H_kv, 1, d_h)).astype(np.float16)
        layer["k"] = np.concatenate([layer["k"], new_k], axis=1)
        layer["v"] = np.concatenate([layer["v"], new_v], axis=1)
stored = sum(layer["k"].nbytes + layer["v"].nbytes for layer in cache)
assert stored == kv_cache_bytes(toy_layers, H_kv, d_h, toy_tokens)

# %% [markdown]
# **Multi-head, grouped-query and multi-query attention.** Only the number of KV heads
# changes; the query heads (32) and the rest of the model stay the same.

# %%
variants = {"MHA (32 KV heads)": 32, "GQA (8 KV heads)": 8, "MQA (1 KV head)": 1}
per_token_variant = {name: kv_cache_bytes(L, h, d_h, 1) for name, h in variants.items()}
for name, b in per_token_variant.items():
    print(f"{name:18s} {b / KiB:5.0f} KiB/token   {kv_cache_bytes(L, variants[name], d_h, 8_192) / GiB:g} GiB at 8,192 tokens")
mha, gqa, mqa = per_token_variant.values()
assert (mha, gqa, mqa) == (512 * KiB, 128 * KiB, 16 * KiB)
assert mha // gqa == 4 and gqa // mqa == 8 and mha // mqa == 32
assert kv_cache_bytes(L, 32, d_h, 8_192) == 4 * GiB
assert kv_cache_bytes(L, 1, d_h, 8_192) == 128 * MiB

llama3_70b = dict(layers=80, d_model=8192, q_heads=64, kv_heads=8, head_dim=128)
assert llama3_70b["q_heads"] * llama3_70b["head_dim"] == llama3_70b["d_model"]
b70 = kv_cache_bytes(80, 8, 128, 1)
print(f"Llama 3 70B: {b70 / KiB:.0f} KiB/token; MHA would need {kv_cache_bytes(80, 64, 128, 1) / KiB:.0f}")
assert b70 == 320 * KiB and kv_cache_bytes(80, 64, 128, 1) // b70 == 8

# %% [markdown]
# **Cache against weights.** Counting Llama 3 8B's parameters (embeddings, and per layer the
# Q, K, V, O projections, the three SwiGLU matrices and two RMSNorm gains; no biases):

# %%
d, d_ff, V = llama3_8b["d_model"], llama3_8b["d_ff"], llama3_8b["vocab"]
d_kv = H_kv * d_h                                     # 1,024: K and V project to 8 heads
assert d_kv == 1_024
per_layer = d * d + 2 * d * d_kv + d * d + 3 * d * d_ff + 2 * d
embedding = V * d
params = L * per_layer + 2 * embedding + d            # untied input and output, final norm
print(f"per layer {per_layer:,}; embedding {embedding:,}; total {params:,}")
assert per_layer == 218_112_000
assert params == 8_030_261_248
weight_bytes = 2 * params
assert weight_bytes == 16_060_522_496 and round(weight_bytes / 1e9, 1) == 16.1
crossover = weight_bytes // per_token + 1
print(f"the cache of one sequence exceeds the bf16 weights beyond {crossover - 1:,} tokens")
assert kv_cache_bytes(L, H_kv, d_h, crossover - 1) <= weight_bytes < kv_cache_bytes(L, H_kv, d_h, crossover)
assert crossover - 1 == 122_532

# %% [markdown]
# **Embedding matrices and weight tying.** Llama 3 8B keeps separate input and output
# matrices; GPT-2 small ties them (one matrix used twice).

# %%
assert embedding == 525_336_576 and round(100 * embedding / params, 1) == 6.5

gpt2_vocab, gpt2_d, gpt2_ctx, gpt2_layers = 50_257, 768, 1024, 12
gpt2_wte = gpt2_vocab * gpt2_d
gpt2_layer = (2 * gpt2_d                              # LayerNorm 1
              + gpt2_d * 3 * gpt2_d + 3 * gpt2_d      # fused QKV with bias
              + gpt2_d * gpt2_d + gpt2_d              # attention output
              + 2 * gpt2_d                            # LayerNorm 2
              + gpt2_d * 4 * gpt2_d + 4 * gpt2_d      # MLP up
              + 4 * gpt2_d * gpt2_d + gpt2_d)         # MLP down
gpt2_total = gpt2_wte + gpt2_ctx * gpt2_d + gpt2_layers * gpt2_layer + 2 * gpt2_d
print(f"GPT-2 small: {gpt2_total:,} parameters, tied embedding {gpt2_wte:,} "
      f"({100 * gpt2_wte / gpt2_total:.1f}%)")
assert gpt2_wte == 38_597_376 and gpt2_total == 124_439_808
assert round(100 * gpt2_wte / gpt2_total, 1) == 31.0

# %% [markdown]
# **Cache size against context length** for the three attention variants of the 8B shape,
# with the bf16 weights for scale.

# %%
assert round(weight_bytes / GiB, 1) == 15.0
ctx = np.arange(0, 131_073, 1024)
fig, ax = plt.subplots()
for (name, h), colour in zip(variants.items(), ["tab:red", "tab:blue", "tab:green"]):
    ax.plot(ctx / 1024, kv_cache_bytes(L, h, d_h, ctx) / GiB, label=name, color=colour)
ax.axhline(weight_bytes / GiB, color="grey", ls="--", label="bf16 weights (15.0 GiB)")
ax.set(xlabel="context length (K tokens)", ylabel="KV cache (GiB), batch 1",
       title="Llama 3 8B shape: KV cache per sequence")
ax.legend()
fig.tight_layout()
plt.show()
