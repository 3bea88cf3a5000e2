# %% [markdown]
# ### Notebook: causal self-attention with a KV cache, then grouped-query attention
#
# One PyTorch module covers multi-head attention (MHA, `n_kv_heads == n_heads`),
# grouped-query attention (GQA, `n_kv_heads` a divisor of `n_heads`) and multi-query attention
# (`n_kv_heads == 1`). `forward(x, cache)` takes the new tokens and the cached keys and values
# of the earlier ones, and returns the output for the new tokens plus the extended cache.
# The notebook proves what the answer states:
#
# - decoding one token at a time with the cache (after a 5-token prefill) gives the same
#   outputs as recomputing attention over the whole prefix at every step, to within 1e-12 in
#   float64, for MHA and GQA; a cache that forgets the causal offset fails this check;
# - the module with `n_kv_heads == n_heads` equals an independent reference implementation of
#   MHA (`F.scaled_dot_product_attention`), and GQA equals PyTorch's `enable_gqa=True`;
# - GQA equals MHA whose key/value heads are copies of the shared ones, grouped with
#   `repeat_interleave`, and not with `repeat`;
# - the cache of 8 query heads with 2 KV heads is 4× smaller than with 8 KV heads
#   (8 KiB against 32 KiB for 32 tokens in one layer, float64).

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)                 # tiny tensors: extra threads only add overhead
torch.set_default_dtype(torch.float64)   # exact comparisons: only summation order differs


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads, n_kv_heads):
        super().__init__()
        assert d_model % n_heads == 0 and n_heads % n_kv_heads == 0
        self.h, self.h_kv, self.d_h = n_heads, n_kv_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, n_heads * self.d_h, bias=False)
        self.k_proj = nn.Linear(d_model, n_kv_heads * self.d_h, bias=False)
        self.v_proj = nn.Linear(d_model, n_kv_heads * self.d_h, bias=False)
        self.o_proj = nn.Linear(n_heads * self.d_h, d_model, bias=False)

    def forward(self, x, cache=None):
        """x: (batch, new tokens, d_model); cache: (k, v), each (batch, h_kv, past tokens, d_h)."""
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.h, self.d_h).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.h_kv, self.d_h).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.h_kv, self.d_h).transpose(1, 2)
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        new_cache = (k, v)
        group = self.h // self.h_kv
        k = k.repeat_interleave(group, dim=1)         # query head i uses KV head i // group
        v = v.repeat_interleave(group, dim=1)
        past = k.shape[2] - T
        # new token t (absolute position past + t) may see keys 0 .. past + t
        mask = torch.ones(T, past + T, dtype=torch.bool).tril(diagonal=past)
        scores = (q @ k.transpose(-2, -1)) / self.d_h**0.5
        att = scores.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        out = (att @ v).transpose(1, 2).reshape(B, T, self.h * self.d_h)
        return self.o_proj(out), new_cache


# %% [markdown]
# **Incremental decoding against full recomputation.** Prefill 5 tokens in one call, then feed
# the remaining 11 one at a time, each time only the new token plus the cache; compare with
# running the whole prefix without a cache.

# %%
def check_incremental(attn, x, prefill=5):
    full, _ = attn(x)                                      # all positions at once, causal mask
    out, cache = attn(x[:, :prefill])
    outs = [out]
    for t in range(prefill, x.shape[1]):
        step, cache = attn(x[:, t:t + 1], cache)
        outs.append(step)
    incremental = torch.cat(outs, dim=1)
    return torch.allclose(incremental, full, rtol=0, atol=1e-12), cache


batch, T, d_model = 2, 16, 64
x = torch.randn(batch, T, d_model)
mha = CausalSelfAttention(d_model, n_heads=8, n_kv_heads=8)
gqa = CausalSelfAttention(d_model, n_heads=8, n_kv_heads=2)
for name, attn in [("MHA", mha), ("GQA", gqa)]:
    same, cache = check_incremental(attn, x)
    print(f"{name}: incremental == full recomputation: {same}; cache k shape {tuple(cache[0].shape)}")
    assert same
assert cache[0].shape == (batch, 2, T, d_model // 8)

# %% [markdown]
# **A classic bug the check catches.** If the mask ignores the cached tokens (here: a plain
# lower-triangular mask over the new tokens only, which blocks the single new token from all
# but the first cached key), the outputs no longer match.

# %%
class ForgetsOffset(CausalSelfAttention):
    def forward(self, x, cache=None):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.h, self.d_h).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.h_kv, self.d_h).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.h_kv, self.d_h).transpose(1, 2)
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        new_cache = (k, v)
        k, v = k.repeat_interleave(self.h // self.h_kv, 1), v.repeat_interleave(self.h // self.h_kv, 1)
        mask = torch.ones(T, k.shape[2], dtype=torch.bool).tril()     # wrong: no offset
        att = ((q @ k.transpose(-2, -1)) / self.d_h**0.5).masked_fill(~mask, float("-inf")).softmax(-1)
        return self.o_proj((att @ v).transpose(1, 2).reshape(B, T, -1)), new_cache


buggy = ForgetsOffset(d_model, 8, 2)
buggy.load_state_dict(gqa.state_dict())
assert not check_incremental(buggy, x)[0]

# %% [markdown]
# **Against independent references.** MHA against `F.scaled_dot_product_attention` with
# `is_causal=True`; GQA against the same function with `enable_gqa=True` (PyTorch 2.5+), which
# broadcasts each KV head to its group of query heads.

# %%
def reference(attn, x, **kwargs):
    B, T, _ = x.shape
    q = attn.q_proj(x).view(B, T, attn.h, attn.d_h).transpose(1, 2)
    k = attn.k_proj(x).view(B, T, attn.h_kv, attn.d_h).transpose(1, 2)
    v = attn.v_proj(x).view(B, T, attn.h_kv, attn.d_h).transpose(1, 2)
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True, **kwargs)
    return attn.o_proj(out.transpose(1, 2).reshape(B, T, -1))


assert torch.allclose(mha(x)[0], reference(mha, x), rtol=0, atol=1e-12)
assert torch.allclose(gqa(x)[0], reference(gqa, x, enable_gqa=True), rtol=0, atol=1e-12)

# %% [markdown]
# **GQA is MHA with tied key/value heads.** Build an 8-KV-head module whose K and V
# projections are the GQA projections with each head copied to its group of 4 query heads
# (consecutive heads share, as `repeat_interleave` does); it computes the same function. Copying
# with the other layout (`repeat`, heads shared in a strided pattern) does not.

# %%
def expand_kv(weight, n_kv, group, d_h, interleave=True):
    """(n_kv * d_h, d) -> (n_kv * group * d_h, d): every KV head copied for its query heads."""
    heads = weight.view(n_kv, d_h, -1)
    heads = heads.repeat_interleave(group, dim=0) if interleave else heads.repeat(group, 1, 1)
    return heads.reshape(n_kv * group * d_h, -1)


def as_mha(gqa_module, interleave=True):
    m = CausalSelfAttention(d_model, gqa_module.h, gqa_module.h)
    g = gqa_module.h // gqa_module.h_kv
    with torch.no_grad():
        m.q_proj.weight.copy_(gqa_module.q_proj.weight)
        m.o_proj.weight.copy_(gqa_module.o_proj.weight)
        m.k_proj.weight.copy_(expand_kv(gqa_module.k_proj.weight, gqa_module.h_kv, g, gqa_module.d_h, interleave))
        m.v_proj.weight.copy_(expand_kv(gqa_module.v_proj.weight, gqa_module.h_kv, g, gqa_module.d_h, interleave))
    return m


assert torch.allclose(as_mha(gqa)(x)[0], gqa(x)[0], rtol=0, atol=1e-12)
assert not torch.allclose(as_mha(gqa, interleave=False)(x)[0], gqa(x)[0], atol=1e-6)
print("GQA == MHA with copied KV heads (repeat_interleave layout); the repeat layout differs")

# %% [markdown]
# **Cache size.** Same 8 query heads and head size; only the number of cached KV heads changes.

# %%
def cache_bytes(cache):
    return sum(t.numel() * t.element_size() for t in cache)


_, cache_mha = mha(torch.randn(1, 32, d_model))
_, cache_gqa = gqa(torch.randn(1, 32, d_model))
print(f"32 tokens, one layer, float64: MHA {cache_bytes(cache_mha) / 1024:.0f} KiB, "
      f"GQA {cache_bytes(cache_gqa) / 1024:.0f} KiB")
assert cache_bytes(cache_mha) == 2 * 8 * 32 * 8 * 8 == 32 * 1024     # k and v, heads, tokens, d_h, bytes
assert cache_bytes(cache_mha) // cache_bytes(cache_gqa) == 8 // 2 == 4
