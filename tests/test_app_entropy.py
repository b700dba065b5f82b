"""The "Entropy & KL" page through AppTest: its numbers against PyTorch (torch.distributions,
F.kl_div, F.cross_entropy with probability targets), the unit switch, edits and bad cells,
and its two explorations (the charts' own sliders) frame by frame."""

from __future__ import annotations

import json
import math
import re

import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import ROOT, run_script
from streamlit.testing.v1 import AppTest
from test_explorations_log_gradients import (
    NUMBER,
    ROUNDING,
    assert_small_and_valid,
    frames_by_value,
    readout_numbers,
)
from torch.distributions import Categorical

import ce_core

PAGE = ROOT / "pages" / "entropy.py"
FIVE = ce_core.PRESETS["five-classes"]
LN2 = math.log(2)


def q_five() -> torch.Tensor:
    return torch.softmax(torch.tensor(FIVE.logits[0], dtype=torch.float64), 0)


def fish_loss() -> float:
    """The five activations' loss for the target fish: F.cross_entropy's own number."""
    return float(F.cross_entropy(torch.tensor(FIVE.logits, dtype=torch.float64),
                                 torch.tensor(FIVE.targets)))  # fmt: skip


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning]
    parts += [c.value for c in at.caption] + [s.value for s in at.success]
    return " ".join(parts + [e.value for e in at.error])


def edit(at: AppTest, key: str, rows: dict) -> AppTest:
    """Edit the cells ``rows`` ({row: {column: value}}) of the editor ``key``, and rerun."""
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


@pytest.fixture
def at() -> AppTest:
    return run_script(PAGE)


def test_a_one_hot_truth_gives_the_loss_of_the_other_pages(at):
    loss = fish_loss()
    assert metrics(at)["KL(p ‖ q)"] == f"{loss:.4f}" == "0.4263"
    assert metrics(at)["KL(q ‖ p)"] == "inf"  # q gives the other classes what p rules out
    (success,) = at.success
    assert f"−log {float(q_five()[3]):.4f} = **{loss:.4f} nats**" in success.value
    assert f"**H(p) = 0.0000**, **H(p, q) = {loss:.4f}**" in all_text(at)
    assert "KL(q ‖ p) is infinite: q gives cat, dog, plane, building" in all_text(at)


def test_the_unit_switch_relabels_every_number(at):
    at.radio(key="en_unit").set_value("bits").run()
    assert not at.exception
    assert metrics(at)["KL(p ‖ q)"] == f"{fish_loss() / LN2:.4f}"
    text = all_text(at)
    assert "bits" in text and f"{fish_loss() / LN2:.4f} bits" in text
    assert "In bits: the book's p = 0.99 and 0.999 carry 0.01450 and 0.001443" in text


def test_colahs_example_in_bits(at):
    at.radio(key="en_unit").set_value("bits")
    at.selectbox(key="en_pair").set_value("colah").run()
    p = torch.tensor([0.5, 0.25, 0.125, 0.125])
    q = torch.tensor([0.125, 0.5, 0.25, 0.125])
    entropy_bits = float(Categorical(probs=p).entropy()) / LN2
    cross_bits = float(F.cross_entropy(q.log()[None], p[None])) / LN2
    kl_pq = float(F.kl_div(q.log(), p, reduction="sum")) / LN2
    kl_qp = float(F.kl_div(p.log(), q, reduction="sum")) / LN2
    assert (entropy_bits, cross_bits, kl_pq, kl_qp) == pytest.approx((1.75, 2.375, 0.625, 0.5))
    assert metrics(at) == {"KL(p ‖ q)": "0.6250", "KL(q ‖ p)": "0.5000"}
    text = all_text(at)
    assert "**H(p) = 1.7500**, **H(p, q) = 2.3750** and **KL(p ‖ q) = 0.6250** bits" in text
    assert "with q's code: **2.3750** bits per event; with the best code for p: **1.7500**" in text
    assert not at.success  # p is not one-hot


def test_weights_are_divided_by_their_sum_and_the_code_reproduces_the_numbers(at):
    # the one-hot pair with p's fish weight 2 and plane's 2: p = (0, 0, 0.5, 0.5, 0)
    edit(at, "en_pair_one_hot", {2: {"p": 2.0}, 3: {"p": 2.0}})
    assert not at.exception and not at.error
    p = torch.tensor([0.0, 0.0, 0.5, 0.5, 0.0], dtype=torch.float64)
    kl = float(F.kl_div(q_five().log(), p, reduction="sum"))
    assert metrics(at)["KL(p ‖ q)"] == f"{kl:.4f}"
    assert "As typed, p adds up to 4 and q to 1" in all_text(at)
    table = next(d.value for d in at.dataframe if "−p log q" in d.value.columns)
    assert table["p"].tolist() == [0.0, 0.0, 0.5, 0.5, 0.0]
    assert table["−p log q"].sum() == pytest.approx(float(F.cross_entropy(q_five().log()[None],
                                                                          p[None])))  # fmt: skip
    code = next(c.value for c in at.code if "F.kl_div" in c.value)
    names: dict[str, object] = {}
    exec(compile(code, "<shown code>", "exec"), names)  # the page's own code
    shown_kl = F.kl_div(names["q"].log(), names["p"], reduction="sum")
    assert float(shown_kl) == pytest.approx(kl, abs=1e-5)


def test_a_truth_the_model_rules_out_is_infinitely_surprising(at):
    edit(at, "en_pair_one_hot", {3: {"q": 0.0}})  # the model gives fish, the target, nothing
    assert not at.exception
    assert metrics(at)["KL(p ‖ q)"] == "inf"
    assert "The truth gives fish a positive probability but the model gives it 0" in all_text(at)
    assert (
        float(F.cross_entropy(torch.tensor([[0.0, float("-inf")]]), torch.tensor([1]))) == math.inf
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({1: {"q": None}}, "q (the model): class 'dog' is empty or not a number (NaN)"),
        (
            {4: {"p": -1.0}},
            "p (the truth): class 'building' is -1; probabilities cannot be negative",
        ),
        ({3: {"p": 0.0}}, "p (the truth): every weight is 0"),
    ],
)
def test_a_bad_cell_is_named_and_the_other_edits_stay(at, rows, message):
    edit(at, "en_pair_one_hot", {0: {"q": 3.0}} | rows)
    assert not at.exception
    (error,) = at.error
    assert message in error.value.replace("\\", "")  # as read: without markdown's escapes
    assert not at.metric  # nothing computed from the bad pair
    edited = at.session_state["en_pair_one_hot"]["edited_rows"]
    assert edited[0] == {"q": 3.0} or edited["0"] == {"q": 3.0}  # the other edit is kept
    # the rest of the page goes on
    assert any("Label smoothing" in h.value for h in at.subheader)


def test_the_other_pages_numbers(at):
    text = all_text(at)
    row = torch.tensor([0.95, 0.05])
    floor = float(Categorical(probs=row).entropy())
    best = float(F.cross_entropy(row.log()[None], torch.tensor([0]), label_smoothing=0.1))
    assert f"{floor:.4f}" == f"{best:.4f}" == "0.1985"
    assert "the floor is **0.1985 nats**" in text and "gives 0.1985: exactly the floor" in text
    uniform = next(d.value for d in at.dataframe if "C" in d.value.columns)
    for count, entropy, loss in uniform.itertuples(index=False):
        assert entropy == pytest.approx(math.log(count))
        assert loss == pytest.approx(float(F.cross_entropy(torch.zeros(1, count),
                                                           torch.tensor([0]))))  # fmt: skip
    code = next(c.value for c in at.code if "Categorical(probs=torch.full" in c.value)
    printed = []
    exec(compile(code, "<shown code>", "exec"), {"print": lambda *a: printed.append(a)})
    assert [row[0] for row in printed] == list(uniform["C"])
    for _, entropy, guess, log_c in printed:
        assert entropy == pytest.approx(log_c, rel=1e-5) and guess == pytest.approx(log_c, rel=1e-5)
    acts = torch.tensor(FIVE.logits[0], dtype=torch.float64)
    at_one = float(Categorical(logits=acts).entropy())
    assert f"At T = 1, the plain softmax, it is {at_one:.4f} nats" in text
    assert f"log 5 = {math.log(5):.4f} nats" in text


# ---------------------------------------------------------------------------- explorations

SURPRISAL_READOUT = rf"p = {NUMBER}:  {NUMBER} nats · {NUMBER} bits · {NUMBER} log₁₀"
SMOOTHING_READOUT = rf"eps = {NUMBER}:  {NUMBER} · {NUMBER} · {NUMBER} nats"


def explorations(at: AppTest) -> dict[str, dict]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {
        spec["layout"]["meta"]["title"]: spec for spec in specs if spec["layout"].get("sliders")
    }


@pytest.fixture(scope="module")
def charts() -> dict[str, dict]:
    found = explorations(run_script(PAGE))
    assert set(found) == {"Surprisal −log p in nats, bits and base 10",
                          "Lowest loss with label smoothing eps"}  # fmt: skip
    return found


def test_the_explorations_are_small_and_valid(charts):
    for spec in charts.values():
        assert_small_and_valid(spec)


def test_every_surprisal_frame_is_minus_log_p_in_three_bases(charts):
    spec = charts["Surprisal −log p in nats, bits and base 10"]
    positions = frames_by_value(spec)
    assert positions[spec["layout"]["sliders"][0]["active"]][0] == 0.5
    assert {0.01, 0.5, 0.99, 0.999} <= {p for p, _, _ in positions}
    for p, frame, readout in positions:
        nats = -math.log(p)
        expected = (nats, -math.log2(p), -math.log10(p))
        (update,) = frame["data"]
        assert frame["traces"] == [3] and update["x"] == [p] * 3
        assert update["y"] == pytest.approx(expected, abs=ROUNDING)
        shown = readout_numbers(SURPRISAL_READOUT, readout)
        assert shown[0] == p and shown[1:] == pytest.approx(expected, abs=ROUNDING)


def test_every_smoothing_frame_is_the_smoothed_targets_entropy(charts):
    spec = charts["Lowest loss with label smoothing eps"]
    names = [trace["name"] for trace in spec["data"][:3]]
    assert names == ["C = 2", "C = 10", "C = 37"]
    for eps, frame, readout in frames_by_value(spec):
        floors = []
        for count in (2, 10, 37):
            target = (1 - eps) * F.one_hot(torch.tensor(0), count).double() + eps / count
            floors.append(float(Categorical(probs=target).entropy()))
            best = F.cross_entropy(target.log()[None], torch.tensor([0]), label_smoothing=eps)
            assert float(best) == pytest.approx(floors[-1], abs=1e-9)
        (update,) = frame["data"]
        assert update["x"] == [eps] * 3
        assert update["y"] == pytest.approx(floors, abs=ROUNDING)
        shown = readout_numbers(SMOOTHING_READOUT, readout)
        assert shown[0] == eps and shown[1:] == pytest.approx(floors, abs=ROUNDING)


def test_the_surprisal_marks_are_the_books_and_the_spreadsheets(charts):
    marks = charts["Surprisal −log p in nats, bits and base 10"]["data"][4]
    assert marks["x"][:2] == [0.99, 0.999]
    assert marks["y"][:2] == pytest.approx([-math.log(0.99), -math.log(0.999)])
    sheet = ce_core.concepts.one_hot_vs_lookup(ce_core.PRESETS["cat-vs-dog"].logits,
                                               ce_core.PRESETS["cat-vs-dog"].targets)  # fmt: skip
    assert marks["y"][2:] == pytest.approx(sheet.by_lookup_log10.tolist())
    assert marks["x"][2:] == pytest.approx([0.5, 0.98, 0.1])
    assert re.search(r"sheet row 0: −LOG = 0\.3010", marks["text"][2])


# ---------------------------------------------------------------------------- binary


def label_table(at: AppTest):
    return next(d.value for d in at.dataframe if "sigmoid(x)" in d.value.columns)


def test_one_binary_cross_entropy_per_label_is_pytorchs(at):
    table = label_table(at)
    x = torch.tensor(table["x"].to_numpy())
    y = torch.tensor(table["y"].to_numpy())
    expected = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    assert table["loss (nats)"].to_numpy() == pytest.approx(expected.numpy())
    assert table["sigmoid(x)"].to_numpy() == pytest.approx(torch.sigmoid(x).numpy())
    assert table["softmax(x)"].sum() == pytest.approx(1.0)
    mean = float(F.binary_cross_entropy_with_logits(x, y))
    assert f"The mean of the loss column, **{mean:.4f} nats**" in all_text(at)
    assert "says yes (sigmoid above 0.5) to cat, fish, building" in all_text(at)
    code = next(c.value for c in at.code if "binary_cross_entropy_with_logits(x, y)" in c.value)
    names: dict[str, object] = {}
    exec(compile(code, "<shown code>", "exec"), names)  # the page's own code
    assert float(F.binary_cross_entropy_with_logits(names["x"], names["y"])) == pytest.approx(
        mean, abs=1e-5
    )


def test_every_label_can_say_no(at):
    edit(at, "en_labels", {k: {"x": -1.0} for k in range(5)})
    assert "says yes (sigmoid above 0.5) to none of the labels" in all_text(at)
    assert label_table(at)["softmax(x)"].tolist() == pytest.approx([0.2] * 5)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({1: {"y": 1.5}}, "binary targets: class 'dog' is 1.5; it must be between 0 and 1"),
        ({2: {"x": None}}, "activations: class 'plane' is empty or not a number (NaN)"),
    ],
)
def test_a_bad_label_cell_is_named(at, rows, message):
    edit(at, "en_labels", rows)
    assert not at.exception
    (error,) = at.error
    assert message in error.value.replace("\\", "")
    assert any("stable form" in h.value for h in at.subheader)  # the section goes on


def test_the_saturating_route_stops_at_pytorchs_clamp(at):
    table = next(tb.value for tb in at.table if "BCE with logits (nats)" in tb.value.columns)
    x = torch.tensor([float(v) for v in table.index])
    y = torch.tensor([float(v) for v in table["y"]])
    naive = F.binary_cross_entropy(torch.sigmoid(x), y, reduction="none")
    stable = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    assert table["BCE(sigmoid(x)) (nats)"].tolist() == [f"{v:.4f}" for v in naive.tolist()]
    assert table["BCE with logits (nats)"].tolist() == [f"{v:.4f}" for v in stable.tolist()]
    assert naive.max() == 100.0 and stable.max() == 200.0


def test_pos_weight_moves_the_best_constant_from_the_base_rate_to_one_half(at):
    assert "at the base rate, q = 0.250" in all_text(at)
    assert "the best constant moves to q = 0.500" in all_text(at)
    y = torch.cat([torch.ones(100), torch.zeros(300)])
    weight = torch.tensor([3.0])

    def loss(q: float, **options) -> float:
        return float(
            F.binary_cross_entropy_with_logits(torch.full((400,), q).logit(), y, **options)
        )

    assert loss(0.25) < min(loss(0.2), loss(0.3), loss(0.5))
    assert loss(0.5, pos_weight=weight) < min(
        loss(q, pos_weight=weight) for q in (0.25, 0.45, 0.55)
    )


def test_the_pos_weight_code_prints_the_two_minima(at):
    code = next(c.value for c in at.code if "pos_weight=pos_weight" in c.value)
    printed = []
    exec(compile(code, "<shown code>", "exec"), {"print": lambda *a: printed.append(a)})
    (q1, plain1, weighted1), (q2, plain2, weighted2) = printed
    assert (q1, q2) == (0.25, 0.5)
    assert plain1 < plain2 and weighted2 < weighted1  # each loss prefers its own constant
