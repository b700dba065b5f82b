"""ce_core.language_model against PyTorch: the counting model's loss is F.cross_entropy on log
counts (and makemore's formula), a sentence's losses are -log_softmax at its characters, the
padded batch is the K-dimensional F.cross_entropy with ignore_index; training is
deterministic and starts at ln V; sampling is deterministic for a seed; bad input is named.
The code blocks the page shows are run here."""

from __future__ import annotations

import contextlib
import io
import math
import re

import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.distributions import Categorical

import ce_core
from ce_core import language_model as lm
from i18n import t

TEXT = lm.load_text()
V = TEXT.vocabulary.size


@pytest.fixture(scope="module")
def mlp() -> lm.LanguageRun:
    return lm.train(TEXT, kind="mlp", context=3, steps=60, seed=0)


@pytest.fixture(scope="module")
def bigram() -> lm.LanguageRun:
    return lm.train(TEXT, kind="bigram", lr=0.1, steps=300, seed=0)


# ---------------------------------------------------------------------------- the text


def test_the_text_is_what_the_page_says():
    text = lm.corpus()
    symbols = TEXT.vocabulary.symbols
    # "the 26 letters, the space, four punctuation marks and the line break"
    assert V == 32 == 26 + 1 + 4 + 1
    assert set("abcdefghijklmnopqrstuvwxyz \n") <= set(symbols)
    assert [s for s in symbols if not s.isalpha() and s not in " \n"] == [",", ".", ":", "?"]
    assert text == text.lower() and text.endswith("\n")
    lines = text.splitlines()
    assert len(lines) == 50 and all(lines)
    # the held-out lines: every 10th; the rest is trained on; nothing lost
    held = lines[lm.HELD_OUT_EVERY - 1 :: lm.HELD_OUT_EVERY]
    assert TEXT.held_out_lines == tuple(held)
    assert len(TEXT.train_lines) + len(held) == 50 and set(TEXT.train_lines).isdisjoint(held)
    # every character and every line's end is predicted once: the 276 held-out ones
    assert len(TEXT.examples(1)[1]) + len(TEXT.examples(1, "held_out")[1]) == len(text)
    assert len(TEXT.examples(1, "held_out")[1]) == 276
    # the predict question's choice and the catalog's 32
    assert f"ln {V} = {math.log(V):.4f}" in t("predict.language_untrained_2")


def test_encode_decode_and_unknown_characters_named():
    ids = TEXT.vocabulary.encode("the cat.")
    assert ids.dtype == torch.int64 and TEXT.vocabulary.decode(ids) == "the cat."
    with pytest.raises(ce_core.InputError) as raised:
        TEXT.vocabulary.encode("a café, 7 cats!", argument="sentence")
    error = raised.value
    assert error.code == "unknown_characters" and error.argument == "sentence"
    assert str(error) == ("the model does not know '!' '7' 'é'; besides the space and the line "
                          "break it knows only ,.:?abcdefghijklmnopqrstuvwxyz")  # fmt: skip


def test_every_sentence_is_read_from_the_same_start():
    v = TEXT.vocabulary
    ids = v.encode("ab\ncd\n")
    a, b, c, d, end = (v.symbols.index(x) for x in "abcd\n")
    assert lm.contexts_of(ids, 3, end).tolist() == [
        [end, end, end], [end, end, a], [end, a, b],  # a, b, and the first line's end
        [end, end, end], [end, end, c], [end, c, d],  # the second line starts afresh
    ]  # fmt: skip
    inputs, targets = lm.examples(("ab", "cd"), v, 1)
    assert inputs[:, 0].tolist() == [end, a, b, end, c, d] and targets.tolist() == ids.tolist()
    # a line's contexts do not depend on the lines around it
    alone, _ = lm.examples(("cd",), v, 3)
    assert torch.equal(lm.examples(("ab", "cd"), v, 3)[0][3:], alone)


# ---------------------------------------------------------------------------- counting


@pytest.mark.parametrize("k", [0.0, 0.1, 1.0, 10.0])
def test_counting_is_cross_entropy_of_log_counts(k):
    counts = lm.count_bigrams(TEXT, k)
    before, following = TEXT.examples(1)
    previous = before[:, 0]
    manual = torch.zeros(V, V, dtype=torch.int64)
    for a, b in zip(previous.tolist(), following.tolist(), strict=True):
        manual[a, b] += 1
    assert torch.equal(counts.counts, manual)
    table = (manual + k).double()
    probs = table / table.sum(1, keepdim=True)
    torch.testing.assert_close(counts.probs, probs)
    makemore = -probs[previous, following].log().mean()
    assert counts.loss == pytest.approx(float(makemore), rel=1e-12)
    assert counts.loss == pytest.approx(float(F.cross_entropy(table.log()[previous], following)))


def test_counting_without_smoothing_is_the_best_bigram_and_infinite_held_out():
    best = lm.count_bigrams(TEXT, 0.0)
    assert best.held_out_loss == math.inf  # the held-out lines have a pair never seen
    assert best.loss < lm.count_bigrams(TEXT, 0.01).loss < lm.count_bigrams(TEXT, 1.0).loss
    assert math.isfinite(lm.count_bigrams(TEXT, 0.01).held_out_loss)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_no_table_near_the_counts_beats_them_on_the_training_text(seed):
    # the counts' own log-probabilities, nudged: any table near the best one scores worse
    best = lm.count_bigrams(TEXT, 0.0)
    noise = torch.randn(V, V, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    nudged = best.probs.log() + 1e-3 * noise
    before, following = TEXT.examples(1)
    other = float(F.cross_entropy(nudged[before[:, 0]], following))
    assert other >= best.loss


def test_unigram_entropy_and_smoothing_floor_against_torch():
    frequencies = torch.bincount(TEXT.examples(1)[1], minlength=V).double()
    assert lm.unigram_entropy(TEXT) == pytest.approx(
        float(Categorical(probs=frequencies).entropy())
    )
    for eps in (0.05, 0.1, 0.3):
        target = torch.full((V,), eps / V, dtype=torch.float64)
        target[0] += 1 - eps
        # the floor: the loss of predicting exactly the smoothed target
        reached = F.cross_entropy(target.log()[None], torch.tensor([0]), label_smoothing=eps)
        assert lm.smoothing_floor(eps, V) == pytest.approx(float(reached))


def test_bad_counting_arguments_are_named():
    with pytest.raises(ce_core.InputError) as raised:
        lm.count_bigrams(TEXT, -1)
    assert raised.value.argument == "smoothing"


# ---------------------------------------------------------------------------- training


def test_training_starts_at_ln_v_and_the_curves_are_pytorchs(mlp, bigram):
    assert float(bigram.cross_entropy[0]) == pytest.approx(math.log(V), abs=1e-6)  # zeros
    assert float(mlp.cross_entropy[0]) == pytest.approx(math.log(V), abs=0.01)
    assert len(mlp.cross_entropy) == 61 and mlp.cross_entropy[-1] < mlp.cross_entropy[0]
    x, y = TEXT.examples(3)
    held_x, held_y = TEXT.examples(3, "held_out")
    with torch.no_grad():
        assert float(mlp.cross_entropy[-1]) == pytest.approx(
            float(ce_core.cross_entropy(mlp.model(x), y)), rel=1e-5)  # fmt: skip
        assert float(mlp.held_out[-1]) == pytest.approx(
            float(ce_core.cross_entropy(mlp.model(held_x), held_y)), rel=1e-5)  # fmt: skip


def test_the_neural_bigram_learns_the_counts(bigram):
    best = lm.count_bigrams(TEXT, 0.0).loss
    assert best <= float(bigram.cross_entropy[-1]) < best + 0.01


def test_adam_step_is_torch_optim_adams():
    net = lm.make_model("mlp", V, 3, seed=1)
    twin = lm.make_model("mlp", V, 3, seed=1)
    x, y = TEXT.examples(3)
    parameters = list(net.parameters())
    moments = [(torch.zeros_like(p), torch.zeros_like(p)) for p in parameters]
    optimizer = torch.optim.Adam(twin.parameters(), lr=0.01)
    for step in range(1, 6):
        grads = torch.autograd.grad(F.cross_entropy(net(x), y), parameters)
        lm.adam_step(parameters, grads, moments, 0.01, step)
        optimizer.zero_grad()
        F.cross_entropy(twin(x), y).backward()
        optimizer.step()
    for ours, theirs in zip(parameters, twin.parameters(), strict=True):
        torch.testing.assert_close(ours, theirs, rtol=1e-6, atol=1e-7)


def test_training_is_deterministic_for_a_seed():
    a, b = (lm.train(TEXT, steps=20, seed=3) for _ in range(2))
    assert torch.equal(a.cross_entropy, b.cross_entropy)
    c = lm.train(TEXT, steps=20, seed=4)
    assert not torch.equal(a.cross_entropy, c.cross_entropy)


def test_label_smoothing_objective_and_its_floor():
    run = lm.train(TEXT, steps=40, label_smoothing=0.1, lr=0.01)
    x, y = TEXT.examples(3)
    with torch.no_grad():
        logits = run.model(x)
    assert float(run.objective[-1]) == pytest.approx(
        float(ce_core.cross_entropy(logits, y, label_smoothing=0.1)), rel=1e-5)  # fmt: skip
    assert float(run.cross_entropy[-1]) == pytest.approx(
        float(ce_core.cross_entropy(logits, y)), rel=1e-5)  # fmt: skip
    assert bool((run.objective >= lm.smoothing_floor(0.1, V)).all())


def test_progress_is_reported():
    seen = []
    lm.train(TEXT, steps=25, on_step=lambda step, loss: seen.append(step))
    assert seen == [10, 20, 25]


@pytest.mark.parametrize(
    ("options", "argument"),
    [({"steps": 0}, "steps"), ({"lr": 0.0}, "lr"), ({"label_smoothing": 1.5}, "label_smoothing"),
     ({"context": 9}, "context"), ({"kind": "rnn"}, "kind")],
)  # fmt: skip
def test_bad_training_arguments_are_named(options, argument):
    with pytest.raises(ce_core.InputError) as raised:
        lm.train(TEXT, **options)
    assert raised.value.argument == argument


# ---------------------------------------------------------------------------- a sentence


def test_a_sentence_is_scored_like_f_cross_entropy(mlp):
    sentence = "the dog sat on the mat."
    scored = lm.score(mlp, sentence)
    ids = TEXT.vocabulary.encode(sentence)
    contexts, _ = lm.examples((sentence,), TEXT.vocabulary, 3)
    contexts = contexts[:-1]  # the sentence's characters, not its end
    with torch.no_grad():
        logits = mlp.model(contexts).double()
    torch.testing.assert_close(scored.losses, F.cross_entropy(logits, ids, reduction="none"))
    assert scored.mean_loss == pytest.approx(float(F.cross_entropy(logits, ids)))
    assert scored.perplexity == pytest.approx(math.exp(scored.mean_loss))
    torch.testing.assert_close(scored.probs, torch.softmax(logits, 1)[torch.arange(len(ids)), ids])
    top = torch.softmax(logits, 1).topk(5, dim=1)
    assert torch.equal(scored.top_ids, top.indices)
    # the first character is predicted from the start alone
    assert lm.score(mlp, "t").losses[0] == pytest.approx(float(scored.losses[0]))


@pytest.mark.parametrize(
    ("sentence", "code", "said"),
    [("", "sentence_empty", "sentence is empty"),
     ("x" * 10_000, "sentence_too_long", "10,000 characters; the limit is 1,000"),
     ("the cat! 7", "unknown_characters", "does not know '!' '7'")],
)  # fmt: skip
def test_bad_sentences_are_refused_with_the_reason(mlp, sentence, code, said):
    with pytest.raises(ce_core.InputError) as raised:
        lm.score(mlp, sentence)
    assert raised.value.code == code and said in str(raised.value)


# ---------------------------------------------------------------------------- sampling


def test_sampling_is_deterministic_and_draws_from_the_vocabulary(mlp):
    a = lm.sample(mlp, 200, 1.0, seed=5)
    assert a == lm.sample(mlp, 200, 1.0, seed=5) and len(a) == 200
    assert set(a) <= set(TEXT.vocabulary.symbols)
    assert a != lm.sample(mlp, 200, 1.0, seed=6)


def test_sampling_draws_each_character_from_its_sentence_so_far(mlp):
    text = lm.sample(mlp, 400, 1.0, seed=1)
    assert "\n" in text[:-1]  # at least one sentence ends and another starts
    ids = TEXT.vocabulary.encode(text)
    contexts = lm.contexts_of(ids, 3, TEXT.vocabulary.boundary)  # training's rule
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for i, token in enumerate(ids.tolist()):
            probs = torch.softmax(mlp.model(contexts[i]).double(), 0)
            assert int(torch.multinomial(probs, 1, generator=generator)) == token


def test_a_cold_temperature_picks_the_likeliest_character(bigram):
    drawn = lm.sample(bigram, 30, 0.01, seed=0)
    previous, greedy = TEXT.vocabulary.boundary, []
    for _ in range(30):
        previous = int(bigram.model(torch.tensor([previous])).argmax())
        greedy.append(previous)
    assert drawn == TEXT.vocabulary.decode(torch.tensor(greedy))


def test_bad_sampling_arguments_are_named(mlp):
    for options, argument in (({"n_characters": 0}, "n_characters"),
                              ({"temperature": 0.0}, "temperature")):  # fmt: skip
        with pytest.raises(ce_core.InputError) as raised:
            lm.sample(mlp, **({"n_characters": 10, "temperature": 1.0, "seed": 0} | options))
        assert raised.value.argument == argument


# ---------------------------------------------------------------------------- padded batch


def test_the_padded_batch_is_pytorchs_k_dimensional_loss(mlp):
    lines = ("a cat.", "the dog sat on the rug.", "is it?")
    batch = lm.padded_batch(mlp, lines)
    assert batch.targets.shape == (3, 23) and batch.logits.shape == (3, 23, V)
    assert batch.counted == sum(len(s) for s in lines)
    assert int((batch.targets == -100).sum()) == 3 * 23 - batch.counted
    logits, targets = batch.logits, batch.targets
    transposed = F.cross_entropy(logits.transpose(1, 2), targets)
    assert batch.loss_transposed == pytest.approx(float(transposed), rel=1e-12)
    assert batch.loss_flattened == pytest.approx(
        float(F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1))), rel=1e-12)  # fmt: skip
    none = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
    torch.testing.assert_close(batch.token_losses, none)
    assert batch.mean_over_all == pytest.approx(float(none.sum() / none.numel()))
    assert batch.mean_over_all < batch.loss_transposed
    for b, line in enumerate(lines):  # each row is its sentence scored alone
        torch.testing.assert_close(batch.token_losses[b, : len(line)], lm.score(mlp, line).losses)


def test_an_empty_batch_is_named(mlp):
    with pytest.raises(ce_core.InputError) as raised:
        lm.padded_batch(mlp, ())
    assert raised.value.argument == "sentences" and "sentences is empty" in str(raised.value)


def test_a_line_break_starts_a_new_sentence(mlp):
    both = lm.score(mlp, "a cat.\nthe dog.")
    # float32 logits of a longer batch: equal to rounding
    torch.testing.assert_close(both.losses[7:], lm.score(mlp, "the dog.").losses, rtol=1e-5,
                               atol=1e-6)  # fmt: skip
    torch.testing.assert_close(both.losses[:6], lm.score(mlp, "a cat.").losses, rtol=1e-5,
                               atol=1e-6)  # fmt: skip


def test_a_bad_sentence_in_a_batch_is_named_by_place(mlp):
    with pytest.raises(ce_core.InputError) as raised:
        lm.padded_batch(mlp, ("a cat.", ""))
    assert raised.value.argument == "sentences[1]"


# ---------------------------------------------------------------------------- the page's code


def printed(code: str) -> list[list[float]]:
    """The numbers each print() of ``code`` wrote, line by line (tensors as their values)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {})  # the catalog's own code block
    return [[float(x) for x in re.findall(r"-?\d+\.\d+", line)] for line in
            out.getvalue().splitlines()]  # fmt: skip


def test_the_counting_code_prints_ce_cores_number():
    code = t("language.count_pytorch")
    (line,) = printed(code)
    text = re.search(r'text = "(.*)"', code).group(1).encode().decode("unicode_escape")
    expected = lm.count_bigrams(lm.load_text(text), 1.0).loss
    assert line == pytest.approx([expected, expected], abs=1e-4)


def test_the_shapes_code_prints_one_number_three_ways():
    first, second = printed(t("language.shapes_pytorch"))
    logits = torch.randn(3, 6, 32, generator=torch.Generator().manual_seed(0))
    targets = torch.tensor([[4, 8, 1, 9, 2, 0], [3, 3, 7, -100, -100, -100],
                            [5, 1, -100, -100, -100, -100]])  # fmt: skip
    right = float(ce_core.cross_entropy(logits.transpose(1, 2), targets))
    assert first == pytest.approx([right] * 3, abs=1e-4)
    all_positions = float(ce_core.cross_entropy(logits.transpose(1, 2), targets, reduction="sum"))
    assert second == pytest.approx([all_positions / 18], abs=1e-4)
    assert "11 positions, not B * T = 18" in t("language.shapes_pytorch")


def test_the_whole_model_code_prints_the_pages_two_losses(monkeypatch):
    monkeypatch.chdir(ROOT)
    ((train, held),) = printed(t("language.code"))
    run = lm.train(TEXT)  # the page's defaults: the MLP, context 3, 300 steps, lr 0.003, seed 0
    assert train == pytest.approx(float(run.cross_entropy[-1]), abs=1e-5)
    assert held == pytest.approx(float(run.held_out[-1]), abs=1e-5)


def test_the_mlp_starts_as_pytorch_builds_it_after_manual_seed():
    ours = lm.make_model("mlp", V, 3, seed=7)
    state = torch.random.get_rng_state()
    torch.manual_seed(7)
    nn = torch.nn
    theirs = nn.Sequential(nn.Embedding(V, 10), nn.Flatten(), nn.Linear(30, 64), nn.Tanh(),
                           nn.Linear(64, V))  # fmt: skip
    torch.random.set_rng_state(state)
    for a, b in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert torch.equal(a, b)
    # whatever state the global generator is in (sessions share it), the seed decides
    state = torch.random.get_rng_state()
    torch.manual_seed(123)
    again = lm.make_model("mlp", V, 3, seed=7)
    torch.random.set_rng_state(state)
    for a, b in zip(ours.parameters(), again.parameters(), strict=True):
        assert torch.equal(a, b)
