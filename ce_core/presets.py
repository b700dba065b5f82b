"""The seeds' examples as data: the batches the book and the notes compute on.

Each preset holds activations (logits), one target per row, class names and a one-line
note saying where it comes from. Where a note printed probabilities rather than
activations, the logits are their natural logs: softmax(log p) == p when p sums to 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from ce_core.coerce import default_class_names
from i18n import Message, catalog, t


@dataclass(frozen=True)
class Preset:
    """A named batch: ``logits`` (N, C) as nested tuples, ``targets`` (N,) class indices."""

    key: str  # short, URL-safe
    logits: tuple[tuple[float, ...], ...]
    targets: tuple[int, ...]
    names: tuple[str, ...]  # the classes' names as stored (English); see class_names
    params: tuple[tuple[str, object], ...] = ()  # the placeholders of its title and source

    @property
    def class_names(self) -> tuple[str, ...]:
        """The classes' names in the current language: a preset's words ("cat") from the
        catalog's ``[class_name]`` section; digits, breeds and a learner's own names as
        they are."""
        if self.key == "pasted":
            return self.names
        return tuple(_class_label(name) for name in self.names)

    @property
    def title(self) -> Message:
        """Its name: the catalog's ``preset.title_<key>``."""
        return Message(f"preset.title_{self.key}", dict(self.params))

    @property
    def source(self) -> Message:
        """Where it comes from: the catalog's ``preset.source_<key>``."""
        return Message(f"preset.source_{self.key}", dict(self.params))

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.logits), len(self.names)

    def tensors(self, dtype: torch.dtype = torch.float32) -> tuple[torch.Tensor, torch.Tensor]:
        """(acts (N, C), targ (N,)) as tensors, the names the book uses."""
        return torch.tensor(self.logits, dtype=dtype), torch.tensor(self.targets)


def _class_label(name: str) -> str:
    """A preset's class name in the current language, if the catalog has it."""
    word = name.replace(" ", "_")
    return t(f"class_name.{word}") if f"class_name.{word}" in catalog() else name


def _logs(probabilities: list[float]) -> tuple[float, ...]:
    return tuple(math.log(p) for p in probabilities)


# Oxford-IIIT Pet breeds in fastai's vocab order (sorted: the capitalised cat breeds first).
PET_BREEDS = (
    "Abyssinian", "Bengal", "Birman", "Bombay", "British_Shorthair", "Egyptian_Mau",
    "Maine_Coon", "Persian", "Ragdoll", "Russian_Blue", "Siamese", "Sphynx",
    "american_bulldog", "american_pit_bull_terrier", "basset_hound", "beagle", "boxer",
    "chihuahua", "english_cocker_spaniel", "english_setter", "german_shorthaired",
    "great_pyrenees", "havanese", "japanese_chin", "keeshond", "leonberger",
    "miniature_pinscher", "newfoundland", "pomeranian", "pug", "saint_bernard", "samoyed",
    "scottish_terrier", "shiba_inu", "staffordshire_bull_terrier", "wheaten_terrier",
    "yorkshire_terrier",
)  # fmt: skip

# seed 000: `preds[0]`, the model's probabilities for the first image of the batch.
PET_PREDICTION = [
    2.7509e-08, 4.1222e-08, 3.7762e-06, 4.6692e-07, 6.6490e-06, 1.6953e-08, 2.9940e-05,
    9.9975e-01, 1.9381e-04, 2.9978e-09, 1.0564e-08, 1.0974e-07, 3.9340e-07, 1.0617e-08,
    7.8258e-09, 4.8307e-08, 2.9032e-07, 8.0013e-09, 2.2539e-08, 5.3139e-07, 1.7915e-08,
    1.0556e-07, 3.6633e-06, 5.3050e-06, 1.2096e-07, 6.5162e-08, 4.3347e-09, 9.6756e-08,
    5.2215e-06, 2.0169e-07, 1.5412e-07, 8.8911e-07, 2.2806e-07, 1.2523e-07, 6.1131e-09,
    6.0672e-08, 3.3345e-07,
]  # fmt: skip

# seed 000: `y`, the 64 targets of `dls.one_batch()`.
PET_BATCH_TARGETS = (
    7, 1, 0, 14, 19, 9, 2, 35, 12, 0, 26, 34, 18, 21, 5, 8, 0, 35, 8, 8, 28, 35, 17, 34, 21,
    3, 17, 19, 18, 22, 9, 12, 34, 10, 35, 25, 13, 18, 32, 36, 20, 26, 5, 18, 31, 6, 7, 9,
    3, 1, 0, 30, 2, 4, 12, 24, 30, 1, 30, 20, 30, 21, 3, 12,
)  # fmt: skip

RANDOM_BATCH_SEED = 42


def random_batch(
    n_rows: int, n_classes: int, seed: int = RANDOM_BATCH_SEED, scale: float = 2.0
) -> torch.Tensor:
    """(n_rows, n_classes) activations like the book's ``torch.randn((6, 2)) * 2``, seeded.

    Uses its own generator, so it neither reads nor disturbs torch's global random state.
    """
    return scaled_randn(torch.Generator().manual_seed(seed), n_rows, n_classes, scale)


def scaled_randn(
    generator: torch.Generator, n_rows: int, n_classes: int, scale: float
) -> torch.Tensor:
    """(n_rows, n_classes) ``torch.randn(..., generator=generator, dtype=float64) * scale``:
    the book's random activations, drawn from a generator the caller keeps drawing from."""
    return torch.randn((n_rows, n_classes), generator=generator, dtype=torch.float64) * scale


def random_preset(n_rows: int, n_classes: int, seed: int = RANDOM_BATCH_SEED) -> Preset:
    """A seeded random batch as a Preset: activations ``randn * 2``, targets from the same
    generator, classes named by their index. The same arguments always give the same batch.
    """
    generator = torch.Generator().manual_seed(seed)
    logits = scaled_randn(generator, n_rows, n_classes, scale=2.0)
    targets = torch.randint(0, n_classes, (n_rows,), generator=generator)  # same generator
    return Preset(
        key="random",
        logits=_rounded(logits),
        targets=tuple(int(t) for t in targets),
        names=default_class_names(n_classes),
        params=(("rows", n_rows), ("classes", n_classes), ("seed", seed)),
    )


def _rounded(matrix: torch.Tensor) -> tuple[tuple[float, ...], ...]:
    # 4 decimals, as the notebooks print them, so the editor shows what the preset holds.
    return tuple(tuple(round(float(v), 4) for v in row) for row in matrix)


def _random_pet_batch() -> Preset:
    n_rows = len(PET_BATCH_TARGETS)
    return Preset(
        key="pet-batch",
        logits=_rounded(random_batch(n_rows, len(PET_BREEDS))),
        targets=PET_BATCH_TARGETS,
        names=PET_BREEDS,
        params=(("seed", RANDOM_BATCH_SEED),),
    )


PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            key="3-vs-7",
            logits=(
                (-0.9916, -2.2545),
                (0.1560, -1.9368),
                (-0.6164, 1.1047),
                (-2.0798, -2.1778),
                (1.6429, -3.7728),
                (-1.2445, -2.9512),
            ),
            targets=(0, 1, 0, 1, 1, 0),
            names=("3", "7"),
        ),
        Preset(
            key="three-classes",
            logits=(
                (3.8538, 2.9746, -0.9948),
                (0.8792, -1.5163, 2.1566),
                (1.6016, 3.3612, 0.7117),
                (-1.3732, 1.2209, 2.6695),
                (-0.4632, 0.0835, -0.5032),
                (1.7197, -0.6195, -0.7914),
            ),
            targets=(0, 1, 0, 2, 2, 0),
            names=("class 0", "class 1", "class 2"),
        ),
        Preset(
            key="cat-vs-dog",
            logits=(_logs([0.5, 0.5]), _logs([0.98, 0.02]), _logs([0.9, 0.1])),
            targets=(0, 0, 1),
            names=("cat", "dog"),
        ),
        Preset(
            key="five-classes",
            logits=((0.02, -2.49, -1.75, 2.07, 1.077),),
            targets=(3,),
            names=("cat", "dog", "plane", "fish", "building"),
        ),
        Preset(
            key="pet-breed",
            logits=(_logs(PET_PREDICTION),),
            targets=(7,),
            names=PET_BREEDS,
        ),
        _random_pet_batch(),
    )
}
