"""ce_core.exercises: the "Check yourself" page's answers against torch.nn.functional, and the
diagnosis of common wrong numbers (each mistake recognised, the right answer never flagged)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from ce_core import exercises
from ce_core.exercises import ABS_TOL, REL_TOL

# A row where every mistake gives its own number, far from the others and from the answer
ACTS = torch.tensor([[0.5, 2.0, -1.0], [1.2, -0.3, 0.4]], dtype=torch.float64)
TARG = torch.tensor([0, 2])


def close(a: float, b: float, tol: float = 1e-9) -> bool:
    return abs(float(a) - float(b)) <= tol


# --------------------------------------------------- the batch


def test_a_seed_gives_the_same_small_rounded_batch():
    a, b = exercises.exercise_batch(7), exercises.exercise_batch(7)
    assert torch.equal(a.acts, b.acts) and torch.equal(a.targets, b.targets)
    assert (a.loss_row, a.bump_row, a.bump_class) == (b.loss_row, b.bump_row, b.bump_class)
    assert a.acts.shape == (4, 3) and a.acts.dtype == torch.float64
    assert torch.equal(a.acts, torch.round(a.acts, decimals=2))  # 2 decimals, as shown
    assert not any(str(float(x)) == "-0.0" for x in a.acts.flatten())
    assert int(a.targets.min()) >= 0 and int(a.targets.max()) < 3
    assert not torch.equal(exercises.exercise_batch(8).acts, a.acts)


def test_the_batch_is_the_documented_generator():
    generator = torch.Generator().manual_seed(5)
    raw = torch.randn((4, 3), generator=generator, dtype=torch.float64) * 2
    targets = torch.randint(0, 3, (4,), generator=generator)
    batch = exercises.exercise_batch(5)
    torch.testing.assert_close(batch.acts, torch.round(raw, decimals=2) + 0.0)
    assert torch.equal(batch.targets, targets)


def test_the_global_random_state_is_untouched():
    state = torch.get_rng_state()
    exercises.exercise_batch(3), exercises.hand_softmax(3)
    assert torch.equal(torch.get_rng_state(), state)


# ----------------------------------------------- right answers


@pytest.mark.parametrize("seed", range(6))
def test_row_loss_and_mean_are_pytorchs(seed):
    batch = exercises.exercise_batch(seed)
    losses = F.cross_entropy(batch.acts, batch.targets, reduction="none")
    for row in range(4):
        assert close(exercises.row_loss_answer(batch, row).value, losses[row])
    assert close(
        exercises.mean_loss_answer(batch).value, F.cross_entropy(batch.acts, batch.targets)
    )
    rows = exercises.largest_loss_answer(batch).rows
    assert int(losses.argmax()) in rows and all(close(losses[r], losses.max()) for r in rows)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("same_class", [True, False])
def test_the_bumped_loss_and_its_direction(seed, same_class):
    batch = exercises.exercise_batch(seed)
    row = batch.bump_row
    targ = int(batch.targets[row])
    cls = targ if same_class else (targ + 1) % 3
    bump = exercises.bumped_loss_answer(batch, row, cls)
    changed = batch.acts.clone()
    changed[row, cls] += 1
    expected = F.cross_entropy(changed, batch.targets, reduction="none")[row]
    assert close(bump.answer.value, expected) and close(bump.new_loss, expected)
    assert torch.equal(bump.acts, changed[row])
    # the page's formula for the change: ln(1 + p_c (e - 1)), minus 1 for the target
    p_c = float(F.softmax(batch.acts[row], dim=0)[cls])
    assert close(bump.change, math.log1p(p_c * (math.e - 1)) - (1 if same_class else 0))
    assert (bump.change < 0) == same_class and -1 < bump.change < 1


@pytest.mark.parametrize("seed", range(6))
def test_softmax_by_hand(seed):
    row = exercises.hand_softmax(seed)
    assert row.acts.shape == (3,) and torch.equal(row.acts, torch.round(row.acts, decimals=1))
    probs = torch.softmax(row.acts, dim=0)
    assert close(row.answer.value, probs[row.cls])
    torch.testing.assert_close(row.exp, torch.exp(row.acts))
    assert close(row.exp_sum, torch.exp(row.acts).sum())
    mistakes = dict(row.answer.mistakes)
    assert close(mistakes["exp_only"], torch.exp(row.acts[row.cls]))
    assert close(mistakes["sigmoid"], torch.sigmoid(row.acts[row.cls]))
    if "no_exp" in mistakes:
        assert close(mistakes["no_exp"], row.acts[row.cls] / row.acts.sum())


# --------------------------------------- the mistakes' numbers


def test_the_loss_mistakes_are_what_their_wrong_code_computes():
    batch = exercises.batch_of(ACTS, TARG)
    mistakes = dict(exercises.row_loss_answer(batch, 0).mistakes)
    sm_acts = F.softmax(ACTS, dim=1)
    p = sm_acts[0, 0]
    assert close(mistakes["prob"], p)
    assert close(mistakes["neg_prob"], F.nll_loss(sm_acts, TARG, reduction="none")[0])  # no log
    assert close(mistakes["no_minus"], torch.log(p))
    assert close(mistakes["log10"], -torch.log10(p))
    assert close(mistakes["predicted_class"], -torch.log(sm_acts[0].max()))
    assert close(mistakes["sigmoid"], -torch.log(torch.sigmoid(ACTS[0, 0])))
    assert close(mistakes["raw_activation"], ACTS[0, 0])
    assert close(mistakes["neg_activation"], F.nll_loss(ACTS, TARG, reduction="none")[0])


def test_the_mean_mistakes_are_what_their_wrong_code_computes():
    batch = exercises.batch_of(ACTS, TARG)
    answer = exercises.mean_loss_answer(batch)
    p = F.softmax(ACTS, dim=1).gather(1, TARG[:, None]).flatten()
    assert close(answer.mistake_value("sum"), F.cross_entropy(ACTS, TARG, reduction="sum"))
    assert close(answer.mistake_value("no_log"), p.mean())
    assert close(answer.mistake_value("no_minus"), torch.log(p).mean())
    assert close(answer.mistake_value("log_of_mean"), -torch.log(p.mean()))
    assert close(answer.mistake_value("log10"), -torch.log10(p).mean())
    assert answer.value >= answer.mistake_value("log_of_mean")  # the page says so (convexity)


def test_the_bump_mistakes():
    batch = exercises.batch_of(ACTS, TARG)
    bump = exercises.bumped_loss_answer(batch, 0, 1)  # not the target: the loss rises
    assert close(bump.answer.mistake_value("unchanged"), bump.old_loss)
    assert close(bump.answer.mistake_value("shifted_by_one"), bump.old_loss + 1)
    assert close(exercises.bumped_loss_answer(batch, 0, 0).answer.mistake_value("shifted_by_one"),
                 bump.old_loss - 1)  # fmt: skip
    changed = ACTS.clone()
    changed[0, 1] += 1
    assert close(bump.answer.mistake_value("prob"), F.softmax(changed, dim=1)[0, 0])


# ----------------------------------------------- the diagnosis


def test_the_tolerance_is_half_a_percent_or_a_thousandth():
    assert exercises.is_close(1.0 + 0.99 * ABS_TOL, 1.0)
    assert not exercises.is_close(1.0 + 1.01 * REL_TOL, 1.0)
    assert exercises.is_close(10.0 * (1 + 0.99 * REL_TOL), 10.0)
    assert exercises.is_close(0.0, 0.0009) and not exercises.is_close(0.0, 0.0011)
    for bad in (math.nan, math.inf, -math.inf):
        assert not exercises.is_close(bad, 1.0) and not exercises.is_close(1.0, bad)


LOSS_CODES = ("prob", "neg_prob", "no_minus", "log10", "predicted_class", "sigmoid",
              "raw_activation", "neg_activation")  # fmt: skip


@pytest.mark.parametrize("code", LOSS_CODES)
def test_each_loss_mistake_is_recognised(code):
    answer = exercises.row_loss_answer(exercises.batch_of(ACTS, TARG), 0)
    values = dict(answer.mistakes)
    # the premise: on this row every mistake is its own number
    others = [v for c, v in answer.mistakes if c != code] + [answer.value]
    assert not any(exercises.is_close(values[code], v) for v in others)
    typed = round(values[code], 4)  # as a learner types it
    assert answer.check(typed) == exercises.Verdict(False, code)


@pytest.mark.parametrize("code", ["sum", "no_log", "no_minus", "log_of_mean", "log10"])
def test_each_mean_mistake_is_recognised(code):
    answer = exercises.mean_loss_answer(exercises.batch_of(ACTS, TARG))
    assert answer.check(round(answer.mistake_value(code), 4)) == exercises.Verdict(False, code)


@pytest.mark.parametrize("code", ["unchanged", "shifted_by_one", "prob", "no_minus"])
def test_each_bump_mistake_is_recognised(code):
    answer = exercises.bumped_loss_answer(exercises.batch_of(ACTS, TARG), 0, 1).answer
    assert answer.check(round(answer.mistake_value(code), 4)) == exercises.Verdict(False, code)


def test_the_right_answer_is_never_flagged_and_a_stray_number_names_nothing():
    answer = exercises.row_loss_answer(exercises.batch_of(ACTS, TARG), 0)
    for typed in (answer.value, round(answer.value, 4), round(answer.value, 3)):
        assert answer.check(typed) == exercises.Verdict(True)
    assert answer.check(123.0) == exercises.Verdict(False, None)


def test_the_predicted_class_coincides_with_the_answer_when_the_model_is_right():
    batch = exercises.batch_of(ACTS, TARG)  # row 1: target 2, prediction 0 ; row 0: prediction 1
    right_row = exercises.batch_of(torch.tensor([[3.0, 0.0, 0.0]]), torch.tensor([0]))
    answer = exercises.row_loss_answer(right_row, 0)
    assert close(answer.mistake_value("predicted_class"), answer.value)
    assert answer.check(answer.value).correct
    assert exercises.row_loss_answer(batch, 1).check(float(-F.softmax(ACTS[1], 0).max().log())) == (
        exercises.Verdict(False, "predicted_class")
    )


def test_the_least_sure_row_is_named_when_it_is_not_the_answer():
    # row 0: sure and wrong (largest loss); row 1: unsure (largest probability 0.3775)
    acts = torch.tensor([[4.0, 0.0, 0.0], [0.3, 0.2, 0.0], [0.0, 2.0, 0.0]], dtype=torch.float64)
    choice = exercises.largest_loss_answer(exercises.batch_of(acts, torch.tensor([1, 0, 1])))
    assert choice.rows == {0}
    assert choice.mistakes[1] == "least_sure"
    assert 0 not in choice.mistakes


def test_the_smallest_target_activation_row_is_named():
    # row 2's target has the smallest activation, yet the largest in its row: p(targ) = 0.99
    acts = torch.tensor([[2.0, -1.0, 5.0], [0.1, 0.0, 0.0], [-3.0, -8.0, -8.0]],
                        dtype=torch.float64)  # fmt: skip
    choice = exercises.largest_loss_answer(exercises.batch_of(acts, torch.tensor([0, 0, 0])))
    assert choice.rows == {0}
    assert choice.mistakes == {1: "least_sure", 2: "smallest_activation"}


# -------------------------------------------------- properties

cells = st.floats(-6, 6, allow_nan=False).map(lambda x: round(x, 2) + 0.0)


@st.composite
def batches(draw):
    n_rows, n_classes = draw(st.integers(1, 6)), draw(st.integers(2, 5))
    row_of_acts = st.lists(cells, min_size=n_classes, max_size=n_classes)
    acts = draw(st.lists(row_of_acts, min_size=n_rows, max_size=n_rows))
    targets = draw(st.lists(st.integers(0, n_classes - 1), min_size=n_rows, max_size=n_rows))
    row, bump_row = draw(st.integers(0, n_rows - 1)), draw(st.integers(0, n_rows - 1))
    cls = draw(st.integers(0, n_classes - 1))
    return exercises.batch_of(torch.tensor(acts, dtype=torch.float64), torch.tensor(targets), row,
                            bump_row, cls)  # fmt: skip


def assert_diagnosis_is_sound(answer: exercises.NumericAnswer) -> None:
    """The right answer (exact or to 4 decimals) is accepted; each mistake's number is
    recognised, as itself or as a mistake giving the same number, unless it is the answer."""
    assert answer.check(answer.value).correct and answer.check(round(answer.value, 4)).correct
    values = dict(answer.mistakes)
    for code, value in answer.mistakes:
        if not math.isfinite(value):
            continue
        verdict = answer.check(value)
        if verdict.correct:
            assert exercises.is_close(value, answer.value)
        else:
            assert verdict.mistake is not None
            assert exercises.is_close(value, values[verdict.mistake]), (code, verdict)


@given(batches())
def test_every_answer_accepts_itself_and_recognises_its_mistakes(batch):
    assert_diagnosis_is_sound(exercises.row_loss_answer(batch, batch.loss_row))
    assert_diagnosis_is_sound(exercises.mean_loss_answer(batch))
    bump = exercises.bumped_loss_answer(batch, batch.bump_row, batch.bump_class)
    assert_diagnosis_is_sound(bump.answer)
    changed = batch.acts.clone()
    changed[batch.bump_row, batch.bump_class] += 1
    bumped = F.cross_entropy(changed, batch.targets, reduction="none")[batch.bump_row]
    assert close(bump.answer.value, bumped)
    losses = F.cross_entropy(batch.acts, batch.targets, reduction="none")
    choice = exercises.largest_loss_answer(batch)
    assert int(losses.argmax()) in choice.rows and not set(choice.mistakes) & choice.rows


@given(st.integers(0, 2**31 - 1))
def test_every_seed_gives_sound_questions(seed):
    batch = exercises.exercise_batch(seed)
    for row in range(4):
        assert_diagnosis_is_sound(exercises.row_loss_answer(batch, row))
    assert_diagnosis_is_sound(exercises.hand_softmax(seed).answer)
    assert_diagnosis_is_sound(exercises.mean_loss_answer(batch))
