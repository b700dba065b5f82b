"""Language models: the book's loss, one row per position of a text. A character model by
counting, then a small neural one trained live; a sentence scored character by character;
the shapes (B, T, V) and padding with -100; sampling with a temperature.

Thin like every page: widgets -> ce_core.language_model -> figures.language_model -> show;
sentences in i18n.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

import ce_core
from ce_core import language_model as lm
from figures import language_model as lm_figures
from figures.explore import frame_labels
from i18n import t
from ui import boundary, entry, path, predict
from ui import explore as ui_explore
from ui.charts import show_chart
from ui.language_run import Settings, current_run
from ui.text import escape_markdown
from ui.view import to_numpy

BITS_PER_NAT = 1 / math.log(2)
# what the counting adds to every count: the chart's own slider; makemore adds 1
COUNT_SMOOTHING = (0.0, 0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0)
DEFAULT_COUNT_SMOOTHING = 1.0
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
LABEL_SMOOTHING = (0.0, 0.05, 0.1, 0.2, 0.3)
TEMPERATURES = (0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0, 3.0)
SAMPLE_LENGTH = 240
BATCH_LINES = 3  # the padded batch: the first held-out lines, of different lengths


def show_metrics(metrics: dict[str, str]) -> None:
    """Labelled numbers side by side (one under the other on a phone)."""
    for column, (label, value) in zip(st.columns(len(metrics)), metrics.items(), strict=True):
        column.metric(label, value)


def shown(symbols: str) -> str:
    """Symbols as the page prints them (↵ for the line break, ␣ for the space)."""
    return "".join(lm_figures.visible(s) for s in symbols)


# ---------------------------------------------------------------------------- the text


def section_text(data: lm.Text) -> None:
    st.header(t("language.text_header"))
    v = data.vocabulary.size
    lines = len(data.train_lines) + len(data.held_out_lines)
    held = len(data.examples(1, "held_out")[1])  # the held-out lines' characters and ends
    st.markdown(t("language.text_text", characters=len(lm.corpus()), lines=lines, v=v,
                  held=held, every=lm.HELD_OUT_EVERY))  # fmt: skip
    st.code(shown("".join(data.vocabulary.symbols)), language=None)
    with st.expander(t("language.text_show")):
        st.text(lm.corpus())
    st.markdown(t("language.uniform", v=v, ln_v=math.log(v), bits=math.log2(v),
                  unigram=lm.unigram_entropy(data),
                  unigram_bits=lm.unigram_entropy(data) * BITS_PER_NAT))  # fmt: skip


# ---------------------------------------------------------------------------- counting


def held_text(loss: float) -> str:
    return f"{loss:.4f}" if math.isfinite(loss) else "∞"


@st.fragment  # opening the numbers' table reruns this section only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def section_counting(data: lm.Text) -> None:
    """The bigram table on the chart's own slider over what is added to every count."""
    st.header(t("language.count_header"))
    st.markdown(t("language.count_text"))
    tables = [lm.count_bigrams(data, k) for k in COUNT_SMOOTHING]
    readouts = [t("language.count_readout", k=k, loss=c.loss, held=held_text(c.held_out_loss))
                for k, c in zip(COUNT_SMOOTHING, tables, strict=True)]  # fmt: skip
    show_chart(
        lm_figures.make_bigram_table(
            data.vocabulary.symbols, to_numpy(tables[0].counts),
            [to_numpy(c.probs) for c in tables], frame_labels(COUNT_SMOOTHING, 2), readouts,
            COUNT_SMOOTHING.index(DEFAULT_COUNT_SMOOTHING), title=t("language.count_title"),
            code=t("language.count_code"), previous_label=t("language.previous_label"),
            next_label=t("language.next_label"), hover=t("language.count_hover"),
        ),
        alt=t("language.count_alt", v=data.vocabulary.size, loss=tables[0].loss),
    )  # fmt: skip
    st.caption(t("explore.drag_hint"))
    ui_explore.numbers_table(
        pd.DataFrame({t("language.count_added"): COUNT_SMOOTHING,
                      t("language.curve_train"): [c.loss for c in tables],
                      t("language.curve_held"): [c.held_out_loss for c in tables]}),
        key="lm_count_numbers",
    )  # fmt: skip
    finite = [(c.held_out_loss, k) for k, c in zip(COUNT_SMOOTHING, tables, strict=True)
              if math.isfinite(c.held_out_loss)]  # fmt: skip
    best_held, best_k = min(finite)
    top_k, v = COUNT_SMOOTHING[-1], data.vocabulary.size
    st.markdown(t("language.count_loss", best=tables[0].loss, bits=tables[0].loss * BITS_PER_NAT,
                  held=held_text(tables[0].held_out_loss), best_k=best_k,
                  best_held=best_held, top_k=top_k, top=tables[-1].loss, v=v, added=top_k * v,
                  rows=int((tables[-1].counts.sum(1) < top_k * v).sum())))  # fmt: skip
    st.code(t("language.count_pytorch"), language="python")


# ---------------------------------------------------------------------------- training


def settings_panel() -> Settings:
    kind = st.radio(t("language.model"), lm.MODELS, index=1, key="lm_kind", horizontal=True,
                    format_func=lambda k: t(f"language.model_{k}"))  # fmt: skip
    left, right = st.columns(2)
    context = left.slider(t("language.context"), 1, lm.MAX_CONTEXT, 3, key="lm_context",
                          help=t("language.context_help"))  # fmt: skip
    steps = right.slider(t("language.steps"), 50, 1000, 300, 50, key="lm_steps")
    lr = left.select_slider(t("language.lr"), LEARNING_RATES, 0.003, key="lm_lr",
                            help=t("language.lr_help"))  # fmt: skip
    smoothing = right.select_slider(t("language.label_smoothing"), LABEL_SMOOTHING, 0.0,
                                    key="lm_label_smoothing",
                                    help=t("language.label_smoothing_help"))  # fmt: skip
    seed = int(st.number_input(t("language.seed"), 0, 2**31 - 1, 0, key="lm_seed"))
    st.form_submit_button(t("language.train"), type="primary", icon=":material/play_arrow:",
                          width="stretch")  # fmt: skip
    return Settings(kind, context, float(lr), steps, float(smoothing), seed)


def levels(data: lm.Text, run: lm.LanguageRun, bigram: float) -> list[lm_figures.Level]:
    """The loss axis's landmarks: the uniform guess, the text's entropies, the smoothing's
    floor."""
    v, unigram = data.vocabulary.size, lm.unigram_entropy(data)
    found = [
        lm_figures.Level(t("language.level_uniform", value=math.log(v), v=v), math.log(v)),
        lm_figures.Level(t("language.level_unigram", value=unigram), unigram),
        lm_figures.Level(t("language.level_bigram", value=bigram), bigram),
    ]
    if run.label_smoothing:
        floor = lm.smoothing_floor(run.label_smoothing, v)
        found.append(
            lm_figures.Level(t("language.level_floor", value=floor, eps=run.label_smoothing), floor)
        )
    return found


def section_training(data: lm.Text, settings: Settings) -> lm.LanguageRun:
    run = current_run(data, settings)
    ce, held, objective = (to_numpy(c) for c in (run.cross_entropy, run.held_out, run.objective))
    model = t(f"language.model_{settings.kind}")
    curves = [(t("language.curve_train"), ce), (t("language.curve_held"), held)]
    if run.label_smoothing:
        curves.append((t("language.curve_objective", eps=run.label_smoothing), objective))
    # with nothing added: the least loss any bigram model can have on the training text
    v, bigram = data.vocabulary.size, lm.count_bigrams(data, 0.0).loss
    predict.ask("language_untrained", 2, t("predict.language_untrained_why", start=float(ce[0]),
                v=v, ln_v=math.log(v), model=model))  # fmt: skip
    show_chart(
        lm_figures.make_language_curves(
            curves, levels(data, run, bigram), title=t("language.curves_title"),
            step_label=t("language.step"), loss_label=t("language.loss_axis"),
        ),
        numbers_key="lm_curves_numbers",
        alt=t("language.curves_alt", start=float(ce[0]), end=float(ce[-1]),
              held=float(held[-1]), steps=settings.steps),
    )  # fmt: skip
    show_metrics({t("language.metric_train"): f"{ce[-1]:.4f}",
                  t("language.metric_held"): f"{held[-1]:.4f}",
                  t("language.metric_held_perplexity"): f"{math.exp(held[-1]):.2f}"})  # fmt: skip
    best = int(np.argmin(held))
    st.caption(t("language.trained_in", seconds=run.seconds, steps=settings.steps))
    case = "overfit" if best < len(held) - 1 and held[-1] > held[best] + 0.01 else "fine"
    st.markdown(t(f"language.curves_read_{case}", train=float(ce[-1]), held=float(held[-1]),
                  best=float(held[best]), best_step=best, steps=settings.steps,
                  bigram=bigram))  # fmt: skip
    if run.label_smoothing:
        st.markdown(t("language.smoothing_read", eps=run.label_smoothing,
                      floor=lm.smoothing_floor(run.label_smoothing, v), v=v,
                      objective=float(objective[-1]), ce=float(ce[-1])))  # fmt: skip
    return run


# ---------------------------------------------------------------------------- a sentence


def detail(run: lm.LanguageRun, scored: lm.Scored, i: int) -> str:
    """Character ``i``'s hover: its p and loss, and the model's five likeliest instead."""
    symbols = run.vocabulary.symbols
    pairs = zip(scored.top_ids[i].tolist(), scored.top_probs[i].tolist(), strict=True)
    top = ", ".join(f"{lm_figures.visible(symbols[k])} {p:.3f}" for k, p in pairs)
    # what the model saw: the sentence after the start's line breaks, as in training
    before = ("\n" * run.context + scored.sentence)[i : i + run.context]
    return t("language.char_hover", context=shown(before),
             char=lm_figures.visible(scored.sentence[i]), p=float(scored.probs[i]),
             loss=float(scored.losses[i]), top=top)  # fmt: skip


@st.fragment  # typing a sentence rescores it and redraws this section only
@boundary.guarded
def section_sentence(run: lm.LanguageRun) -> None:
    st.header(t("language.sentence_header"))
    st.markdown(t("language.sentence_text"))
    typed = st.text_area(
        t("language.sentence_input"), t("language.default_sentence"), key="lm_sentence", height=80,
        help=t("language.sentence_help", limit=lm.MAX_SENTENCE),
    )  # fmt: skip
    sentence = typed.lower()
    try:
        scored = lm.score(run, sentence)
    except ce_core.InputError as error:
        st.error(t("language.sentence_error", message=escape_markdown(error.message.render())))
        return
    if sentence != typed:
        st.caption(t("language.lowered"))
    losses = to_numpy(scored.losses)
    show_chart(
        lm_figures.make_scored_sentence(
            list(sentence), losses, [detail(run, scored, i) for i in range(len(sentence))],
            title=t("language.sentence_title"), loss_label=t("language.loss_nats"),
            top=math.log(run.vocabulary.size),
        ),
        numbers_key="lm_sentence_numbers",
        alt=t("language.sentence_alt", n=len(sentence), loss=scored.mean_loss,
              worst=lm_figures.visible(sentence[int(np.argmax(losses))]),
              worst_loss=float(losses.max())),
    )  # fmt: skip
    show_metrics({t("language.metric_nats"): f"{scored.mean_loss:.4f}",
                  t("language.metric_bits"): f"{scored.mean_loss * BITS_PER_NAT:.4f}",
                  t("language.metric_perplexity"): f"{scored.perplexity:.2f}"})  # fmt: skip
    worst = int(np.argmax(losses))
    st.markdown(t("language.sentence_read", loss=scored.mean_loss, perplexity=scored.perplexity,
                  v=run.vocabulary.size, worst=lm_figures.visible(sentence[worst]),
                  position=worst, worst_p=float(scored.probs[worst]),
                  worst_loss=float(losses[worst])))  # fmt: skip
    with st.expander(t("language.sentence_table")):
        st.dataframe(pd.DataFrame({
            t("language.position"): range(len(sentence)),
            t("language.character"): [lm_figures.visible(c) for c in sentence],
            "p": to_numpy(scored.probs), t("language.loss_nats"): losses,
            t("language.top5"): [", ".join(lm_figures.visible(run.vocabulary.symbols[k])
                                           for k in row) for row in scored.top_ids.tolist()],
        }), hide_index=True, column_config={"p": st.column_config.NumberColumn(format="%.4f"),
            t("language.loss_nats"): st.column_config.NumberColumn(format="%.4f")})  # fmt: skip


# ---------------------------------------------------------------------------- shapes


def section_shapes(data: lm.Text, run: lm.LanguageRun) -> None:
    st.header(t("language.shapes_header"))
    lines = data.held_out_lines[:BATCH_LINES]
    batch = lm.padded_batch(run, lines)
    b, width = batch.targets.shape
    v = data.vocabulary.size
    st.markdown(t("language.shapes_text", b=b, t=width, v=v))
    lengths = (batch.targets != -100).sum(1)
    losses = batch.token_losses.sum(1)
    st.dataframe(pd.DataFrame({
        t("language.batch_sentence"): lines,
        t("language.batch_length"): to_numpy(lengths),
        t("language.batch_padding"): width - to_numpy(lengths),
        t("language.batch_sum"): to_numpy(losses),
    }), hide_index=True, column_config={t("language.batch_sum"): st.column_config.NumberColumn(
        format="%.4f")})  # fmt: skip
    predict.ask("language_padding", 1, t("predict.language_padding_why",
                total=float(batch.token_losses.sum()), counted=batch.counted, all=b * width,
                right=batch.loss_transposed, wrong=batch.mean_over_all), all=b * width)  # fmt: skip
    st.markdown(t("language.shapes_read", transposed=batch.loss_transposed,
                  flattened=batch.loss_flattened, total=float(batch.token_losses.sum()),
                  counted=batch.counted, b=b, t=width, all=b * width,
                  wrong=batch.mean_over_all))  # fmt: skip
    st.code(t("language.shapes_pytorch"), language="python")


# ---------------------------------------------------------------------------- sampling


@st.fragment  # the temperature's slider and the seed redraw this section only
@boundary.guarded
def section_sampling(run: lm.LanguageRun) -> None:
    st.header(t("language.sample_header"))
    st.markdown(t("language.sample_text"))
    left, right = st.columns([3, 1])
    temperature = left.select_slider(
        t("language.temperature"), TEMPERATURES, 1.0, key="lm_temperature",
        help=t("language.temperature_help"),
    )  # fmt: skip
    seed = int(right.number_input(t("language.sample_seed"), 0, 2**31 - 1, 0,
                                  key="lm_sample_seed"))  # fmt: skip
    drawn = lm.sample(run, SAMPLE_LENGTH, float(temperature), seed)
    st.code(drawn, language=None, wrap_lines=True)
    mood = "cold" if temperature < 1 else "hot" if temperature > 1 else "one"
    st.markdown(t(f"language.sample_read_{mood}", temperature=temperature))


def render() -> None:
    st.title(t("language.title"))
    path.notice("language")
    st.markdown(t("language.intro"))
    data = lm.load_text()  # about a millisecond: encoded afresh, nothing shared
    section_text(data)
    section_counting(data)
    st.header(t("language.train_header"))
    st.markdown(t("language.train_text"))
    controls, results = st.columns([1, 2], gap="large")
    with controls, st.form("lm_settings", border=False):
        settings = settings_panel()
    with results:
        run = section_training(data, settings)
    section_sentence(run)
    section_shapes(data, run)
    section_sampling(run)
    st.header(t("language.code_header"))
    st.markdown(t("language.code_text"))
    st.code(t("language.code"), language="python")


entry.require_entrypoint()
render()
path.next_step("language")
