"""The "Language models" page through AppTest: its numbers against ce_core and PyTorch, the
settings form (no training until Train), a sentence scored and its bad input named with the
text kept, the counting's smoothing, the padded batch, and sampling with a temperature."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import ROOT, run_script
from plotly_payload import values
from streamlit.testing.v1 import AppTest

from ce_core import language_model as lm
from figures import language_model as lm_figures

PAGE = ROOT / "pages" / "language_model.py"
TEXT = lm.load_text()


@pytest.fixture(scope="module")
def opened() -> AppTest:
    return run_script(PAGE)


def fresh() -> AppTest:
    return run_script(PAGE)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def run_of(at: AppTest) -> lm.LanguageRun:
    return at.session_state["lm_run"][1]


def train(at: AppTest) -> AppTest:
    (button,) = [b for b in at.button if b.label == "Train"]
    return button.click().run()


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_page_trains_the_default_mlp_and_shows_its_numbers(opened):
    at = opened
    run = run_of(at)
    settings = at.session_state["lm_run"][0]
    assert (settings.kind, settings.context, settings.lr, settings.steps) == ("mlp", 3, 0.003, 300)
    shown = metrics(at)
    assert shown["Training text (nats)"] == f"{float(run.cross_entropy[-1]):.4f}"
    assert shown["Held-out lines (nats)"] == f"{float(run.held_out[-1]):.4f}"
    assert shown["Held-out perplexity"] == f"{math.exp(float(run.held_out[-1])):.2f}"
    # the held-out loss recomputed with PyTorch on the model the session keeps
    x, y = TEXT.examples(3, "held_out")
    with torch.no_grad():
        held = float(F.cross_entropy(run.model(x), y))
    assert shown["Held-out lines (nats)"] == f"{held:.4f}"
    text = markdown(at)
    assert f"ln 32 = {math.log(32):.4f} nats (5 bits)" in text
    assert f"{lm.unigram_entropy(TEXT):.4f} nats" in text
    # the loss axis's levels: ln V, the symbols' entropy, the best bigram
    (curves,) = [c for c in charts(at) if c["layout"]["meta"]["title"].startswith("Loss per")]
    levels = sorted(shape["y0"] for shape in curves["layout"]["shapes"])
    assert levels == pytest.approx(sorted([math.log(32), lm.unigram_entropy(TEXT),
                                           lm.count_bigrams(TEXT, 0.0).loss]))  # fmt: skip
    assert not at.error and not at.exception


def test_the_sentence_is_scored_like_f_cross_entropy(opened):
    at = opened
    run = run_of(at)
    sentence = at.text_area(key="lm_sentence").value
    ids = TEXT.vocabulary.encode(sentence)
    logits = lm.next_logits(run, ids).double()
    loss = float(F.cross_entropy(logits, ids))
    shown = metrics(at)
    assert shown["Mean loss (nats per character)"] == f"{loss:.4f}"
    assert shown["Mean loss (bits per character)"] == f"{loss / math.log(2):.4f}"
    assert shown["Perplexity"] == f"{math.exp(loss):.2f}"
    (cells,) = [c for c in charts(at) if c["data"][0].get("texttemplate")]
    z = values(cells["data"][0]["z"]).ravel()
    expected = F.cross_entropy(logits, ids, reduction="none")
    np.testing.assert_allclose(z[: len(ids)], expected.numpy(), rtol=1e-6)
    # the hover names what the model saw: the start's line breaks, then the sentence
    hover = values(cells["data"][0]["hovertext"]).ravel()
    assert hover[0].startswith(f"after “↵↵↵”: {sentence[0]}<br>p = ")
    assert hover[4].startswith(f"after “{sentence[1:4].replace(' ', '␣')}”: ")
    assert np.isnan(z[len(ids) :]).all()  # the last row's empty cells


def test_capitals_are_read_as_lower_case_and_said_so():
    at = fresh()
    at.text_area(key="lm_sentence").set_value("The Cat sat.").run()
    assert any("lower case" in c.value for c in at.caption)
    run = run_of(at)
    expected = lm.score(run, "the cat sat.").mean_loss
    assert metrics(at)["Mean loss (nats per character)"] == f"{expected:.4f}"


@pytest.mark.parametrize(
    ("typed", "said"),
    [("", "sentence is empty; type at least one character"),
     ("the cat! 7 € ", "the model does not know '!' '7' '€'"),
     ("a" * 10_000, "sentence has 10,000 characters; the limit is 1,000")],
    ids=["empty", "unknown", "too long"],
)  # fmt: skip
def test_bad_sentences_are_named_and_the_rest_of_the_page_stays(typed, said):
    at = fresh()
    at.select_slider(key="lm_temperature").set_value(0.5).run()
    sample_before = at.code[-2].value
    at.text_area(key="lm_sentence").set_value(typed).run()
    assert not at.exception
    (error,) = at.error
    shown = error.value.replace("\\", "")  # as Markdown renders its escapes
    assert said in shown and "Your text is kept" in shown
    assert at.text_area(key="lm_sentence").value == typed  # the learner's text is kept
    assert at.select_slider(key="lm_temperature").value == 0.5  # and the other choices
    assert at.code[-2].value == sample_before
    assert "Mean loss (nats per character)" not in metrics(at)


def test_moving_a_setting_does_not_train_until_train():
    at = fresh()
    run = run_of(at)
    at.slider(key="lm_steps").set_value(100).run()
    assert run_of(at) is run, "trained before Train"
    at.radio(key="lm_kind").set_value("bigram")
    at.select_slider(key="lm_lr").set_value(0.1)
    at.slider(key="lm_steps").set_value(100)
    train(at)
    trained = run_of(at)
    assert (
        trained is not run and trained.model.kind == "bigram" and len(trained.cross_entropy) == 101
    )
    assert float(trained.cross_entropy[0]) == pytest.approx(math.log(32), abs=1e-6)
    assert metrics(at)["Training text (nats)"] == f"{float(trained.cross_entropy[-1]):.4f}"


def test_label_smoothing_draws_its_floor_and_says_it():
    at = fresh()
    at.select_slider(key="lm_label_smoothing").set_value(0.1)
    at.slider(key="lm_steps").set_value(50)
    train(at)
    run = run_of(at)
    assert run.label_smoothing == 0.1
    floor = lm.smoothing_floor(0.1, 32)
    (curves,) = [c for c in charts(at) if c["layout"]["meta"]["title"].startswith("Loss per")]
    assert floor in [shape["y0"] for shape in curves["layout"]["shapes"]]
    assert len(curves["data"]) == 3  # training, held-out, the smoothed objective
    assert f"cannot fall below {floor:.4f} nats" in markdown(at)


def test_overfitting_is_named_when_the_held_out_loss_rises():
    at = fresh()
    at.select_slider(key="lm_lr").set_value(0.03)
    at.slider(key="lm_context").set_value(8)
    train(at)
    run = run_of(at)
    best = int(torch.argmin(run.held_out))
    assert best < 300 and "overfitting" in markdown(at)
    assert f"lowest at step {best} ({float(run.held_out[best]):.4f})" in markdown(at)


def test_the_counting_table_follows_its_own_slider_frame_by_frame(opened):
    at = opened
    (table,) = [c for c in charts(at) if c["layout"].get("sliders") and
                c["data"][0]["type"] == "heatmap"]  # fmt: skip
    assert table["data"][0]["x"][:2] == ["↵", "␣"]
    np.testing.assert_array_equal(values(table["data"][0]["customdata"]),
                                  lm.count_bigrams(TEXT).counts.numpy())  # fmt: skip
    steps = table["layout"]["sliders"][0]["steps"]
    assert [float(s["value"]) for s in steps] == [0, 0.01, 0.1, 0.5, 1, 2, 5, 10]
    assert table["layout"]["sliders"][0]["active"] == 4  # k = 1, as makemore
    for frame, step in zip(table["frames"], steps, strict=True):
        k = float(frame["name"])
        counts = lm.count_bigrams(TEXT, k)
        np.testing.assert_allclose(values(frame["data"][0]["z"]), counts.probs.numpy(),
                                   rtol=1e-6, atol=1e-7)  # fmt: skip
        held = "∞" if k == 0 else f"{counts.held_out_loss:.4f}"
        assert step["label"] == f"k = {k:g}: <b>{counts.loss:.4f}</b> training · {held} held out"
    text = markdown(at)
    best = lm.count_bigrams(TEXT, 0.0)
    assert f"{best.loss:.4f} nats ({best.loss / math.log(2):.4f} bits)" in text
    assert f"lowest at k = 0.1 ({lm.count_bigrams(TEXT, 0.1).held_out_loss:.4f})" in text
    assert "outnumber the real ones in 31 of the 32 rows" in text


def test_the_counting_numbers_table_opens():
    at = fresh()
    at.session_state["lm_count_numbers"] = True
    at.run()
    (numbers,) = [d for d in at.dataframe if "added to every count" in d.value.columns]
    assert numbers.value["training text"].tolist() == pytest.approx(
        [lm.count_bigrams(TEXT, k).loss for k in (0, 0.01, 0.1, 0.5, 1, 2, 5, 10)])  # fmt: skip


def test_the_padded_batch_numbers(opened):
    at = opened
    run = run_of(at)
    lines = tuple(line for line in lm.corpus().splitlines()[9::10])[:3]
    batch = lm.padded_batch(run, lines)
    v = 32
    right = float(F.cross_entropy(batch.logits.transpose(1, 2), batch.targets))
    flat = float(F.cross_entropy(batch.logits.reshape(-1, v), batch.targets.reshape(-1)))
    text = markdown(at)
    assert f"Transposed: {right:.6f}; flattened: {flat:.6f}" in text
    lengths = [len(line) for line in lines]
    assert f"by the {sum(lengths)} positions" in text
    assert f"B × T = 3 × {max(lengths)} = {3 * max(lengths)}" in text
    (table,) = [d for d in at.dataframe if "padding (-100)" in d.value.columns]
    assert table.value["characters (counted)"].tolist() == lengths


def test_sampling_follows_the_temperature_and_the_seed(opened):
    at = opened
    run = run_of(at)
    assert at.code[-2].value == lm.sample(run, 240, 1.0, 0)
    at.select_slider(key="lm_temperature").set_value(0.3).run()
    assert at.code[-2].value == lm.sample(run, 240, 0.3, 0)
    assert "T = 0.3" in markdown(at)
    at.number_input(key="lm_sample_seed").set_value(7).run()
    assert at.code[-2].value == lm.sample(run, 240, 0.3, 7)
    assert run_of(at) is run  # sampling never retrains


def test_figures_show_what_they_are_given():
    fig = lm_figures.make_scored_sentence(
        list("the cat sat on the rug."), [0.5] * 23, ["x"] * 23, title="t", loss_label="l",
        top=3.0,
    )  # fmt: skip
    heat = fig.data[0]
    assert len(heat.z) == 2 and len(heat.z[0]) == lm_figures.CELLS_PER_ROW
    assert heat.text[0][3] == "␣" and heat.zmax == 3.0
    levels = [lm_figures.Level("a", 1.0), lm_figures.Level("b", 2.0)]
    fig = lm_figures.make_language_curves(
        [("train", torch.linspace(3, 1, 11).numpy())], levels, title="t", step_label="s",
        loss_label="l",
    )  # fmt: skip
    assert [s["y0"] for s in fig.layout.shapes] == [1.0, 2.0]
    assert [a.text for a in fig.layout.annotations] == ["a", "b"]
    assert fig.layout.yaxis.range[1] == pytest.approx(3 * 1.08)
