"""Small quiz widgets: a multiple-choice question, a typed number, a prediction to reveal, and
the session's score.

Each question has its own ``key`` (lowercase letters, digits, ``_`` and ``-``); its state lives
in ``st.session_state`` under ``quiz_<key>_...``, so two questions never share an entry and
``reset()`` finds them all. An answer is kept as an :class:`Outcome` (the feedback is drawn
from it on every rerun); the score records each question once, on its first answer.

The number-crunching and the diagnosis of a wrong number are ce_core's
(``ce_core.exercises.diagnose``); the caller passes every sentence, already rendered from the
catalog.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import streamlit as st

import ce_core
from i18n import t
from ui.text import escape_markdown, number

PREFIX = "quiz_"  # every key of this module starts with it (reset() clears them)
SCORE = "quiz__score"  # {question key: right at its first answer}; a key never starts with _
RESET = "quiz__reset"
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")
MAX_TYPED = 40  # characters of a typed number


@dataclass(frozen=True)
class Choice:
    """One option of a multiple-choice question; ``feedback`` (for a wrong one) answers the
    mistake that choosing it shows."""

    label: str
    feedback: str = ""


@dataclass(frozen=True)
class Mistake:
    """A wrong number a common mistake gives (``code``, as ce_core names it), and the
    feedback for a learner who typed it."""

    code: str
    value: float
    feedback: str


@dataclass(frozen=True)
class Outcome:
    """An answer as checked: the chosen index or the typed number, and its verdict."""

    correct: bool
    answer: float  # the index of a choice, or the number typed
    mistake: str | None = None  # the Mistake's code a typed number matched
    typed: str = ""  # the text as typed


class NumberError(ValueError):
    """A typed text that is not a finite number; ``code`` is "empty", "text", "nan" or "inf"."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(code)
        self.code, self.text = code, text

    def message(self, field: str) -> str:
        return t(f"quiz.number_{self.code}", field=field, text=escape_markdown(self.text, 40))


def parse_number(text: str) -> float:
    """A typed number: ``"0.4076"``, ``" -1.2 "``, ``"1e-3"``, ``"−0.5"`` (the minus sign the
    app prints), ``"0,4076"`` (a decimal comma). Raises :class:`NumberError` otherwise.

    >>> parse_number(" 0,4076 "), parse_number("−1.5e-1")
    (0.4076, -0.15)
    """
    cleaned = text.strip().replace("−", "-")
    if "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    if not cleaned:
        raise NumberError("empty", text)
    try:
        value = float(cleaned)
    except ValueError:
        raise NumberError("text", text) from None
    if math.isnan(value):
        raise NumberError("nan", text)
    if math.isinf(value):
        raise NumberError("inf", text)
    return value


def _state_key(key: str, part: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError(f"a question's key must match {_KEY.pattern}: {key!r}")
    return f"{PREFIX}{key}_{part}"


def _result(key: str) -> Outcome | None:
    return st.session_state.get(_state_key(key, "result"))


def _record(key: str, outcome: Outcome) -> Outcome:
    """Keep the answer (its feedback shows until the next one); score only the first."""
    st.session_state[_state_key(key, "result")] = outcome
    st.session_state.setdefault(SCORE, {}).setdefault(key, outcome.correct)
    return outcome


def multiple_choice(
    key: str,
    prompt: str,
    choices: Sequence[Choice | str],
    answer: int | Collection[int],
    explanation: str,
    *,
    horizontal: bool = False,
) -> Outcome | None:
    """A radio (nothing chosen at first) and a Check button, in a form. After an answer:
    ``st.success`` with ``explanation`` when right; when wrong, ``st.error`` with the chosen
    choice's feedback, then the right answer and ``explanation`` in ``st.info``.

    ``answer``: the index of the right choice, or several (ties). Returns the last answer.
    """
    options = [c if isinstance(c, Choice) else Choice(c) for c in choices]
    right = {answer} if isinstance(answer, int) else set(answer)
    outcome = _result(key)
    with st.form(_state_key(key, "form")):
        chosen = st.radio(
            prompt, range(len(options)), format_func=lambda i: options[i].label,
            index=None if outcome is None else int(outcome.answer),
            key=_state_key(key, "choice"), horizontal=horizontal,
        )  # fmt: skip
        submitted = st.form_submit_button(t("quiz.check"), key=_state_key(key, "check"))
    if submitted and chosen is None:
        st.warning(t("quiz.choose_first"))
        return outcome
    if submitted:
        outcome = _record(key, Outcome(chosen in right, chosen))
    if outcome is None:
        return None
    if outcome.correct:
        st.success(t("quiz.right", explanation=explanation))
    else:
        feedback = options[int(outcome.answer)].feedback
        st.error(t("quiz.wrong", feedback=feedback) if feedback else t("quiz.wrong_plain"))
        labels = t("quiz.or").join(options[i].label for i in sorted(right))
        st.info(t("quiz.the_answer", answer=labels, explanation=explanation))
    return outcome


def numeric_question(
    key: str,
    prompt: str,
    field: str,
    answer: float,
    explanation: str,
    mistakes: Sequence[Mistake] = (),
) -> Outcome | None:
    """``prompt``, a text box named ``field`` and a Check button, in a form. The typed number
    is checked against ``answer`` within ce_core's tolerance (0.5 % or 0.001), then against
    the mistakes' numbers (``ce_core.exercises.diagnose``: the nearest that matches). Right:
    ``st.success`` with ``explanation``; wrong: the matched mistake's feedback in ``st.error``,
    then the answer and ``explanation`` in ``st.info``; not a number (empty, text, nan, inf):
    ``st.warning`` naming ``field``.
    """
    outcome = _result(key)
    with st.form(_state_key(key, "form")):
        st.markdown(prompt)
        text = st.text_input(
            field, value="" if outcome is None else outcome.typed, key=_state_key(key, "typed"),
            placeholder=t("quiz.placeholder"), help=t("quiz.tolerance"), max_chars=MAX_TYPED,
        )  # fmt: skip
        submitted = st.form_submit_button(t("quiz.check"), key=_state_key(key, "check"))
    if submitted:
        try:
            value = parse_number(text)
        except NumberError as problem:
            st.warning(problem.message(field))  # the last answer's feedback would mislead here
            return outcome
        verdict = ce_core.exercises.diagnose(value, answer, [(m.code, m.value) for m in mistakes])
        outcome = _record(key, Outcome(verdict.correct, value, verdict.mistake, text.strip()))
    if outcome is None:
        return None
    typed = escape_markdown(outcome.typed, MAX_TYPED)
    if outcome.correct:
        st.success(t("quiz.right_number", typed=typed, explanation=explanation))
        return outcome
    matched = next((m.feedback for m in mistakes if m.code == outcome.mistake), None)
    st.error(t("quiz.wrong_number", typed=typed, feedback=matched or t("quiz.unknown_mistake")))
    st.info(t("quiz.the_answer", answer=number(answer), explanation=explanation))
    return outcome


def predict_then_reveal(
    key: str, prompt: str, choices: Sequence[str], answer: int, explanation: str
) -> Outcome | None:
    """For the concept pages: the learner picks a prediction (a radio), presses Reveal and
    sees whether it was right, and why (``explanation``, which may carry the caller's
    numbers). The prediction is then locked until "Predict again". Not scored.
    Returns the revealed prediction, or None before.
    """
    revealed = _result(f"predict-{key}")
    with st.container(border=True):
        st.caption(t("quiz.predict_caption"))
        choice = st.radio(
            prompt, range(len(choices)), format_func=lambda i: choices[i],
            index=None if revealed is None else int(revealed.answer),
            key=_state_key(f"predict-{key}", "choice"), disabled=revealed is not None,
        )  # fmt: skip
        if revealed is None:
            st.button(
                t("quiz.reveal"), key=_state_key(f"predict-{key}", "reveal"),
                disabled=choice is None, help=t("quiz.reveal_help"),
                on_click=_reveal, args=(key, answer),
            )  # fmt: skip
            return None
        prediction = choices[int(revealed.answer)]
        if revealed.correct:
            st.success(t("quiz.predicted_right", prediction=prediction, explanation=explanation))
        else:
            st.error(t("quiz.predicted_wrong", prediction=prediction, answer=choices[answer]))
            st.info(explanation)
        st.button(
            t("quiz.predict_again"), key=_state_key(f"predict-{key}", "again"),
            on_click=_forget_question, args=(f"predict-{key}",),
        )  # fmt: skip
    return revealed


def _reveal(key: str, answer: int) -> None:
    # A callback (it runs before the script), so the radio is drawn locked in the same run.
    choice = st.session_state.get(_state_key(f"predict-{key}", "choice"))
    if choice is not None:
        outcome = Outcome(choice == answer, choice)
        st.session_state[_state_key(f"predict-{key}", "result")] = outcome  # not scored


def score() -> tuple[int, int]:
    """(right, answered) this session, each question counted on its first answer."""
    first_answers = st.session_state.get(SCORE, {})
    return sum(first_answers.values()), len(first_answers)


def score_caption(*, with_reset: bool = True) -> None:
    """The caption "Score this session: right of answered", and (``with_reset``) a button to
    start over (one per page: its key is fixed)."""
    right, answered = score()
    st.caption(t("quiz.score", right=right, answered=answered))
    if with_reset:
        st.button(t("quiz.reset"), key=RESET, on_click=reset, help=t("quiz.reset_help"),
                  icon=":material/restart_alt:")  # fmt: skip


def reset() -> None:
    """Forget every answer and the score. Used as a callback (it runs before the script),
    so the widgets are cleared before they are drawn again."""
    for name in [k for k in st.session_state if str(k).startswith(PREFIX) and k != RESET]:
        del st.session_state[name]


def _forget_question(key: str) -> None:
    for part in ("result", "choice", "reveal", "again"):
        st.session_state.pop(_state_key(key, part), None)


def forget(prefix: str) -> None:
    """Forget the answers (and the widgets' values) of the questions whose key starts with
    ``prefix``; the score keeps them."""
    start = PREFIX + prefix
    for name in [k for k in st.session_state if str(k).startswith(start)]:
        del st.session_state[name]
