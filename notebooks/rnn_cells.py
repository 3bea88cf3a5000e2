# %% [markdown]
# ### Notebook: RNN, LSTM and GRU cells from scratch
#
# This notebook writes the forward pass of a simple RNN, an LSTM and a GRU in NumPy for input size
# $d = 10$ and hidden size $h = 20$, counts their parameters in the Keras and PyTorch conventions
# (SimpleRNN 620; LSTM 2,480 in Keras, 2,560 in PyTorch; GRU 1,920 with two bias vectors, 1,860
# for the original one-bias GRU), checks the output shapes for a batch of 32 sequences of length
# 15, and shows gradients vanishing or exploding through time in a tanh RNN.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)
d, h = 10, 20


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def init(shapes):
    return {name: rng.normal(scale=0.1, size=shape) for name, shape in shapes.items()}

# %% [markdown]
# **The cells.** Every gate is an affine function of the input $x_t$ and the previous state
# $h_{t-1}$; the cells differ in how many gates they have.
#
# - Simple RNN: $h_t = \tanh(x_t W + h_{t-1} U + b)$: one block of $W\,(d\times h)$, $U\,(h\times h)$, $b\,(h)$, so $h(d+h) + h$ parameters.
# - LSTM: four blocks (input, forget, cell candidate, output gates): $c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t$, $h_t = o_t \odot \tanh(c_t)$. Keras has one bias per block, $4(h(d+h)+h)$; PyTorch has two (`bias_ih` and `bias_hh`), $4h(d+h) + 8h$.
# - GRU: three blocks (update $z$, reset $r$, candidate $n$), $h_t = (1-z_t)\odot n_t + z_t \odot h_{t-1}$. PyTorch, and Keras with its default `reset_after=True`, apply the reset gate after the recurrent product, $n_t = \tanh(x_t W_n + b_{in} + r_t \odot (h_{t-1}U_n + b_{hn}))$, which needs two biases: $3h(d+h) + 6h$. The original GRU (Cho et al., 2014; Keras `reset_after=False`) computes $n_t = \tanh(x_t W_n + (r_t \odot h_{t-1}) U_n + b_n)$ with one bias: $3(h(d+h)+h)$.

# %%
def simple_rnn_step(p, x, state):
    return np.tanh(x @ p["W"] + state @ p["U"] + p["b"])


# Keras layout: W (d, 4h), U (h, 4h), b (4h); gates i f g o
def lstm_step(p, x, state):
    h_prev, c_prev = state
    i, f, g, o = np.split(x @ p["W"] + h_prev @ p["U"] + p["b"], 4, axis=-1)
    c = sigmoid(f) * c_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


# reset_after=True: separate input and recurrent biases
def gru_step(p, x, state):
    xz, xr, xn = np.split(x @ p["W"] + p["b_input"], 3, axis=-1)
    hz, hr, hn = np.split(state @ p["U"] + p["b_recurrent"], 3, axis=-1)
    z, r = sigmoid(xz + hz), sigmoid(xr + hr)
    n = np.tanh(xn + r * hn)
    return (1 - z) * n + z * state


def gru_original_step(p, x, state):  # Cho et al. 2014 / Keras reset_after=False
    xz, xr, xn = np.split(x @ p["W"] + p["b"], 3, axis=-1)
    Uz, Ur, Un = np.split(p["U"], 3, axis=-1)
    z, r = sigmoid(xz + state @ Uz), sigmoid(xr + state @ Ur)
    n = np.tanh(xn + (r * state) @ Un)
    return (1 - z) * n + z * state


cells = {  # name: (parameters, step function, initial-state function)
    "SimpleRNN": (init({"W": (d, h), "U": (h, h), "b": (h,)}), simple_rnn_step,
                  lambda B: np.zeros((B, h))),
    "LSTM (Keras)": (init({"W": (d, 4 * h), "U": (h, 4 * h), "b": (4 * h,)}), lstm_step,
                     lambda B: (np.zeros((B, h)), np.zeros((B, h)))),
    "GRU (reset_after)": (init({"W": (d, 3 * h), "U": (h, 3 * h),
                                "b_input": (3 * h,), "b_recurrent": (3 * h,)}),
                          gru_step, lambda B: np.zeros((B, h))),
    "GRU (original)": (init({"W": (d, 3 * h), "U": (h, 3 * h), "b": (3 * h,)}),
                       gru_original_step, lambda B: np.zeros((B, h))),
}
# PyTorch's LSTM stores weight_ih (4h, d), weight_hh (4h, h), bias_ih (4h) and bias_hh (4h).
lstm_pytorch_shapes = {"weight_ih": (4 * h, d), "weight_hh": (4 * h, h),
                       "bias_ih": (4 * h,), "bias_hh": (4 * h,)}

counts = {name: sum(a.size for a in p.values()) for name, (p, _, _) in cells.items()}
counts["LSTM (PyTorch)"] = sum(np.prod(s) for s in lstm_pytorch_shapes.values())
for name, n in counts.items():
    print(f"{name:18s} {n:5,} parameters")
assert counts["SimpleRNN"] == h * (d + h) + h == 620
assert counts["LSTM (Keras)"] == 4 * (h * (d + h) + h) == 2_480
assert counts["LSTM (PyTorch)"] == 4 * h * (d + h) + 8 * h == 2_560
assert counts["GRU (reset_after)"] == 3 * h * (d + h) + 6 * h == 1_920
assert counts["GRU (original)"] == 3 * (h * (d + h) + h) == 1_860

# %% [markdown]
# **Shapes.** Running each cell over a batch of 32 sequences of length 15 gives, with
# `return_sequences=True`, one hidden state per time step, shape $(32, 15, 20)$; otherwise only the
# last one, $(32, 20)$, which is the last slice of the full sequence. The LSTM also carries a cell
# state of shape $(32, 20)$.

# %%
def run(step, params, state, xs):
    outputs = []
    for t in range(xs.shape[1]):
        state = step(params, xs[:, t], state)
        outputs.append(state[0] if isinstance(state, tuple) else state)
    return np.stack(outputs, axis=1), state


xs = rng.normal(size=(32, 15, d))
for name, (params, step, zero_state) in cells.items():
    sequence, final = run(step, params, zero_state(32), xs)
    last = final[0] if isinstance(final, tuple) else final
    print(f"{name:18s} return_sequences: {sequence.shape}, last state: {last.shape}")
    assert sequence.shape == (32, 15, 20) and last.shape == (32, 20)
    assert np.array_equal(sequence[:, -1], last)
    if isinstance(final, tuple):
        assert final[1].shape == (32, 20)  # LSTM cell state

# %% [markdown]
# **Vanishing and exploding gradients through time.** For $h_k = \tanh(h_{k-1}W + x_k U)$ the
# Jacobian $\partial h_k/\partial h_{k-1}$ is $W$ scaled by $\tanh'$ of the pre-activation, so
# $\partial h_T/\partial h_t$ is a product of $T-t$ such factors. Its norm is at most
# $\lVert W\rVert_2^{T-t}$ (because $|\tanh'| \le 1$) and, over many steps, shrinks geometrically
# when the spectral radius $\rho$ of $W$ is below 1 and can grow geometrically when it is above 1
# (saturating $\tanh$ units damp the growth). With $\rho = 0.9$ the gradient from 50 steps
# back is below $10^{-2}$ of the gradient from the last step; with $\rho = 1.2$ (and inputs small enough
# to keep $\tanh$ out of saturation) it is over $10$ times larger. Gated cells (LSTM, GRU) add a
# path through the cell state whose factor is the forget gate, which the network can keep near 1.

# %%
T, hidden = 50, 20
W_raw = rng.normal(size=(hidden, hidden))
# small inputs keep tanh nearly linear
U_in = rng.normal(scale=0.01, size=(d, hidden))
x_seq = rng.normal(size=(T, d))
gradient_norms = {}
for rho in (0.9, 1.2):
    # spectral radius rho
    W = W_raw * rho / np.max(np.abs(np.linalg.eigvals(W_raw)))
    states = [np.zeros(hidden)]
    for t in range(T):
        states.append(np.tanh(states[-1] @ W + x_seq[t] @ U_in))
    J, norms = np.eye(hidden), [1.0]  # J = d h_T / d h_t, starting at t = T
    # chain rule, one step further back each time
    for k in range(T, 0, -1):
        J = J @ (W * (1 - states[k] ** 2)).T
        norms.append(np.linalg.norm(J, 2))
    gradient_norms[rho] = np.array(norms)
    bound = np.linalg.norm(W, 2) ** np.arange(T + 1)  # as |tanh'| <= 1
    assert np.all(gradient_norms[rho] <= bound * (1 + 1e-9))
    print(f"spectral radius {rho}: ||dh_T/dh_0|| = {norms[-1]:.2e}")
assert gradient_norms[0.9][-1] < 1e-2 and gradient_norms[1.2][-1] > 10

fig, ax = plt.subplots()
for rho, norms in gradient_norms.items():
    ax.plot(np.arange(T + 1), norms, label=f"spectral radius of W = {rho}")
ax.set(yscale="log", xlabel="steps back in time, T − t",
       ylabel="‖∂h_T / ∂h_t‖₂",
       title="Gradients through time in a tanh RNN (T = 50)")
ax.grid(alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
