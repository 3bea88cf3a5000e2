# %% [markdown]
# ### Notebook: ring all-reduce, bytes per worker and bucketed overlap
#
# This notebook simulates the ring all-reduce that data-parallel training uses to sum gradients,
# with $p$ workers as rows of a numpy array, and proves the figures of the ring all-reduce answer:
#
# - after a reduce-scatter ($p-1$ steps) and an all-gather ($p-1$ more), every worker holds the
#   exact sum of all $p$ gradient vectors;
# - each worker sends $2(p-1)/p \cdot N$ values for a vector of $N$ values, under $2N$ for any $p$;
#   a naive scheme in which every worker sends its whole vector to every other sends
#   $(p-1) N$, and a central parameter server receives $pN$ and sends $pN$ per step;
# - the table for $p \in \{2, 8, 64, 1024\}$ and a 1 GB gradient (bf16, 500M parameters);
# - a bucketed timeline: with the backward pass producing gradients in 25 MB buckets, the
#   all-reduce of all but the last bucket hides behind the remaining backward computation.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.2), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)


def ring_allreduce(grads):
    """Sum the rows of `grads` (one row per worker) with a ring; return the result and values sent.

    The vector is cut into p chunks. In reduce-scatter step s, worker i sends chunk (i - s) mod p
    to worker i + 1, which adds it to its own copy; after p - 1 steps worker i owns the full sum of
    chunk (i + 1) mod p. The all-gather then passes the finished chunks round the ring p - 1 times.
    """
    p, n = grads.shape
    bufs = [np.array_split(g.astype(np.float64), p) for g in grads]
    sent = np.zeros(p, dtype=np.int64)
    for s in range(p - 1):                                  # reduce-scatter
        msgs = [(i, (i - s) % p, bufs[i][(i - s) % p].copy()) for i in range(p)]
        for i, c, data in msgs:                             # all sends of a step happen at once
            bufs[(i + 1) % p][c] += data
            sent[i] += data.size
    for s in range(p - 1):                                  # all-gather
        msgs = [(i, (i + 1 - s) % p, bufs[i][(i + 1 - s) % p].copy()) for i in range(p)]
        for i, c, data in msgs:
            bufs[(i + 1) % p][c] = data
            sent[i] += data.size
    return np.stack([np.concatenate(b) for b in bufs]), sent


for p, n in [(2, 10), (4, 1000), (8, 1000), (5, 1003)]:    # 1003 is not divisible by 5
    g = rng.normal(size=(p, n))
    out, sent = ring_allreduce(g)
    assert np.allclose(out, g.sum(axis=0)), p               # every worker holds the sum
    assert sent.max() <= 2 * (p - 1) * -(-n // p)           # at most 2(p-1) chunks of ceil(n/p)
    if n % p == 0:
        assert (sent == 2 * (p - 1) * n // p).all()
print("ring all-reduce = sum on every worker; values sent per worker for p=8, N=1000:",
      ring_allreduce(rng.normal(size=(8, 1000)))[1][0])

# %% [markdown]
# **Bytes per worker.** Two phases of $p-1$ steps, each sending one chunk of $N/p$ values:
# $2(p-1)N/p$, which approaches $2N$ but never reaches it. Sending the whole vector to every
# other worker costs $(p-1)N$ per worker, and a single parameter server must receive $p$ vectors
# and send $p$ back, $2pN$ through one network port (each worker sends $N$ and receives $N$).

# %%
N_bytes = 1e9                                             # 500M parameters of bf16 gradients


def ring_bytes(p, n):
    return 2 * (p - 1) / p * n


def naive_bytes(p, n):
    return (p - 1) * n


rows = []
for p in [2, 8, 64, 1024]:
    rows.append((p, ring_bytes(p, N_bytes) / 1e9, naive_bytes(p, N_bytes) / 1e9, 2 * p * N_bytes / 1e9))
print(f"{'p':>5} {'ring GB/worker':>15} {'naive GB/worker':>16} {'server GB':>10}")
for p, r, nv, ps in rows:
    print(f"{p:>5} {r:>15.3f} {nv:>16.0f} {ps:>10.0f}")

assert [round(r, 3) for _, r, _, _ in rows] == [1.0, 1.75, 1.969, 1.998]
assert [nv for _, _, nv, _ in rows] == [1.0, 7.0, 63.0, 1023.0]
assert all(ring_bytes(p, 1.0) < 2 for p in range(2, 100_000))
assert ring_bytes(1024, 1.0) / ring_bytes(8, 1.0) < 1.15     # 128x the workers, <15% more bytes
ring_ms = ring_bytes(1024, N_bytes) / 50e9 * 1e3               # 50 GB/s links (400 Gb/s)
print(f"bandwidth term for 1 GB on 1,024 GPUs at 50 GB/s: {ring_ms:.1f} ms")
assert round(ring_ms) == 40

# %% [markdown]
# **Time.** With link bandwidth $B$ per worker and per-step latency $\alpha$, a ring all-reduce
# takes about $2(p-1)\alpha + 2\frac{p-1}{p}\frac{N}{B}$. At 1 GB over 50 GB/s links (for
# example 400 Gb/s InfiniBand), the bandwidth term is about 40 ms whatever $p$; the latency term
# grows linearly with $p$, which is why NCCL also uses trees and hierarchical rings across nodes.
#
# **Overlap.** DDP groups gradients into buckets (25 MB by default) in roughly reverse order of
# the forward pass, and starts each bucket's all-reduce as soon as the backward pass has
# produced all of its gradients. In the model below the backward pass takes 100 ms and produces
# 40 buckets at an even rate; each bucket's all-reduce takes 2 ms on a single communication
# stream. Without overlap the step's communication adds 80 ms after the backward pass; with
# buckets it adds only what the last bucket needs.

# %%
backward_ms, n_buckets, comm_per_bucket_ms = 100.0, 40, 2.0
ready = backward_ms * np.arange(1, n_buckets + 1) / n_buckets   # bucket k ready at this time
done = np.zeros(n_buckets)
stream_free = 0.0
for k in range(n_buckets):                                      # one comm stream, FIFO
    start = max(ready[k], stream_free)
    done[k] = stream_free = start + comm_per_bucket_ms
serial_ms = backward_ms + n_buckets * comm_per_bucket_ms
overlap_ms = done[-1]
print(f"no overlap: {serial_ms:.0f} ms; bucketed overlap: {overlap_ms:.0f} ms "
      f"(exposed communication {overlap_ms - backward_ms:.0f} ms)")
assert serial_ms == 180 and overlap_ms == 102

# if communication is slower than computation, overlap can only hide the backward time
slow = 4.0
stream_free = 0.0
for k in range(n_buckets):
    stream_free = max(ready[k], stream_free) + slow
assert stream_free == ready[0] + n_buckets * slow              # communication-bound: 162.5 ms

fig, ax = plt.subplots()
ax.barh(1, backward_ms, color="tab:blue", label="backward compute")
for k in range(n_buckets):
    ax.barh(0, comm_per_bucket_ms, left=done[k] - comm_per_bucket_ms, color="tab:orange",
            edgecolor="white", label="bucket all-reduce" if k == 0 else None)
ax.axvline(backward_ms, color="gray", ls="--")
ax.set(yticks=[0, 1], yticklabels=["comm stream", "compute stream"], xlabel="time in the step (ms)",
       title="DDP-style bucketed all-reduce hidden behind the backward pass")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()
