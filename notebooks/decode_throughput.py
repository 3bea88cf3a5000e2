# %% [markdown]
# ### Notebook: decode tokens per second at batch 1, from bytes and bandwidth
#
# At batch size 1 every decoding step reads all the weights (and the sequence's KV cache) from
# GPU memory, so memory bandwidth divided by the bytes read per token is an upper bound on tokens
# per second. This notebook counts the parameters of Llama 3.1 8B, 70B and 405B from their
# published configurations (Llama 3 paper, Table 3, and the models' `config.json`), and proves
# the figures of the prefill/decode answer:
#
# - parameters: 8,030,261,248 (8B), 70,553,706,496 (70B), 405,853,388,800 (405B);
# - 70B in bf16 is 141.1 GB of weights: it does not fit in one 80 GB H100 (nor in a 141 GB
#   H200 with room for a KV cache); in fp8 (70.6 GB) it fits on one H100 with about 9 GB left;
# - on an H100 SXM (3.35 TB/s HBM3, 989 TFLOP/s dense bf16) the batch-1 ceilings with an
#   8,192-token bf16 KV cache are about 196 tokens/s for 8B bf16, 46 for 70B fp8 on one GPU,
#   47 for 70B bf16 split over two GPUs (before any communication cost), 88 for 70B int4, and
#   65 for 405B fp8 over eight GPUs; the 70B KV cache is 2.7 GB at 8K tokens and 43 GB at 128K,
#   and at batch 1 the GPU uses under 1 % of its FLOP/s;
# - prefill of a 2,000-token prompt through 70B does about 2,000 FLOPs per byte of bf16 weights
#   (about 1,340 counting activation traffic), far above the H100's ridge of 295, and needs at least
#   0.29 s of one H100's bf16 peak, whereas a decode step does about 1 FLOP per weight byte.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.4), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})

H100_BW, H100_BF16, H100_MEM = 3.35e12, 989e12, 80e9      # bytes/s, FLOP/s dense, bytes
H200_MEM = 141e9

# Llama 3.1 configurations: layers, width, FFN width, query heads, KV heads, vocabulary
CONFIGS = {
    "8B": dict(layers=32, d=4096, ffn=14336, heads=32, kv_heads=8, vocab=128256),
    "70B": dict(layers=80, d=8192, ffn=28672, heads=64, kv_heads=8, vocab=128256),
    "405B": dict(layers=126, d=16384, ffn=53248, heads=128, kv_heads=8, vocab=128256),
}


def n_params(layers, d, ffn, heads, kv_heads, vocab):
    head_dim = d // heads
    attn = 2 * d * d + 2 * d * kv_heads * head_dim          # Wq, Wo, Wk, Wv (no biases)
    mlp = 3 * d * ffn                                        # SwiGLU: gate, up, down
    per_layer = attn + mlp + 2 * d                           # two RMSNorm gains
    return layers * per_layer + 2 * vocab * d + d            # untied embeddings, final norm


def kv_bytes_per_token(layers, d, heads, kv_heads, bytes_per=2, **_):
    return 2 * layers * kv_heads * (d // heads) * bytes_per


params = {name: n_params(**cfg) for name, cfg in CONFIGS.items()}
print({k: f"{v:,}" for k, v in params.items()})
assert params == {"8B": 8_030_261_248, "70B": 70_553_706_496, "405B": 405_853_388_800}
assert kv_bytes_per_token(**CONFIGS["70B"]) == 320 * 2**10          # 320 KiB per token

# %% [markdown]
# **Does it fit?** Weights alone, at 2 bytes (bf16), 1 byte (fp8) and 0.5 byte (int4) per
# parameter. Real int4 formats store a scale per group of weights (about 4.1–4.5 bits per
# weight), so the int4 rows are slightly optimistic.

# %%
BYTES = {"bf16": 2.0, "fp8": 1.0, "int4": 0.5}
w70 = {fmt: params["70B"] * b for fmt, b in BYTES.items()}
print({fmt: f"{v / 1e9:.1f} GB" for fmt, v in w70.items()})
assert round(w70["bf16"] / 1e9, 1) == 141.1 and w70["bf16"] > H100_MEM and w70["bf16"] > H200_MEM
assert round(w70["fp8"] / 1e9, 1) == 70.6 and round((H100_MEM - w70["fp8"]) / 1e9) == 9
assert params["405B"] * 2 > 8 * H100_MEM            # 811.7 GB: not even one 8-GPU H100 node
assert params["405B"] * 1 < 8 * H100_MEM            # fp8 (405.9 GB) fits on eight

# %% [markdown]
# **The batch-1 ceiling.** Time per token $\ge$ (weight bytes + KV-cache bytes) / bandwidth. With
# tensor parallelism over $g$ GPUs each GPU reads $1/g$ of the bytes in parallel, so the
# aggregate bandwidth is $g \times 3.35$ TB/s; the all-reduces between GPUs only lower the real
# figure. The KV cache is 8,192 tokens in bf16.

# %%
CONTEXT = 8192


def decode_ceiling(model, fmt, gpus=1, bw=H100_BW, context=CONTEXT):
    weights = params[model] * BYTES[fmt]
    kv = kv_bytes_per_token(**CONFIGS[model]) * context
    return gpus * bw / (weights + kv)                        # tokens per second


cases = [("8B", "bf16", 1), ("70B", "fp8", 1), ("70B", "bf16", 2), ("70B", "int4", 1),
         ("405B", "fp8", 8)]
print(f"{'model':>5} {'format':>6} {'GPUs':>4} {'GB read/token':>14} {'tokens/s <=':>12}")
ceil = {}
for m, fmt, g in cases:
    gb = (params[m] * BYTES[fmt] + kv_bytes_per_token(**CONFIGS[m]) * CONTEXT) / 1e9
    ceil[(m, fmt, g)] = decode_ceiling(m, fmt, g)
    print(f"{m:>5} {fmt:>6} {g:>4} {gb:>14.1f} {ceil[(m, fmt, g)]:>12.0f}")

assert round(ceil[("8B", "bf16", 1)]) == 196
assert round(ceil[("70B", "fp8", 1)]) == 46
assert round(ceil[("70B", "bf16", 2)]) == 47
assert round(ceil[("70B", "int4", 1)]) == 88
assert round(ceil[("405B", "fp8", 8)]) == 65
assert round(kv_bytes_per_token(**CONFIGS["70B"]) * CONTEXT / 1e9, 2) == 2.68   # the 8K cache
assert round(kv_bytes_per_token(**CONFIGS["70B"]) * 131072 / 1e9) == 43          # at 128K
# at the fp8 ceiling the GPU does 2 FLOPs per parameter per token: under 1 % of its peak
assert 2 * params["70B"] * ceil[("70B", "fp8", 1)] / H100_BF16 < 0.01
# weights only, no cache: the 70B fp8 figure people quote
assert round(H100_BW / (params["70B"] * 1.0)) == 47

# %% [markdown]
# **Prefill is different.** A prompt of $T$ tokens goes through every weight at once: about
# $2NT$ FLOPs for $N$ parameters against $2N$ bytes of bf16 weights, an intensity of about $T$
# FLOPs per weight byte. The H100's ridge point (peak FLOP/s over bandwidth) is 295, so a prompt
# of a few hundred tokens already makes the matmuls compute-bound; decoding one token per step
# sits at 1.

# %%
ridge = H100_BF16 / H100_BW
T = 2000
flops = 2 * params["70B"] * T
intensity = flops / (params["70B"] * 2)
t_prefill = flops / H100_BF16
print(f"ridge {ridge:.0f} FLOP/byte; prefill of {T} tokens: {intensity:.0f} FLOP/byte, "
      f">= {t_prefill:.2f} s at bf16 peak; decode: {2 * params['70B'] / (params['70B'] * 2):.0f}")
assert round(ridge) == 295 and intensity == T and round(t_prefill, 2) == 0.29
# with a d x d weight and activations counted too, intensity is T / (1 + 2T/d): still > ridge
d = CONFIGS["70B"]["d"]
assert round(T / (1 + 2 * T / d)) == 1344 > ridge

ctx = np.array([0, 8192, 32768, 131072])
fig, ax = plt.subplots()
for (m, fmt, g) in cases:
    ax.plot(ctx / 1024, [decode_ceiling(m, fmt, g, context=c) for c in ctx], "o-",
            label=f"{m} {fmt} on {g} H100")
ax.set(xlabel="context already in the KV cache (K tokens)", ylabel="tokens/s upper bound",
       title="Batch-1 decode ceiling = bandwidth / bytes read per token")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
