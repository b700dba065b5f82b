"""Training: a small classifier learns 2-D points in K classes, live, with cross-entropy
(or MSE, to compare).

Thin like every page: widgets -> ce_core.training -> figures -> show. The settings are a
form: moving a slider costs nothing until "Train" is pressed (training takes about a second,
far too long to repeat on every tick of a slider). A run is kept in the session under its
settings, so redrawing the page (or moving to another and back) does not train again. The
replay is one Plotly figure with a frame per kept step (figures/explore.py): its own slider
and Play button redraw the maps in the browser, with no rerun of this script.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ce_core import training
from ce_core.calibration import Calibration
from figures.calibration import Panel, make_reliability
from figures.training import make_training_curves
from i18n import t
from ui import boundary, chart_text, entry, path, predict
from ui import explore as ui_explore
from ui.charts import show_chart
from ui.text import number
from ui.training_run import Run, Settings, replay_figure, train
from ui.view import to_numpy

LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
RUN_KEY = "tr_run"


def settings_panel() -> Settings:
    dataset = st.radio(
        t("training.dataset"), training.DATASETS, index=2, key="tr_dataset", horizontal=True,
        format_func=lambda k: t(f"training.dataset_{k}"),
    )  # fmt: skip
    left, right = st.columns(2)
    n_classes = left.slider(t("training.classes"), training.MIN_CLASSES, training.MAX_CLASSES,
                            3, key="tr_classes")  # fmt: skip
    n_per_class = right.slider(t("training.points"), 10, 300, 100, 10, key="tr_points")
    noise = left.slider(t("training.noise"), 0.0, 0.5, 0.1, 0.01, key="tr_noise",
                        help=t("training.noise_help"))  # fmt: skip
    seed = int(right.number_input(t("training.seed"), 0, 2**31 - 1, 0, key="tr_seed",
                                  help=t("training.seed_help")))  # fmt: skip
    model = st.radio(
        t("training.model"), training.MODELS, index=1, key="tr_model", horizontal=True,
        format_func=lambda k: t(f"training.model_{k}"),
    )  # fmt: skip
    # Not disabled for the linear model: in a form the model choice is not known until Train.
    hidden = st.slider(t("training.hidden"), 2, 128, 32, key="tr_hidden",
                       help=t("training.hidden_help"))  # fmt: skip
    loss = st.radio(
        t("training.loss"), training.LOSSES, key="tr_loss", horizontal=True,
        format_func=lambda k: t(f"training.loss_{k}"),
    )  # fmt: skip
    lr = st.select_slider(t("training.lr"), LEARNING_RATES, 0.1, key="tr_lr",
                          help=t("training.lr_help"))  # fmt: skip
    steps = st.slider(t("training.steps"), 10, 2000, 300, 10, key="tr_steps")
    compare = st.toggle(t("training.compare"), True, key="tr_compare")
    st.form_submit_button(t("training.train"), type="primary", icon=":material/play_arrow:",
                          width="stretch")  # fmt: skip
    return Settings(dataset, n_classes, n_per_class, float(noise), seed, model, hidden, loss,
                    float(lr), steps, compare)  # fmt: skip


def current_run(settings: Settings) -> Run:
    """The session's run for these settings, training only when they changed."""
    run = st.session_state.get(RUN_KEY)
    if run is None or run.settings != settings:
        run = train(settings)
        st.session_state[RUN_KEY] = run
    return run


def show_run(run: Run) -> None:
    for column, (name, accuracy, ce) in zip(st.columns(len(run.finals)), run.finals,
                                            strict=True):  # fmt: skip
        column.metric(t("training.final_accuracy", loss=name), f"{accuracy:.1%}",
                      help=t("training.final_help"))  # fmt: skip
        column.caption(t("training.final_ce", ce=ce))
    for name, ce, _ in run.curves:
        if not np.isfinite(ce[-1]) or ce[-1] >= ce[0]:
            st.warning(t("training.diverged", loss=name, start=ce[0], end=ce[-1]))
    st.caption(t("training.trained_in", seconds=run.seconds, steps=run.settings.steps,
                 runs=len(run.finals)))  # fmt: skip
    ask_after_the_accuracy_settles(run)
    show_chart(
        make_training_curves(
            run.curves, title=t("training.curves_title"), step_label=t("training.step"),
            loss_label=t("training.curves_loss"), accuracy_label=t("training.curves_accuracy"),
        ),
        alt=t("training.curves_alt", numbers=chart_text.training_summary(run.curves)),
        numbers_key="tr_curves_numbers",
    )  # fmt: skip


def ask_after_the_accuracy_settles(run: Run) -> None:
    """Predict, then reveal: the cross-entropy once the accuracy has settled, this run's."""
    trained_with, ce, accuracy = run.curves[0]  # (S+1,) after 0..S steps
    # settled: within 1 point of the final accuracy (a point or two near a boundary may
    # still flip back and forth to the last step)
    step = int(np.argmax(accuracy >= accuracy[-1] - 0.01))
    start, end = float(ce[step]), float(ce[-1])
    steps = len(ce) - 1
    case = "changing" if step == steps else "fell" if end < start else "not"
    why = t(f"predict.training_after_why_{case}", step=step, steps=steps,
            accuracy=float(accuracy[step]), final=float(accuracy[-1]), start=start,
            end=end, loss=trained_with)  # fmt: skip
    predict.ask("training_after", 1, why)


@st.fragment  # opening the numbers' table reruns the replay only: no training, no curves
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def show_replay(run: Run) -> None:
    """The maps after each kept step: one figure whose own slider and Play button replay the
    run in the browser, the steps' numbers above its slider and, for the keyboard, in a
    table."""
    replay, steps = run.replay, run.settings.steps
    st.header(t("training.replay_header"))
    every = len(replay.steps) == steps + 1  # few steps: every one is kept
    kept = t(f"training.replay_kept_{'all' if every else 'some'}", frames=len(replay.steps),
             steps=steps)  # fmt: skip
    st.markdown(t("training.replay_text", kept=kept))
    # The figure starts at the last step: the question's numbers are that map's
    top = replay.confidence[-1]  # (R, R): how sure the model is at each place
    predict.ask("training_unsure", 2, t("predict.training_unsure_why", step=steps,
                low=float(top.min()), high=float(top.max())))  # fmt: skip
    show_chart(replay_figure(run), alt=t("training.replay_alt"), key="tr_replay_chart")
    ui_explore.numbers_table(
        pd.DataFrame({t("training.step"): replay.steps,
                      t("training.curves_accuracy"): replay.accuracy,
                      t("training.curves_loss"): replay.cross_entropy,
                      t("training.wrong_column", n=len(run.labels)): replay.wrong.sum(axis=1)}),
        key="tr_replay_numbers",
    )  # fmt: skip


def calibration_panels(calibration: Calibration) -> list[Panel]:
    """The reliability before and after temperature scaling, as the diagram draws them."""
    return [
        Panel(to_numpy(r.edges), to_numpy(r.counts), to_numpy(r.confidence),
              to_numpy(r.accuracy), title)
        for r, title in (
            (calibration.before, t("training.calibration_before", ece=calibration.before.ece)),
            (calibration.after, t("training.calibration_after", ece=calibration.after.ece,
                                  temperature=calibration.temperature)),
        )
    ]  # fmt: skip


@st.fragment  # choosing the run whose diagram is shown reruns this section only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def show_calibration(run: Run) -> None:
    """Reliability on held-out points, ECE, and temperature scaling, for each trained run."""
    st.header(t("training.calibration_header"))
    n_points = run.settings.n_classes * run.settings.n_per_class
    st.markdown(t("training.calibration_text", n=n_points))
    rows = [
        {t("training.calibration_run"): name,
         t("training.calibration_accuracy"): f"{c.before.accuracy_all:.1%}",
         t("training.calibration_ce"): number(c.before.cross_entropy),
         "ECE": number(c.before.ece), "T": number(c.temperature, 3),
         t("training.calibration_ce_after"): number(c.after.cross_entropy),
         t("training.calibration_ece_after"): number(c.after.ece),
         t("training.calibration_accuracy_after"): f"{c.after.accuracy_all:.1%}"}
        for name, c in run.calibrations
    ]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    names = dict(zip(run.losses, run.names, strict=True))  # the choice is a loss's key:
    # a change of language renames the options, not the learner's choice
    chosen = st.radio(t("training.calibration_which"), list(names), key="tr_calibration_run",
                      horizontal=True, format_func=names.__getitem__) if len(names) > 1 else (
                      run.losses[0])  # fmt: skip
    name, calibration = names[chosen], run.reports[run.losses.index(chosen)]
    show_chart(
        make_reliability(
            calibration_panels(calibration), title=t("training.calibration_title", loss=name),
            confidence_label=t("training.calibration_confidence"),
            accuracy_label=t("training.calibration_accuracy_axis"),
            accuracy_name=t("training.calibration_accuracy_axis"),
            gap_name=t("training.calibration_gap"), ideal_name=t("training.calibration_ideal"),
            code=t("training.calibration_code"),
        ),
        numbers_key="tr_calibration_numbers",
        alt=t("training.calibration_alt", loss=name, before=calibration.before.ece,
              after=calibration.after.ece, temperature=calibration.temperature),
    )  # fmt: skip
    before, after = calibration.before, calibration.after
    mood = "over" if calibration.temperature > 1 else "under"
    st.markdown(t(f"training.calibration_result_{mood}", temperature=calibration.temperature,
                  accuracy=before.accuracy_all, ce_before=before.cross_entropy,
                  ce_after=after.cross_entropy, ece_before=before.ece, ece_after=after.ece,
                  confidence=before.mean_confidence))  # fmt: skip
    st.markdown(t("training.calibration_mse" if len(names) > 1 else "training.calibration_mse_off"))
    st.code(t("training.calibration_pytorch"), language="python")


def render() -> None:
    st.title(t("training.title"))
    path.notice("training")
    st.markdown(t("training.intro"))
    controls, results = st.columns([1, 2], gap="large")
    with controls, st.form("tr_settings", border=False):
        st.header(t("training.settings_header"))
        settings = settings_panel()
    with results:
        st.header(t("training.results_header"))
        run = current_run(settings)
        show_run(run)
    # Under the columns, at the page's width: the replay's two maps side by side
    show_replay(run)
    show_calibration(run)
    st.markdown(t("training.read_me"))
    st.header(t("training.code_header"))
    net = t(f"training.code_net_{settings.model}", hidden=settings.hidden)
    loss_line = t(f"training.code_loss_{settings.loss}")
    st.code(t("training.code", net=net, lr=settings.lr, steps=settings.steps,
              loss_line=loss_line), language="python")  # fmt: skip


entry.require_entrypoint()
render()
path.next_step("training")
