"""The benchmarked kernels, each in three implementations.

For every kernel, ``ours`` calls the public function of :mod:`mlp_symmetry`;
``naive`` is the straightforward numpy code a reader would write first (a
Python loop over samples, grid points, columns, units or runs); ``torch`` is
the same computation in PyTorch on the CPU in float64, with ``torch.func`` for
derivatives and ``torch.vmap`` over batches. All three get the same data.
Where a target against the naive code may be out of reach, ``floor`` times
only the part of the work that every implementation must do with numpy, on
every CPU (the ``tanh`` of every hidden value, or the hidden-to-hidden matrix
products): the naive time over the floor bounds the speed-up that any numpy
implementation can reach.

A setup function ``setup(impl)`` returns a :class:`Case`: a callable that runs
the kernel once, a ``scale`` by which its time is multiplied when a slow
baseline is timed on a fraction of the work (each such row says so), and for
the long kernels a shorter warm-up call.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.special import logsumexp

import mlp_symmetry as ms
from mlp_symmetry._fast.blocks import default_threads
from mlp_symmetry._fast.layers import tanh_in_place
from mlp_symmetry._fast.pool import scratch

DIGITS = [64, 256, 256, 10]
N_DIGITS = 1797


class Case(NamedTuple):
    """One kernel in one implementation, ready to run."""

    run: Callable[[], object]
    scale: float = 1.0
    note: str = ""
    warmup: Callable[[], object] | None = None


class Kernel(NamedTuple):
    """A benchmarked kernel: a title, its setup and, optionally, a time or ratio target."""

    title: str
    setup: Callable[[str], Case | None]
    impls: tuple[str, ...] = ("ours", "naive", "torch")


# --------------------------------------------------------------------------- data


def digits_data(rng=0):
    """Return inputs and labels with the shape of scikit-learn's digits: 1797 x 64, 10 classes."""
    rng = np.random.default_rng(rng)
    X = rng.uniform(0.0, 16.0, size=(N_DIGITS, 64)) / 16.0
    y = rng.integers(0, 10, size=N_DIGITS)
    return X, y


def regression_data(n_samples, n_in, rng=0):
    """Gaussian inputs and a smooth target, one output."""
    rng = np.random.default_rng(rng)
    X = rng.normal(size=(n_samples, n_in))
    y = np.sin(X.sum(axis=1))
    return X, y


def structure(sizes):
    """Layer sizes with biases everywhere, as the naive and torch code use them."""
    return tuple(sizes)


# --------------------------------------------------------------------------- naive numpy


def naive_unflatten(theta, sizes):
    """Split one flat vector into a list of ``(W, b)``."""
    layers, start = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = theta[start : start + n_out * n_in].reshape(n_out, n_in)
        start += n_out * n_in
        layers.append((W, theta[start : start + n_out]))
        start += n_out
    return layers


def naive_loss(layers, X, y, loss):
    """Loss of one network on the whole batch."""
    a = X
    for W, b in layers[:-1]:
        a = np.tanh(a @ W.T + b)
    z = a @ layers[-1][0].T + layers[-1][1]
    if loss == "mse":
        return np.mean(np.sum((z - y.reshape(z.shape)) ** 2, axis=1))
    return np.mean(logsumexp(z, axis=1) - z[np.arange(len(y)), y])


def naive_softmax_gradient(layers, X, y):
    """Softmax cross-entropy and its gradient by backprop, one sample at a time."""
    grads = [(np.zeros_like(W), np.zeros_like(b)) for W, b in layers]
    value = 0.0
    for x, label in zip(X, y, strict=True):
        acts = [x]
        for W, b in layers[:-1]:
            acts.append(np.tanh(W @ acts[-1] + b))
        z = layers[-1][0] @ acts[-1] + layers[-1][1]
        shift = z.max()
        e = np.exp(z - shift)
        value += shift + np.log(e.sum()) - z[label]
        g = e / e.sum()
        g[label] -= 1.0
        for index in range(len(layers) - 1, -1, -1):
            dW, db = grads[index]
            dW += np.outer(g, acts[index])
            db += g
            if index > 0:
                g = (layers[index][0].T @ g) * (1.0 - acts[index] ** 2)
    n = X.shape[0]
    return value / n, [(dW / n, db / n) for dW, db in grads]


def naive_mse_gradient(theta, sizes, X, y):
    """MSE of a one-hidden-layer tanh network and its flat gradient."""
    (W1, b1), (W2, b2) = naive_unflatten(theta, sizes)
    h = np.tanh(X @ W1.T + b1)
    r = h @ W2.T + b2 - y
    n = X.shape[0]
    g = 2.0 / n * r
    gh = (g @ W2) * (1.0 - h * h)
    grad = np.concatenate([(gh.T @ X).ravel(), gh.sum(0), (g.T @ h).ravel(), g.sum(0)])
    return np.sum(r * r) / n, grad


def naive_weight_matching(a, b, max_sweeps=100):
    """Coordinate descent of weight matching, score matrices filled one unit at a time."""
    n_hidden = len(a) - 1
    perms = [np.arange(layer.W.shape[0]) for layer in a[:-1]]

    def scores(layer, outgoing):
        w_in_b = b[layer].W if layer == 0 else b[layer].W[:, perms[layer - 1]]
        S = np.empty((a[layer].W.shape[0], w_in_b.shape[0]))
        for i in range(S.shape[0]):
            S[i] = w_in_b @ a[layer].W[i] + a[layer].b[i] * b[layer].b
            if outgoing:
                w_out_b = b[layer + 1].W if layer + 1 == n_hidden else b[layer + 1].W[perms[layer + 1], :]
                S[i] += a[layer + 1].W[:, i] @ w_out_b
        return S

    for layer in range(n_hidden):
        perms[layer] = linear_sum_assignment(scores(layer, False), maximize=True)[1]
    for _ in range(max_sweeps):
        changed = False
        for layer in range(n_hidden):
            best = linear_sum_assignment(scores(layer, True), maximize=True)[1]
            if not np.array_equal(best, perms[layer]):
                perms[layer], changed = best, True
        if not changed:
            break
    return perms


def naive_population(W, V):
    """Teacher-student population loss and gradient, one run and one pair of rows at a time."""

    def g(w, v):
        nw, nv = np.linalg.norm(w), np.linalg.norm(v)
        theta = np.arccos(np.clip(w @ v / (nw * nv), -1.0, 1.0))
        value = nw * nv / (2 * np.pi) * (np.sin(theta) + (np.pi - theta) * np.cos(theta))
        return value, (nv * np.sin(theta) * w / nw + (np.pi - theta) * v) / (2 * np.pi)

    values, grads = np.empty(W.shape[0]), np.zeros_like(W)
    for r, w_run in enumerate(W):
        value = 0.0
        for i, w in enumerate(w_run):
            for w2 in w_run:
                k, dk = g(w, w2)
                value += 0.5 * k
                grads[r, i] += dk
            for v in V:
                k, dk = g(w, v)
                value -= k
                grads[r, i] -= dk
        for v in V:
            for v2 in V:
                value += 0.5 * g(v, v2)[0]
        values[r] = max(value, 0.0)
    return values, grads


# --------------------------------------------------------------------------- torch


def torch_module():
    """Import torch with as many threads as numpy's BLAS uses, or return None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(blas_threads())
    return torch


def blas_threads() -> int:
    """Threads of numpy's BLAS (threadpoolctl when available, else the CPU count)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count() or 1
    counts = [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]
    return counts[0] if counts else 1


def torch_loss_fn(torch, sizes, X, y, loss):
    """Return the loss as a function of the flat parameter vector, in torch."""
    import torch.nn.functional as F

    X = torch.as_tensor(X)
    y = torch.as_tensor(y)
    if loss == "mse":
        y = y.reshape(-1, sizes[-1])

    def unflatten(theta):
        layers, start = [], 0
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            W = theta[start : start + n_out * n_in].reshape(n_out, n_in)
            start += n_out * n_in
            layers.append((W, theta[start : start + n_out]))
            start += n_out
        return layers

    def fn(theta):
        layers = unflatten(theta)
        a = X
        for W, b in layers[:-1]:
            a = torch.tanh(F.linear(a, W, b))
        z = F.linear(a, *layers[-1])
        if loss == "mse":
            return ((z - y) ** 2).sum(-1).mean()
        return F.cross_entropy(z, y)

    return fn


def torch_population(torch, W, V):
    """Return the closed-form population loss and gradient of mlp_symmetry.teacher_student, in torch."""
    n = W.shape[-2]
    U = torch.cat([W, V.expand(W.shape[:-2] + V.shape)], dim=-2)
    sign = torch.cat([torch.ones(n, dtype=W.dtype), -torch.ones(V.shape[0], dtype=W.dtype)])

    def pair(A, B):
        na = torch.linalg.vector_norm(A, dim=-1)[..., :, None]
        nb = torch.linalg.vector_norm(B, dim=-1)[..., None, :]
        ua = A / na
        cos = torch.clamp(ua @ (B / nb.transpose(-1, -2)).transpose(-1, -2), -1.0, 1.0)
        theta = torch.arccos(cos)
        return na, nb, ua, cos, theta, torch.sin(theta)

    na, nb, ua, cos, theta, sin = pair(W, U)
    kern = na * nb / (2 * np.pi) * (sin + (np.pi - theta) * cos)
    na_v, nb_v, _, cos_v, theta_v, sin_v = pair(V, V)
    teacher = (na_v * nb_v / (2 * np.pi) * (sin_v + (np.pi - theta_v) * cos_v)).sum()
    value = 0.5 * kern[..., :, :n].sum((-1, -2)) - kern[..., :, n:].sum((-1, -2)) + 0.5 * teacher
    grad = ((nb * sin) @ sign)[..., None] * ua + ((np.pi - theta) * sign) @ U
    return torch.clamp(value, min=0.0), grad / (2 * np.pi)


# --------------------------------------------------------------------------- floors


FLOOR_CHUNK = 125_000  # 1 MB of float64, as in the blocks of ours


def tanh_floor(n_values):
    """Time ``tanh`` alone on ``n_values`` numbers, in 1 MB chunks, on every CPU at once.

    The faster of numpy's ``np.tanh`` and the fast kernels' ``tanh_in_place``
    (one ``exp`` and cheap passes) on this machine, measured on 20 chunks each.
    Each thread repeats one chunk (timed on up to 400 chunks per thread,
    scaled): no implementation that computes ``tanh`` of every hidden value
    with numpy's loops can be faster on this machine.
    """
    threads = default_threads()
    rng = np.random.default_rng(0)
    arrays = [(rng.normal(size=FLOOR_CHUNK), np.empty(FLOOR_CHUNK)) for _ in range(threads)]
    per_thread = -(-n_values // (FLOOR_CHUNK * threads))
    n_timed = min(400, per_thread)
    pool = ThreadPoolExecutor(threads)

    def fast_tanh(values, out):
        np.copyto(out, values)  # the kernels' tanh overwrites its input
        with scratch() as block:  # its temporary array, from this thread's pool as in the kernels
            tanh_in_place(out, block)

    def seconds(fn):
        start = time.perf_counter()
        for _ in range(20):
            fn(*arrays[0])
        return time.perf_counter() - start

    names = {"np.tanh": lambda values, out: np.tanh(values, out=out), "the fast kernels' tanh": fast_tanh}
    name = min(names, key=lambda key: seconds(names[key]))
    tanh = names[name]

    def work(index):
        values, out = arrays[index]
        for _ in range(n_timed):
            tanh(values, out)

    return Case(
        lambda: list(pool.map(work, range(threads))),
        scale=n_values / (n_timed * FLOOR_CHUNK * threads),
        note=f"{name} (the faster here) alone on the {n_values:,} hidden values, 1 MB chunks on {threads} threads",
    )


def hidden_product_floor(n_points, n_samples, width, n_timed):
    """Time the hidden-to-hidden matrix products alone: one ``(n_samples, width) @ (width, width)`` per point.

    Every point of a plane has its own hidden activations and its own weights,
    so this product cannot be shared between points; BLAS uses every CPU.
    """
    rng = np.random.default_rng(0)
    A, W, out = rng.normal(size=(n_samples, width)), rng.normal(size=(width, width)), np.empty((n_samples, width))

    def run():
        for _ in range(n_timed):
            np.matmul(A, W.T, out=out)

    return Case(
        run,
        scale=n_points / n_timed,
        note=f"the {width} x {width} hidden-layer products alone, {n_timed} of {n_points:,} points, scaled",
    )


# --------------------------------------------------------------------------- kernels


def setup_gradient(impl):
    """(1) Loss and gradient of the 64-256-256-10 tanh network, softmax cross-entropy, 1797 samples."""
    X, y = digits_data()
    params = ms.init_params(DIGITS, rng=0)
    if impl == "ours":
        return Case(lambda: ms.loss_and_gradient(params, X, y, "tanh", "softmax_cross_entropy"))
    if impl == "naive":
        layers = [(layer.W, layer.b) for layer in params]
        return Case(lambda: naive_softmax_gradient(layers, X, y), note="loop over samples")
    torch = torch_module()
    fn = torch.func.grad_and_value(torch_loss_fn(torch, DIGITS, X, y, "softmax_cross_entropy"))
    theta = torch.as_tensor(ms.flatten(params))
    return Case(lambda: fn(theta))


def _plane_setup(impl, sizes, X, y, loss, n_grid, n_rows=None):
    """Loss on an ``n_grid`` x ``n_grid`` plane; baselines timed on the first ``n_rows`` rows and scaled."""
    if impl == "floor":
        if sizes == DIGITS:
            return hidden_product_floor(n_grid * n_grid, X.shape[0], sizes[2], 4 * n_grid)
        return tanh_floor(n_grid * n_grid * X.shape[0] * sum(sizes[1:-1]))
    n_rows = n_grid if n_rows is None else n_rows
    scale = n_grid / n_rows
    fraction = "" if n_rows == n_grid else f"; {n_rows} of {n_grid} rows, scaled"
    params = ms.init_params(sizes, rng=0)
    d1 = ms.random_direction(params, rng=1)
    d2 = ms.random_direction(params, rng=2)
    grid = np.linspace(-1.0, 1.0, n_grid)
    if impl == "ours":
        return Case(
            lambda: ms.loss_plane(params, X, y, d1, d2, grid, grid, "tanh", loss),
            warmup=lambda: ms.loss_plane(params, X, y, d1, d2, grid[:5], grid[:5], "tanh", loss),
        )
    theta, u, v = ms.flatten(params), ms.flatten(d1), ms.flatten(d2)
    if impl == "naive":

        def run():
            out = np.empty((n_rows, n_grid))
            for i, beta in enumerate(grid[:n_rows]):
                for j, alpha in enumerate(grid):
                    out[i, j] = naive_loss(naive_unflatten(theta + alpha * u + beta * v, sizes), X, y, loss)
            return out

        return Case(run, scale=scale, note="loop over grid points" + fraction)
    torch = torch_module()
    batched = torch.vmap(torch_loss_fn(torch, sizes, X, y, loss))
    # The same chunks as ours: parameters plus four activations per layer and sample within 200 MB.
    per_point = 8 * (2 * theta.size + 4 * X.shape[0] * sum(sizes[1:]))
    chunk = max(1, 200_000_000 // per_point)
    t_theta, t_u, t_v = (torch.as_tensor(a) for a in (theta, u, v))
    alphas = torch.as_tensor(np.tile(grid, n_grid))
    betas = torch.as_tensor(np.repeat(grid, n_grid))

    def run():
        out = torch.empty(n_rows * n_grid, dtype=torch.float64)
        with torch.no_grad():
            for start in range(0, n_rows * n_grid, chunk):
                stop = min(start + chunk, n_rows * n_grid)
                a, b = alphas[start:stop, None], betas[start:stop, None]
                out[start:stop] = batched(t_theta + a * t_u + b * t_v)
        return out.reshape(n_rows, n_grid)

    return Case(run, scale=scale, note=f"vmap, chunks of {chunk}" + fraction)


def setup_plane_small(impl):
    """(2a) Loss on a 101 x 101 plane, 2-16-1 tanh network, MSE on 1000 inputs."""
    X, y = regression_data(1000, 2)
    return _plane_setup(impl, [2, 16, 1], X, y, "mse", 101, n_rows=None if impl == "ours" else 21)


def setup_plane_digits(impl):
    """(2b) Loss on a 51 x 51 plane, 64-256-256-10 tanh network, softmax cross-entropy on 1797 x 64."""
    X, y = digits_data()
    return _plane_setup(impl, DIGITS, X, y, "softmax_cross_entropy", 51, n_rows=None if impl == "ours" else 6)


def setup_plane_memory(impl):
    """(2c) The same on a 201 x 201 plane: peak memory stays bounded (chunked)."""
    X, y = digits_data()
    return _plane_setup(impl, DIGITS, X, y, "softmax_cross_entropy", 201)


HESSIAN_SIZES = [10, 32, 16, 4]


def setup_hessian(impl):
    """(3) Dense Hessian, 10-32-16-4 tanh network (948 parameters), softmax cross-entropy on 500 samples."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(500, 10)), rng.integers(0, 4, size=500)
    params = ms.init_params(HESSIAN_SIZES, rng=0)
    if impl == "ours":
        return Case(lambda: ms.hessian(params, X, y, "tanh", "softmax_cross_entropy"))
    n = ms.n_params(HESSIAN_SIZES)
    if impl == "naive":
        eye = np.eye(n)

        def run():
            return np.stack(
                [ms.hessian_vector_product(params, X, y, e, "tanh", "softmax_cross_entropy") for e in eye], axis=1
            )

        return Case(run, note="loop over columns")
    torch = torch_module()
    fn = torch.func.hessian(torch_loss_fn(torch, HESSIAN_SIZES, X, y, "softmax_cross_entropy"))
    theta = torch.as_tensor(ms.flatten(params))
    return Case(lambda: fn(theta))


N_HVP = 50


def setup_hvp(impl):
    """(4) 50 Hessian-vector products, one after another, of the 64-256-256-10 network."""
    X, y = digits_data()
    params = ms.init_params(DIGITS, rng=0)
    vectors = np.random.default_rng(1).normal(size=(N_HVP, ms.n_params(DIGITS)))
    if impl == "ours":
        return Case(
            lambda: [ms.hessian_vector_product(params, X, y, v, "tanh", "softmax_cross_entropy") for v in vectors]
        )
    if impl == "naive":
        n_timed = 2

        def run():
            return [
                sum(
                    ms.hessian_vector_product(params, X[i : i + 1], y[i : i + 1], v, "tanh", "softmax_cross_entropy")
                    for i in range(X.shape[0])
                )
                / X.shape[0]
                for v in vectors[:n_timed]
            ]

        return Case(run, scale=N_HVP / n_timed, note=f"loop over samples; {n_timed} of {N_HVP} products, scaled")
    torch = torch_module()
    fn = torch_loss_fn(torch, DIGITS, X, y, "softmax_cross_entropy")
    grad = torch.func.grad(fn)
    theta = torch.as_tensor(ms.flatten(params))
    t_vectors = torch.as_tensor(vectors)
    return Case(
        lambda: [torch.func.jvp(grad, (theta,), (v,))[1] for v in t_vectors],
        note="jvp of grad",
        warmup=lambda: torch.func.jvp(grad, (theta,), (t_vectors[0],)),
    )


MATCHING_SIZES = [64, 512, 512, 512, 10]


def setup_matching(impl):
    """(5) Weight matching of two independent 64-512-512-512-10 networks."""
    a = ms.init_params(MATCHING_SIZES, rng=0)
    b = ms.init_params(MATCHING_SIZES, rng=1)
    if impl == "ours":
        return Case(lambda: ms.weight_matching(a, b))
    if impl == "naive":
        return Case(lambda: naive_weight_matching(a, b), note="scores filled unit by unit")
    return None


TRAIN_SIZES = [2, 16, 1]
N_RUNS, N_STEPS = 256, 1000


def setup_training(impl):
    """(6) 256 gradient-descent runs of a 2-16-1 tanh network, 1000 steps, MSE on 200 samples."""
    X, y = regression_data(200, 2)
    if impl == "floor":
        return tanh_floor(N_RUNS * (N_STEPS + 1) * X.shape[0] * sum(TRAIN_SIZES[1:-1]))
    starts = ms.init_runs(TRAIN_SIZES, N_RUNS, rng=0)
    if impl == "ours":
        return Case(
            lambda: ms.train(starts, X, y, "tanh", "mse", learning_rate=0.1, n_steps=N_STEPS),
            warmup=lambda: ms.train(starts, X, y, "tanh", "mse", learning_rate=0.1, n_steps=10),
        )
    theta0 = ms.flatten(starts)
    if impl == "naive":
        n_timed = 16
        target = y[:, None]

        def run():
            finals = []
            for theta in theta0[:n_timed]:
                losses, norms = np.empty(N_STEPS + 1), np.empty(N_STEPS + 1)
                for step in range(N_STEPS + 1):
                    losses[step], grad = naive_mse_gradient(theta, TRAIN_SIZES, X, target)
                    norms[step] = np.linalg.norm(grad)
                    if step < N_STEPS:
                        theta = theta - 0.1 * grad
                finals.append(theta)
            return finals

        return Case(run, scale=N_RUNS / n_timed, note=f"loop over runs; {n_timed} of {N_RUNS} runs, scaled")
    torch = torch_module()
    step_fn = torch.vmap(torch.func.grad_and_value(torch_loss_fn(torch, TRAIN_SIZES, X, y, "mse")))
    start = torch.as_tensor(theta0)

    def run(n_steps=N_STEPS // 10):
        theta = start.clone()
        losses = torch.empty(n_steps + 1, N_RUNS, dtype=torch.float64)
        norms = torch.empty(n_steps + 1, N_RUNS, dtype=torch.float64)
        for step in range(n_steps + 1):
            grad, losses[step] = step_fn(theta)
            norms[step] = torch.linalg.vector_norm(grad, dim=-1)
            if step < n_steps:
                theta = theta - 0.1 * grad
        return theta, losses, norms

    return Case(
        run,
        scale=10.0,
        note=f"vmap over runs; {N_STEPS // 10} of {N_STEPS} steps, scaled",
        warmup=lambda: run(10),
    )


def setup_population(impl):
    """(7) Teacher-student population loss and gradient, 256 students of 10 x 10 against a 10-unit teacher."""
    V = ms.orthonormal_teacher(10)
    W = ms.init_students(10, 10, 256, rng=0)
    if impl == "ours":
        return Case(lambda: ms.population_loss_and_gradient(W, V))
    if impl == "naive":
        return Case(lambda: naive_population(W, V), note="loop over runs and pairs of units")
    torch = torch_module()
    t_W, t_V = torch.as_tensor(W), torch.as_tensor(V)
    return Case(lambda: torch_population(torch, t_W, t_V), note="closed form, batched")


WITH_FLOOR = ("ours", "naive", "torch", "floor")

KERNELS = {
    "gradient": Kernel("(1) loss and gradient, 64-256-256-10, 1797 x 64", setup_gradient),
    "plane_small": Kernel("(2a) 101 x 101 plane, 2-16-1, 1000 inputs", setup_plane_small, WITH_FLOOR),
    "plane_digits": Kernel("(2b) 51 x 51 plane, 64-256-256-10, 1797 x 64", setup_plane_digits, WITH_FLOOR),
    "plane_memory": Kernel("(2c) 201 x 201 plane, 64-256-256-10 (memory)", setup_plane_memory, ("ours",)),
    "hessian": Kernel("(3) dense Hessian, 948 parameters, 500 samples", setup_hessian),
    "hvp": Kernel("(4) 50 Hessian-vector products, 64-256-256-10", setup_hvp),
    "matching": Kernel("(5) weight matching, 64-512-512-512-10", setup_matching, ("ours", "naive")),
    "training": Kernel("(6) 256 runs x 1000 steps, 2-16-1, 200 samples", setup_training, WITH_FLOOR),
    "population": Kernel("(7) teacher-student loss and gradient, 256 x 10 x 10", setup_population),
}
