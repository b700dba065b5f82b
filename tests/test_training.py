"""ce_core.training: seeded data and models, the optimizer, and that training learns."""

from __future__ import annotations

import copy

import pytest
import torch
import torch.nn.functional as F

import ce_core
from ce_core import training


@pytest.mark.parametrize("kind", training.DATASETS)
@pytest.mark.parametrize("n_classes", [2, 5, 8])
def test_datasets_are_balanced_seeded_and_bounded(kind, n_classes):
    data = training.make_dataset(kind, n_classes, 40, 0.1, seed=3)
    assert data.points.shape == (40 * n_classes, 2) and data.points.dtype == torch.float32
    assert torch.bincount(data.labels).tolist() == [40] * n_classes
    assert bool(data.points.abs().max() < 2.0)
    again = training.make_dataset(kind, n_classes, 40, 0.1, seed=3)
    assert torch.equal(data.points, again.points)
    other = training.make_dataset(kind, n_classes, 40, 0.1, seed=4)
    assert not torch.equal(data.points, other.points)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"kind": "circles"}, "kind"),
        ({"n_classes": 1}, "n_classes"),
        ({"n_classes": 9}, "n_classes"),
        ({"n_per_class": 0}, "n_per_class"),
        ({"noise": -0.1}, "noise"),
        ({"noise": float("nan")}, "noise"),
    ],
)
def test_bad_dataset_arguments_are_named(kwargs, argument):
    with pytest.raises(ce_core.InputError) as info:
        training.make_dataset(**kwargs)
    assert info.value.argument == argument


def test_models_depend_on_their_seed_not_on_the_global_rng():
    torch.manual_seed(0)
    a = training.make_model("mlp", 3, 16, seed=7)
    torch.manual_seed(12345)  # another session drew from the shared generator
    torch.rand(100)
    b = training.make_model("mlp", 3, 16, seed=7)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)
    assert training.make_model("linear", 4, seed=0)(torch.zeros(5, 2)).shape == (5, 4)


def test_the_written_out_step_is_torch_optim_sgd():
    data = training.make_dataset("blobs", 3, 20, 0.1, seed=0)
    ours = training.make_model("mlp", 3, 8, seed=1)
    theirs = copy.deepcopy(ours)
    params = list(ours.parameters())
    velocity = [torch.zeros_like(p) for p in params]
    optimizer = torch.optim.SGD(theirs.parameters(), lr=0.3, momentum=training.MOMENTUM)
    for _ in range(5):
        loss = F.cross_entropy(ours(data.points), data.labels)
        training.sgd_momentum_step(params, torch.autograd.grad(loss, params), velocity, 0.3)
        optimizer.zero_grad()
        F.cross_entropy(theirs(data.points), data.labels).backward()
        optimizer.step()
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        torch.testing.assert_close(p, q)


def test_training_is_deterministic_and_learns():
    data = training.make_dataset("spirals", 3, 100, 0.1, seed=0)
    calls = []
    first = training.train(data, steps=300, on_step=lambda step, loss: calls.append(step))
    second = training.train(data, steps=300)
    assert torch.equal(first.loss, second.loss)
    assert calls[-1] == 300 and len(calls) == 30
    assert first.final_accuracy >= 0.85
    assert float(first.cross_entropy[-1]) < float(first.cross_entropy[0]) / 3
    assert torch.equal(first.loss, first.cross_entropy)  # trained on cross-entropy itself


def test_a_line_cannot_separate_spirals():
    data = training.make_dataset("spirals", 3, 100, 0.05, seed=0)
    linear = training.train(data, model="linear", steps=300)
    mlp = training.train(data, model="mlp", steps=300)
    assert linear.final_accuracy < 0.7 < mlp.final_accuracy


def test_mse_learns_more_slowly_than_cross_entropy():
    data = training.make_dataset("spirals", 5, 100, 0.1, seed=0)
    ce = training.train(data, loss="cross_entropy", lr=0.1, steps=300)
    mse = training.train(data, loss="mse", lr=0.1, steps=300)
    assert mse.final_cross_entropy > ce.final_cross_entropy
    assert mse.final_accuracy < ce.final_accuracy
    assert not torch.equal(mse.loss, mse.cross_entropy)  # it minimized MSE, not this


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"loss": "hinge"}, "loss"), ({"lr": 0.0}, "lr"), ({"steps": 0}, "steps"),
    ({"model": "cnn"}, "model"), ({"hidden": 0}, "hidden"),
])  # fmt: skip
def test_bad_training_arguments_are_named(kwargs, argument):
    data = training.make_dataset("blobs", 2, 10, 0.1)
    with pytest.raises(ce_core.InputError) as info:
        training.train(data, **kwargs)
    assert info.value.argument == argument


@pytest.mark.parametrize("steps", [1, 2, 10, 300, training.MAX_STEPS])
def test_replay_steps_run_from_0_to_the_last_denser_at_the_start(steps):
    kept = training.replay_steps(steps)
    assert kept[0] == 0 and kept[-1] == steps
    assert kept == sorted(set(kept)) and len(kept) <= 26
    # denser at the start: half of the kept steps lie in the first tenth of the run
    assert kept[len(kept) // 2] <= steps / 10 or kept == list(range(steps + 1))


def test_snapshots_replay_the_run_exactly():
    data = training.make_dataset("moons", 3, 40, 0.1, seed=1)
    result = training.train(data, steps=50, snapshot_at=[0, 7, 50])
    assert sorted(result.snapshots) == [0, 7, 50]
    # step 0 is the untrained model; 50 the trained one; 7 what 7 steps of a run give
    untrained = training.make_model("mlp", 3, 32, seed=0)
    x, y = data.points, data.labels
    torch.testing.assert_close(training.model_after(result, 0)(x), untrained(x))
    torch.testing.assert_close(training.model_after(result, 50)(x), result.model(x))
    seven = training.train(data, steps=7)
    torch.testing.assert_close(training.model_after(result, 7)(x), seven.model(x))
    # evaluate() gives what the history recorded before step 8 and the final values
    accuracy, ce = training.evaluate(training.model_after(result, 7), x, y)
    assert accuracy == pytest.approx(float(result.accuracy[7]))
    assert ce == pytest.approx(float(result.cross_entropy[7]))
    assert training.evaluate(result.model, x, y) == (result.final_accuracy,
                                                     result.final_cross_entropy)  # fmt: skip
    # the replayed copy is separate: the run's own model is untouched
    torch.testing.assert_close(result.model(x), training.model_after(result, 50)(x))


def test_predictions_are_the_largest_logit_and_agree_with_the_accuracy():
    data = training.make_dataset("spirals", 3, 30, 0.1, seed=2)
    result = training.train(data, steps=20)
    x, y = data.points, data.labels
    predicted = training.predictions(result.model, x)
    assert predicted.shape == y.shape and predicted.dtype == torch.int64
    torch.testing.assert_close(predicted, result.model(x).argmax(1))
    right = float((predicted == y).float().mean())
    assert right == pytest.approx(training.evaluate(result.model, x, y)[0])


def test_a_step_without_a_snapshot_is_named():
    data = training.make_dataset("blobs", 2, 10, 0.1)
    result = training.train(data, steps=5, snapshot_at=[0, 5])
    with pytest.raises(ce_core.InputError, match="0, 5") as info:
        training.model_after(result, 3)
    assert info.value.argument == "step"
    with pytest.raises(ce_core.InputError) as info:
        training.train(data, steps=5, snapshot_at=[6])
    assert info.value.argument == "snapshot_at"


def test_the_grid_holds_probabilities_over_the_points():
    data = training.make_dataset("moons", 4, 30, 0.1, seed=0)
    result = training.train(data, steps=20)
    xs, ys, probs = training.probabilities_on_grid(result.model, data.points, resolution=50)
    assert probs.shape == (50, 50, 4)
    torch.testing.assert_close(probs.sum(2), torch.ones(50, 50))
    assert float(xs[0]) < float(data.points[:, 0].min()) and float(ys[-1]) > float(
        data.points[:, 1].max()
    )
