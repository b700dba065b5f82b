"""Check yourself: chapter 5's questionnaire on cross-entropy, live.

Part A asks the chapter's questions (multiple choice, each wrong choice answered on its own
terms) and one softmax worked by hand on live numbers. Part B asks for numbers on a fresh
small batch: every answer and every mistake's number comes from ce_core (``exercise_batch``,
``row_loss_answer``, ...), the page only words them. Thin like every page: widgets (ui.quiz)
-> ce_core -> text -> show.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
import torch

import ce_core
import figures
from ce_core import exercises
from i18n import t
from ui import chart_text, entry, path, quiz
from ui.charts import show_chart
from ui.text import number
from ui.view import to_numpy

# Counters behind "New numbers": the seed of the current row / batch (AppTest reproduces them)
HAND_SEED, BATCH_SEED = "check_hand_seed", "check_batch_seed"
BUMP_ONLY = ("unchanged", "shifted_by_one")  # the "grows by 1" question's own mistakes


@dataclass(frozen=True)
class Question:
    """A multiple-choice question of the catalog's [check] section: ``{key}_prompt``,
    ``{key}_choice_{i}``, ``{key}_feedback_{i}`` (wrong choices), ``{key}_explanation``."""

    key: str
    n_choices: int
    answer: int


# In the questionnaire's order; the hand-worked softmax comes after the third.
QUESTIONS = (
    Question("pieces", 4, 1), Question("guarantees", 4, 3), Question("when_not", 4, 2),
    Question("where", 4, 0), Question("log_neg", 4, 3), Question("why_log", 4, 2),
    Question("nll", 4, 0), Question("ce_input", 4, 1),
)  # fmt: skip


def concept_numbers() -> dict[str, dict[str, float]]:
    """The numbers Part A's explanations quote, computed by ce_core, by question."""
    third = ce_core.softmax(torch.zeros(3, dtype=torch.float64))[0]
    high, low = ce_core.softmax(torch.tensor([2.0, 1.0], dtype=torch.float64))
    negative = ce_core.softmax(torch.tensor([-3.0, -1.0], dtype=torch.float64))
    l1, l2 = ce_core.negative_log(torch.tensor([0.99, 0.999], dtype=torch.float64))
    product, log_sum = ce_core.product_and_log_sum(torch.full((200,), 0.5))  # float32
    exact, _ = ce_core.product_and_log_sum(torch.full((200,), 0.5, dtype=torch.float64))
    probs = torch.tensor([[0.9, 0.05, 0.05]], dtype=torch.float64)
    double = ce_core.cross_entropy(probs, torch.tensor([0]))  # a softmax taken twice
    return {
        "guarantees": {"third": float(third), "p_hi": float(high), "p_lo": float(low)},
        "when_not": {"neg_0": float(negative[0]), "neg_1": float(negative[1])},
        "why_log": {"l1": float(l1), "l2": float(l2), "ratio": float(l1 / l2),
                    "product": float(product), "exact": float(exact), "log_sum": float(log_sum)},
        "ce_input": {"double": float(double), "single": float(ce_core.negative_log(probs[0, 0]))},
    }  # fmt: skip


def ask(question: Question, numbers: dict[str, float]) -> None:
    key = question.key
    choices = [
        quiz.Choice(
            t(f"check.{key}_choice_{i}"),
            "" if i == question.answer else t(f"check.{key}_feedback_{i}", **numbers),
        )
        for i in range(question.n_choices)
    ]
    quiz.multiple_choice(
        key, t(f"check.{key}_prompt"), choices, question.answer,
        t(f"check.{key}_explanation", **numbers),
    )  # fmt: skip


def new_numbers_button(label: str, help_text: str, counter: str, key: str) -> int:
    """The current seed of ``counter``, and a button that moves it on (forgetting the answers
    given on the old numbers; the score keeps them)."""
    seed = current_seed(counter)
    st.button(label, key=key, help=help_text, on_click=_next_seed, args=(counter, seed),
              icon=":material/casino:")  # fmt: skip
    return seed


def current_seed(counter: str) -> int:
    return st.session_state.get(counter, 0)


def _next_seed(counter: str, seed: int) -> None:
    st.session_state[counter] = seed + 1
    quiz.forget(f"{counter}{seed}_")


def prob(p: float) -> str:
    """A probability to 4 significant digits (0.6835, 0.0005511): with 4 decimals a small one
    would keep a digit or two, and -ln of it would be far from the loss shown beside it."""
    return f"{float(p):#.4g}"


def vector(values: torch.Tensor, digits: int | None = None) -> str:
    """(C,) -> "[0.9470, 0.03459, 0.01841]": probabilities, or numbers to ``digits`` decimals."""
    shown = (prob(v) if digits is None else number(v, digits) for v in values)
    return "[" + ", ".join(shown) + "]"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def hand_question() -> None:
    """Softmax of one class of a small live row, worked by hand."""
    seed = new_numbers_button(
        t("check.hand_new"), t("check.hand_new_help"), HAND_SEED, "check_new_hand"
    )
    row = exercises.hand_softmax(seed)
    cls, acts = row.cls, [number(a, 1) for a in row.acts]
    table = markdown_table(
        [t("check.class_header"), *[str(c) for c in range(len(acts))]],
        [[t("check.activation_header"), *acts]],
    )
    exps = [t("check.hand_exp", a=a, e=float(e)) for a, e in zip(acts, row.exp, strict=True)]
    numbers = {
        "cls": cls, "a": acts[cls], "e": float(row.exp[cls]), "sum": row.exp_sum,
        "p": float(row.probs[cls]), "exps": ", ".join(exps),
    }  # fmt: skip
    mistakes = [
        quiz.Mistake(code, value, t(f"check.hand_{code}", **numbers))
        for code, value in row.answer.mistakes
    ]
    quiz.numeric_question(
        f"{HAND_SEED}{seed}_softmax", t("check.hand_prompt", cls=cls) + "\n\n" + table,
        t("check.hand_field", cls=cls), row.answer.value, t("check.hand_explanation", **numbers),
        mistakes,
    )  # fmt: skip


def part_a() -> None:
    st.header(t("check.part_a"))
    numbers = concept_numbers()
    for question in QUESTIONS[:3]:
        ask(question, numbers.get(question.key, {}))
    hand_question()
    for question in QUESTIONS[3:]:
        ask(question, numbers.get(question.key, {}))


def show_batch(batch: exercises.ExerciseBatch) -> None:
    """The batch as a table (the numbers) beside a heatmap with the targets outlined."""
    n_rows, n_classes = batch.acts.shape
    names = ce_core.default_class_names(n_classes)
    frame = pd.DataFrame(
        [[number(a, 2) for a in row] for row in batch.acts], columns=list(names),
        index=[t("check.row", row=r) for r in range(n_rows)],
    )  # fmt: skip
    frame[t("check.targ")] = [int(c) for c in batch.targets]
    table, chart = st.columns([2, 3], gap="large")
    table.table(frame)
    table.caption(t("check.batch_caption", rows=n_rows, classes=n_classes, seed=batch.seed))
    with chart:
        show_chart(
            figures.make_matrix_heatmap(
                to_numpy(batch.acts), names, to_numpy(batch.targets), title=t("check.chart_title"),
                value_label=t("check.chart_value"), code="acts", diverging=True,
            ),
            alt=t("check.chart_alt", rows=n_rows, classes=n_classes,
                  numbers=chart_text.matrix_summary(to_numpy(batch.acts), names)),
            numbers_key="ck_chart_numbers",
        )  # fmt: skip


def row_numbers(batch: exercises.ExerciseBatch, row: int, acts: torch.Tensor,
                probs: torch.Tensor, loss: float) -> dict[str, object]:  # fmt: skip
    """What the loss texts quote about ``row`` (acts (C,), probs (C,) its softmax)."""
    targ = int(batch.targets[row])
    return {
        "row": row, "targ": targ, "p": prob(probs[targ]), "loss": loss,
        "pmax": prob(probs.max()), "pred": int(probs.argmax()), "act": float(acts[targ]),
        "softmax": vector(probs),
    }  # fmt: skip


def largest_question(batch: exercises.ExerciseBatch, key: str) -> None:
    answer = exercises.largest_loss_answer(batch)
    best = min(answer.rows)
    losses, target_prob = batch.losses, batch.target_prob

    def about(r: int) -> dict[str, object]:
        targ = int(batch.targets[r])
        return {"p": prob(target_prob[r]), "loss": float(losses[r]),
                "pmax": prob(batch.probs[r].max()), "act": float(batch.acts[r, targ])}  # fmt: skip

    choices = []
    for r in range(len(losses)):
        feedback = ""
        if r not in answer.rows:
            feedback = t("check.largest_wrong", choice=r, row=best, best=float(losses[best]),
                         **about(r))  # fmt: skip
            if r in answer.mistakes:
                feedback += " " + t(f"check.largest_{answer.mistakes[r]}", choice=r, **about(r))
        choices.append(quiz.Choice(t("check.row", row=r), feedback))
    every_row = "; ".join(t("check.largest_item", row=r, **about(r)) for r in range(len(losses)))
    explanation = t("check.largest_explanation", row=best, rows=every_row, **about(best))
    quiz.multiple_choice(key, t("check.largest_prompt"), choices, answer.rows, explanation,
                         horizontal=True)  # fmt: skip


def loss_question(batch: exercises.ExerciseBatch, key: str) -> None:
    row = batch.loss_row
    answer = exercises.row_loss_answer(batch, row)
    numbers = row_numbers(batch, row, batch.acts[row], batch.probs[row], answer.value)
    mistakes = [
        quiz.Mistake(code, value, t(f"check.loss_{code}", **numbers))
        for code, value in answer.mistakes
    ]
    quiz.numeric_question(
        key, t("check.loss_prompt", row=row), t("check.loss_field", row=row), answer.value,
        t("check.loss_explanation", **numbers), mistakes,
    )  # fmt: skip


def bump_question(batch: exercises.ExerciseBatch, key: str) -> None:
    row, cls = batch.bump_row, batch.bump_class
    bump = exercises.bumped_loss_answer(batch, row, cls)
    numbers = row_numbers(batch, row, bump.acts, bump.probs, bump.new_loss)
    before = float(batch.probs[row, cls])  # p_c: the changed class's probability before
    why = "check.bump_down" if cls == bump.target else "check.bump_up"
    numbers |= {
        "cls": cls, "a": float(batch.acts[row, cls]), "a_new": float(bump.acts[cls]),
        "p_old": prob(batch.target_prob[row]), "old": bump.old_loss, "change": bump.change,
        "sign": "−" if cls == bump.target else "+", "acts": vector(bump.acts, 2),
        "why": t(why, cls=cls, targ=bump.target, pc=prob(before)),
    }  # fmt: skip
    mistakes = [
        quiz.Mistake(code, value, t(f"check.bump_{code}", **numbers) if code in BUMP_ONLY
                     else t(f"check.loss_{code}", **numbers))
        for code, value in bump.answer.mistakes
    ]  # fmt: skip
    quiz.numeric_question(
        key, t("check.bump_prompt", **numbers), t("check.bump_field", row=row),
        bump.answer.value, t("check.bump_explanation", **numbers), mistakes,
    )  # fmt: skip


def mean_question(batch: exercises.ExerciseBatch, key: str) -> None:
    answer = exercises.mean_loss_answer(batch)
    losses = [number(loss) for loss in batch.losses]
    numbers = {
        "losses": ", ".join(losses), "terms": " + ".join(losses), "n": len(losses),
        "mean": answer.value, "sum": answer.mistake_value("sum"),
    }  # fmt: skip
    mistakes = [
        quiz.Mistake(code, value, t(f"check.mean_{code}", **numbers))
        for code, value in answer.mistakes
    ]
    quiz.numeric_question(
        key, t("check.mean_prompt"), t("check.mean_field"), answer.value,
        t("check.mean_explanation", **numbers), mistakes,
    )  # fmt: skip


def part_b() -> None:
    st.header(t("check.part_b"))
    batch = exercises.exercise_batch(current_seed(BATCH_SEED))
    n_rows, n_classes = batch.acts.shape
    st.markdown(t("check.part_b_text", rows=n_rows, classes=n_classes))
    seed = new_numbers_button(
        t("check.new_numbers"), t("check.new_numbers_help"), BATCH_SEED, "check_new_batch"
    )
    show_batch(batch)
    prefix = f"{BATCH_SEED}{seed}_"  # the questions of this batch, forgotten with it
    largest_question(batch, prefix + "largest")
    loss_question(batch, prefix + "loss")
    bump_question(batch, prefix + "bump")
    mean_question(batch, prefix + "mean")


def render() -> None:
    st.title(t("check.title"))
    path.notice("check")
    st.markdown(t("check.intro"))
    score = st.container()  # filled last: the answers below are checked first
    part_a()
    part_b()
    with score:
        quiz.score_caption()
    quiz.score_caption(with_reset=False)


entry.require_entrypoint()
render()
path.next_step("check")
