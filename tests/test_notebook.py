"""ui.notebook: the "Download as notebook" file. Valid nbformat v4 for a python3 kernel, every
markdown cell from the catalog, the book's steps in order, and, executed in a real kernel
(nbclient), the same numbers as ce_core for each preset and option."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterator

import nbformat
import pytest
from apptest_helpers import ROOT
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell
from streamlit.testing.v1 import AppTest

import ce_core
from i18n import catalog, t
from ui import notebook
from ui.batch import HOME
from ui.reproduce import options_code

# (preset, explain's options): every option of the PyTorch page, dtype and reduction
EXECUTED = {
    "the book": ("3-vs-7", {}),
    "weight, ignored rows, smoothing, sum": (
        "three-classes",
        {"target": [0, -100, 0, 2, -100, 0], "weight": [1.0, 2.0, 0.5], "label_smoothing": 0.1,
         "reduction": "sum"},
    ),
    "a real class ignored, float64, none": (
        "pet-batch",
        {"ignore_index": 5, "weight": [1.0 + c / 10 for c in range(37)], "reduction": "none",
         "dtype": "float64"},
    ),
    "probabilities, weight, smoothing": (
        "cat-vs-dog",
        {"target": [[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]], "weight": [1.0, 3.0],
         "label_smoothing": 0.2},
    ),
    "every row ignored, mean": ("cat-vs-dog", {"target": [-100, -100, -100]}),
}  # fmt: skip
# Per dtype: ce_core and PyTorch compute the same formulas in different orders
TOLERANCE = {"float32": {"rel": 1e-5, "abs": 1e-6}, "float64": {"rel": 1e-12, "abs": 1e-12}}


def explain(preset_key: str, options: dict) -> ce_core.Stages:
    preset, options = ce_core.PRESETS[preset_key], dict(options)
    target = options.pop("target", preset.targets)
    return ce_core.explain(preset.logits, target, device="cpu", class_names=preset.class_names,
                           **options)  # fmt: skip


def code_of(book: nbformat.NotebookNode) -> str:
    return "\n".join(cell.source for cell in book.cells if cell.cell_type == "code")


# ---------------------------------------------------------------------------- executed


@pytest.fixture(scope="module")
def run_notebook() -> Iterator[Callable[[nbformat.NotebookNode], dict[str, object]]]:
    """One kernel for the module: its start and torch's import cost seconds, a notebook then
    a fraction of one. Each notebook starts from ``%reset -f``, so none can lean on another's
    names. The spec is ipykernel's own (no kernel directories searched): it runs this very
    interpreter, whatever a "python3" installed elsewhere on the machine would run."""
    client = NotebookClient(nbformat.v4.new_notebook(), timeout=120, kernel_name="python3")
    client.km = client.create_kernel_manager()
    client.km.kernel_spec_manager = KernelSpecManager(kernel_dirs=[])

    def run(book: nbformat.NotebookNode) -> dict[str, object]:
        """Execute ``book`` (an error in a cell fails the test); its printed ``name: value``s."""
        book = nbformat.from_dict(book)  # a copy: the outputs go there
        book.cells.insert(0, new_code_cell("%reset -f"))
        client.nb = book
        client.reset_execution_trackers()
        for index, cell in enumerate(book.cells):
            client.execute_cell(cell, index)
        printed = "".join(out.get("text", "") for out in book.cells[-1].outputs)
        values = {}
        for line in printed.splitlines():
            name, value = line.split(": ", 1)
            # Python prints nan and inf bare; JSON spells them NaN and Infinity
            values[name] = json.loads(re.sub(r"\bnan\b", "NaN", value.replace("inf", "Infinity")))
        return values

    with client.setup_kernel():
        yield run


@pytest.mark.parametrize("case", EXECUTED)
def test_the_executed_notebook_prints_ce_cores_numbers(case, run_notebook):
    preset_key, options = EXECUTED[case]
    stages = explain(preset_key, options)
    printed = run_notebook(notebook.build_notebook(stages, preset_key))

    expected = notebook.PRINTED_INDEX
    if stages.target_kind == "probability":
        expected = notebook.PRINTED_PROBABILITY
    assert tuple(printed) == expected
    tolerance = TOLERANCE[stages.dtype]
    losses, loss = stages.losses.double().tolist(), stages.loss.double().tolist()
    for name, value in printed.items():  # every route, by hand or by PyTorch
        ours = losses if name.startswith("losses") else loss
        assert value == pytest.approx(ours, nan_ok=True, **tolerance), name


def test_the_book_notebook_gives_the_books_number(run_notebook):
    """seed 002: ``F.cross_entropy(acts, targ)`` prints 1.7790 (its acts are rounded)."""
    printed = run_notebook(notebook.build_notebook(explain("3-vs-7", {}), "3-vs-7"))
    assert printed["loss"] == pytest.approx(1.7790, abs=2e-4)


# ---------------------------------------------------------------------------- the file


@pytest.mark.parametrize("case", EXECUTED)
def test_the_file_is_a_valid_notebook_for_jupyter_and_colab(case):
    stages = explain(*EXECUTED[case])
    book = nbformat.reads(notebook.notebook_bytes(stages, "3-vs-7").decode(), as_version=4)
    nbformat.validate(book)
    assert book.nbformat == 4
    assert book.metadata.kernelspec.name == "python3"
    assert book.metadata.language_info.name == "python"
    imported = set(re.findall(r"^import (\S+)", code_of(book), flags=re.MULTILINE))
    assert {name.split(".")[0] for name in imported} == {"torch"}  # Colab has it


def _template_regex(text: str) -> str:
    """A catalog text as a regex: its literal parts escaped, each placeholder any text."""
    parts = [re.escape(literal) + (".+?" if name is not None else "")
             for literal, name, _, _ in string.Formatter().parse(text)]  # fmt: skip
    return "".join(parts)


@pytest.mark.parametrize("case", EXECUTED)
def test_every_markdown_cell_is_made_of_catalog_texts(case):
    texts = [text for key, text in catalog().items() if key.startswith("notebook.")]
    paragraph = "(?:" + "|".join(_template_regex(text) for text in texts) + ")"
    cells = [cell for cell in notebook.build_notebook(explain(*EXECUTED[case]), "home").cells
             if cell.cell_type == "markdown"]  # fmt: skip
    assert cells[0].source == t("notebook.title", batch=t("batch.home"))
    for cell in cells:
        assert re.fullmatch(f"{paragraph}(?:\n\n{paragraph})*", cell.source), cell.source


def test_the_steps_follow_the_book():
    book = notebook.build_notebook(explain("3-vs-7", {}), "3-vs-7")
    steps = ["acts = torch.tensor(", "sm_acts = torch.softmax(acts, dim=1)", "sm_acts[idx, targ]",
             "-torch.log(sm_acts[idx, targ])", "F.nll_loss(torch.log(sm_acts), targ",
             "torch.log_softmax(acts, dim=1)", "nn.CrossEntropyLoss(", "F.cross_entropy(",
             'print("loss:", loss.tolist())']  # fmt: skip
    code = code_of(book)
    places = [code.index(step) for step in steps]
    assert places == sorted(places)
    # a markdown cell before each code cell
    kinds = [cell.cell_type for cell in book.cells]
    assert kinds[:2] == ["markdown", "markdown"]
    assert all(kinds[i - 1] == "markdown" for i, kind in enumerate(kinds) if kind == "code")


def test_the_options_are_the_pages():
    options = {"weight": [1.0, 3.0], "ignore_index": 1, "label_smoothing": 0.25, "reduction": "sum"}
    stages = explain("3-vs-7", options)
    code = code_of(notebook.build_notebook(stages, "3-vs-7"))
    assert f"nn.CrossEntropyLoss({options_code(stages)})" in code
    assert "label_smoothing=0.25" in code and "reduction='sum'" in code
    assert "weight = torch.tensor([1, 3]" in code
    assert "keep = targ != 1" in code  # the rows of class 1 are ignored
    text = "\n".join(cell.source for cell in notebook.build_notebook(stages, "3-vs-7").cells)
    assert "safe_targ" not in code  # class 1 indexes a row: no stand-in needed
    for key in ("weight_index", "ignored", "reduce_sum", "nll_smoothing", "pick_ignored",
                "pick_ignored_class"):  # fmt: skip
        assert t(f"notebook.{key}", ignore_index=1) in text, key
    assert t("notebook.smoothing_index", eps="0.25", classes=2) in text


def test_probability_targets_have_no_nll_loss_route():
    stages = explain("cat-vs-dog", {"target": [[0.5, 0.5], [1.0, 0.0], [0.0, 1.0]]})
    book = notebook.build_notebook(stages, "cat-vs-dog")
    assert "nll_loss" not in code_of(book)
    assert t("notebook.nll_probability") in [cell.source for cell in book.cells]


def test_the_title_says_which_batch():
    stages = explain("3-vs-7", {})
    preset = ce_core.PRESETS["3-vs-7"]
    assert notebook.batch_title(stages, "3-vs-7") == preset.title.render()
    assert notebook.batch_title(stages, HOME) == t("batch.home")
    assert notebook.HOME == HOME
    assert notebook.batch_title(stages, preset) == preset.title.render()  # as the home page
    edited = explain("3-vs-7", {"target": [1, 1, 0, 1, 1, 0]})
    assert notebook.batch_title(edited, preset) == t("notebook.edited",
                                                     batch=preset.title.render())  # fmt: skip
    random = ce_core.random_preset(4, 3, seed=7)
    stages = ce_core.explain(random.logits, random.targets, device="cpu", dtype="float64")
    assert notebook.batch_title(stages, random) == random.title.render()


def test_the_same_page_gives_the_same_file():
    stages = explain("three-classes", {"weight": [1.0, 2.0, 3.0]})
    assert notebook.notebook_bytes(stages, "three-classes") == notebook.notebook_bytes(
        explain("three-classes", {"weight": [1.0, 2.0, 3.0]}), "three-classes"
    )


def test_the_file_name():
    assert notebook.file_name("3-vs-7") == "cross_entropy_3-vs-7.ipynb"
    assert notebook.file_name("home") == "cross_entropy_home.ipynb"
    assert notebook.file_name(ce_core.random_preset(4, 3)) == "cross_entropy_random.ipynb"
    assert notebook.file_name("a b/c") == "cross_entropy_a_b_c.ipynb"


def test_the_download_button_renders():
    def app() -> None:
        import ce_core
        from ui import notebook

        preset = ce_core.PRESETS["3-vs-7"]
        stages = ce_core.explain(preset.logits, preset.targets, device="cpu")
        notebook.download_button(stages, "3-vs-7", key="notebook")

    at = AppTest.from_function(app, default_timeout=60)
    at.run()
    assert not at.exception
    [button] = at.get("download_button")
    assert button.proto.label == t("notebook.button")
    assert button.proto.help == t("notebook.button_help")


@pytest.mark.parametrize(("page", "key"), [("app.py", "home_notebook"),
                                           ("pages/pytorch.py", "pt_notebook")])  # fmt: skip
def test_the_home_and_pytorch_pages_offer_the_notebook(page, key):
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.run()
    assert not at.exception
    labels = [button.proto.label for button in at.get("download_button")]
    assert t("notebook.button") in labels
