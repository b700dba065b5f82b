"""Character language models trained with cross-entropy: the counting (bigram) model and a
small neural one, scoring a sentence character by character, sampling, and a padded batch.

A language model's loss is the book's loss on one row per position: the logits of the next
character (V,) against the character that came. ``-log p(next | context)`` averaged over the
positions is ``F.cross_entropy``; ``exp`` of it is the perplexity. The text is
``data/pets.txt`` (written for this project), tokenised by characters; a line break ends a
sentence and stands for "the start" before the first character, so every character has a
context. Deterministic for a seed, never the global RNG; no UI.

Shapes: V symbols in the vocabulary, L characters of text, n context characters, T
positions of a sentence, B sentences in a batch.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

from ce_core import functional
from ce_core.errors import InputError
from ce_core.information import entropy, smoothed_target
from ce_core.options import check_choice

CORPUS_PATH = Path(__file__).parent / "data" / "pets.txt"
BOUNDARY = "\n"  # ends a sentence; before the first character it stands for "the start"
MAX_SENTENCE = 1000  # characters a learner's sentence may have
MAX_SAMPLE = 2000
MAX_CONTEXT = 8
MAX_STEPS = 2000
TOP_K = 5
HELD_OUT_EVERY = 10  # every 10th line of the text is kept out of training

ModelKind = Literal["bigram", "mlp"]
MODELS: tuple[ModelKind, ...] = ("bigram", "mlp")
EMBEDDING = 10  # numbers per character in the MLP's embedding
HIDDEN = 64


@dataclass(frozen=True)
class Vocabulary:
    """The symbols of the text, sorted; a symbol's index is its token id."""

    symbols: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.symbols)

    @property
    def boundary(self) -> int:
        return self.symbols.index(BOUNDARY)

    def encode(self, text: str, argument: str = "text") -> torch.Tensor:
        """``text`` as token ids (L,) int64; InputError names every symbol it does not know."""
        index = {s: i for i, s in enumerate(self.symbols)}
        unknown = sorted({c for c in text if c not in index})
        if unknown:
            raise InputError("unknown_characters", argument=argument,
                             characters=" ".join(repr(c) for c in unknown),
                             known="".join(s for s in self.symbols if s not in " \n"))  # fmt: skip
        return torch.tensor([index[c] for c in text], dtype=torch.int64)

    def decode(self, ids: torch.Tensor) -> str:
        """Token ids (L,) back to their text."""
        return "".join(self.symbols[i] for i in ids.tolist())


@cache
def corpus() -> str:
    """The bundled text: one sentence a line, lower case, 32 symbols."""
    return CORPUS_PATH.read_text(encoding="utf-8")


def vocabulary_of(text: str) -> Vocabulary:
    """The symbols of ``text`` and the boundary, sorted."""
    return Vocabulary(tuple(sorted(set(text) | {BOUNDARY})))


@dataclass(frozen=True)
class Text:
    """The corpus by lines: every 10th line held out, the rest to train on. Each line is a
    sentence: read from the start (↵) to its end (↵)."""

    vocabulary: Vocabulary
    train_lines: tuple[str, ...]
    held_out_lines: tuple[str, ...]

    def examples(self, context: int, part: str = "train") -> tuple[torch.Tensor, torch.Tensor]:
        """Every next-character prediction of the training (or ``"held_out"``) lines: the
        ``context`` characters before each (m, n) and the one that came (m,)."""
        lines = self.train_lines if part == "train" else self.held_out_lines
        return examples(lines, self.vocabulary, context)


def load_text(text: str | None = None) -> Text:
    """The bundled text (or ``text``), its vocabulary, and its lines split into training and
    held-out (every 10th)."""
    text = corpus() if text is None else text
    vocabulary = vocabulary_of(text)
    lines = [line for line in text.split(BOUNDARY) if line]
    held = [i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1 for i in range(len(lines))]
    return Text(
        vocabulary,
        tuple(line for line, h in zip(lines, held, strict=True) if not h),
        tuple(line for line, h in zip(lines, held, strict=True) if h),
    )


def contexts_of(ids: torch.Tensor, context: int, boundary: int) -> torch.Tensor:
    """For each of ``ids`` (T,), the ``context`` symbols before it in its sentence (T, n).

    A sentence starts at the beginning and after each boundary; before its first character
    stand n boundaries (makemore's dots), so every sentence is read from the same start.
    """
    t = torch.arange(len(ids))
    marks = torch.where(ids == boundary, t, -1)
    # the position of the last boundary before each position (-1: none)
    last = torch.cat([torch.tensor([-1]), marks.cummax(0).values[:-1]])
    source = t[:, None] - torch.arange(context, 0, -1)  # (T, n): n, ..., 1 positions back
    return torch.where(source > last[:, None], ids[source.clamp(min=0)], boundary)


def examples(
    lines: tuple[str, ...], vocabulary: Vocabulary, context: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Every next-character prediction of ``lines``, each line a sentence read from the
    start to its end: the ``context`` characters before each (m, n) and the character that
    came (m,), each line's end (the boundary) included: m = the lines' characters + one per
    line."""
    ids = vocabulary.encode(BOUNDARY.join(lines) + BOUNDARY)
    return contexts_of(ids, context, vocabulary.boundary), ids


# ---------------------------------------------------------------------------- counting


@dataclass(frozen=True)
class Counts:
    """The bigram model by counting: how often each symbol follows each other."""

    counts: torch.Tensor  # (V, V) int64: counts[a, b], how often b came right after a
    smoothing: float  # added to every count (no zero probability: no infinite loss)
    probs: torch.Tensor  # (V, V) float64: p(b | a), each row summing to 1
    loss: float  # the mean -log p(next | previous) over the training text, nats
    held_out_loss: float


def count_bigrams(text: Text, smoothing: float = 1.0) -> Counts:
    """Counts and probabilities; the loss is ``cross_entropy`` of ``log counts`` as logits
    (a count table is a logit table: softmax(log c) = c / c.sum()). With ``smoothing`` 0 a
    pair never seen has probability 0, and a held-out text that has one a loss of inf; a
    symbol never followed by anything gets a uniform row."""
    if not (isinstance(smoothing, (int, float)) and 0 <= smoothing <= 100):
        raise InputError("out_of_range", argument="smoothing", name="smoothing", low=0, high=100,
                         value=smoothing)  # fmt: skip
    v = text.vocabulary.size
    before, following = text.examples(1)
    previous = before[:, 0]
    counts = torch.zeros(v * v, dtype=torch.int64)
    counts.index_add_(0, previous * v + following, torch.ones_like(previous))
    counts = counts.reshape(v, v)
    logits = (counts + smoothing).double().log()  # (V, V), -inf where a count is 0
    logits[counts.sum(1) + smoothing == 0] = 0.0
    probs = functional.softmax(logits, dim=1)
    held_before, held_following = text.examples(1, "held_out")
    held_previous = held_before[:, 0]
    return Counts(
        counts, float(smoothing), probs,
        float(functional.cross_entropy(logits[previous], following)),
        float(functional.cross_entropy(logits[held_previous], held_following)),
    )  # fmt: skip


def unigram_entropy(text: Text) -> float:
    """H of the symbols' frequencies in the training text (nats): the loss of the best model
    that ignores the context."""
    counts = torch.bincount(text.examples(1)[1], minlength=text.vocabulary.size).double()
    return float(entropy(counts / counts.sum()))


def smoothing_floor(label_smoothing: float, n_classes: int) -> float:
    """The least loss with ``label_smoothing``: the smoothed target's own entropy (nats),
    reached only by predicting exactly that target."""
    return float(entropy(smoothed_target(0, n_classes, label_smoothing)))


# ---------------------------------------------------------------------------- neural


class CharModel(nn.Module):
    """Logits of the next character (.., V) from the ``context`` characters before it (.., n).

    - bigram (context 1): a table of logits, one row per previous character (Karpathy's
      neural bigram: the counting model, learnt by gradient descent);
    - mlp: each context character's embedding (EMBEDDING,), concatenated, a tanh layer of
      HIDDEN units, then the logits (Bengio et al. 2003).
    """

    def __init__(self, kind: ModelKind, vocabulary_size: int, context: int) -> None:
        super().__init__()
        self.kind, self.context = kind, context
        if kind == "bigram":
            self.table = nn.Embedding(vocabulary_size, vocabulary_size)
        else:
            self.embedding = nn.Embedding(vocabulary_size, EMBEDDING)
            self.hidden = nn.Linear(context * EMBEDDING, HIDDEN)
            self.out = nn.Linear(HIDDEN, vocabulary_size)

    def forward(self, contexts: torch.Tensor) -> torch.Tensor:
        if self.kind == "bigram":
            return self.table(contexts[..., -1])
        embedded = self.embedding(contexts).flatten(-2)  # (.., n * EMBEDDING)
        return self.out(torch.tanh(self.hidden(embedded)))


def make_model(kind: ModelKind, vocabulary_size: int, context: int, seed: int) -> CharModel:
    """A model initialised from ``seed``: the bigram's table at zero (every next character
    equally likely: a loss of exactly ln V); the MLP as PyTorch initialises its layers, the
    same numbers as ``torch.manual_seed(seed)`` and then constructing them (the page's code
    block), but drawn from a generator of its own (the global RNG is shared by sessions)."""
    check_choice("model", kind, MODELS, argument="kind")
    if not (isinstance(context, int) and 1 <= context <= MAX_CONTEXT):
        raise InputError("out_of_range", argument="context", name="context", low=1,
                         high=MAX_CONTEXT, value=context)  # fmt: skip
    generator = torch.Generator().manual_seed(int(seed))
    # The layers' own initialisation draws from the global RNG; it is drawn again below,
    # from the seed's generator. (Building on the meta device instead would skip it, but
    # its first use in a process takes longer than the page's whole training.)
    net = CharModel(kind, vocabulary_size, 1 if kind == "bigram" else context)
    with torch.no_grad():
        for module in net.modules():  # in construction order: the embedding, then the layers
            if isinstance(module, nn.Embedding) and kind == "bigram":
                module.weight.zero_()
            elif isinstance(module, nn.Embedding):
                nn.init.normal_(module.weight, generator=generator)
            elif isinstance(module, nn.Linear):
                nn.init.kaiming_uniform_(module.weight, a=math.sqrt(5), generator=generator)
                bound = 1 / math.sqrt(module.in_features)
                nn.init.uniform_(module.bias, -bound, bound, generator=generator)
    return net


@dataclass(frozen=True)
class LanguageRun:
    """A trained model and its curves. Index s of a curve is after s steps (0: untrained)."""

    model: CharModel
    vocabulary: Vocabulary
    objective: torch.Tensor  # (S+1,) what was minimised: cross-entropy with label_smoothing
    cross_entropy: torch.Tensor  # (S+1,) plain cross-entropy on the training text, nats
    held_out: torch.Tensor  # (S+1,) cross-entropy on the held-out lines
    label_smoothing: float
    seconds: float

    @property
    def context(self) -> int:
        return self.model.context


def train(
    text: Text,
    *,
    kind: ModelKind = "mlp",
    context: int = 3,
    steps: int = 300,
    lr: float = 0.003,
    label_smoothing: float = 0.0,
    seed: int = 0,
    on_step: Callable[[int, float], None] | None = None,
) -> LanguageRun:
    """Full-batch Adam (``adam_step``) on every next-character prediction of the training
    text.

    ``on_step(step, loss)`` is called every 10 steps and after the last (a progress bar).
    """
    if not (isinstance(steps, int) and 1 <= steps <= MAX_STEPS):
        raise InputError("out_of_range", argument="steps", name="steps", low=1, high=MAX_STEPS,
                         value=steps)  # fmt: skip
    if not (isinstance(lr, (int, float)) and 1e-5 <= lr <= 10):
        raise InputError("out_of_range", argument="lr", name="lr", low=1e-5, high=10, value=lr)
    if not (isinstance(label_smoothing, (int, float)) and 0 <= label_smoothing <= 1):
        raise InputError("out_of_range", argument="label_smoothing", name="label_smoothing",
                         low=0, high=1, value=label_smoothing)  # fmt: skip
    started = time.perf_counter()
    net = make_model(kind, text.vocabulary.size, context, seed)
    x, y = text.examples(net.context)
    held_x, held_y = text.examples(net.context, "held_out")
    parameters = list(net.parameters())
    moments = [(torch.zeros_like(p), torch.zeros_like(p)) for p in parameters]
    history = torch.empty(3, steps + 1)  # objective, cross-entropy, held-out
    for step in range(steps + 1):
        logits = net(x)  # (m, V)
        # F.cross_entropy for the gradient (the tests check it against ce_core's on these
        # logits); the curves are recorded before each step, and once after the last
        objective = F.cross_entropy(logits, y, label_smoothing=label_smoothing)
        with torch.no_grad():
            history[0, step] = objective
            history[1, step] = F.cross_entropy(logits, y) if label_smoothing else objective
            history[2, step] = F.cross_entropy(net(held_x), held_y)
        if step == steps:
            break
        grads = torch.autograd.grad(objective, parameters)
        adam_step(parameters, grads, moments, lr, step + 1)
        if on_step is not None and (step % 10 == 9 or step == steps - 1):
            on_step(step + 1, float(history[0, step]))
    net.eval()
    return LanguageRun(net, text.vocabulary, history[0], history[1], history[2],
                       float(label_smoothing), time.perf_counter() - started)  # fmt: skip


def adam_step(
    parameters: list[torch.Tensor],
    grads: tuple[torch.Tensor, ...],
    moments: list[tuple[torch.Tensor, torch.Tensor]],
    lr: float,
    step: int,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
) -> None:
    """``torch.optim.Adam(lr)``'s update number ``step`` (from 1), in place, in its order of
    operations: m and v (each parameter's shape) are the running moments.

    Written out for the reason ``training.sgd_momentum_step`` gives: the first
    ``torch.optim`` optimizer of a process imports ``torch._dynamo``, about a second, longer
    than the page's whole training. A test checks it against torch.optim.Adam.
    """
    beta1, beta2 = betas
    correction1, correction2 = 1 - beta1**step, 1 - beta2**step
    with torch.no_grad():
        for p, g, (m, v) in zip(parameters, grads, moments, strict=True):
            m.lerp_(g, 1 - beta1)
            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            denominator = (v.sqrt() / math.sqrt(correction2)).add_(eps)
            p.addcdiv_(m, denominator, value=-lr / correction1)


# ---------------------------------------------------------------------------- using a model


def next_logits(run: LanguageRun, ids: torch.Tensor) -> torch.Tensor:
    """The logits (T, V) of each character of ``ids`` (T,) given the ones before it, from
    the start of a sentence (as in training)."""
    contexts = contexts_of(ids, run.context, run.vocabulary.boundary)  # (T, n)
    with torch.no_grad():
        return run.model(contexts)


def check_sentence(sentence: str, argument: str = "sentence") -> None:
    """InputError for an empty sentence or one longer than MAX_SENTENCE characters."""
    if not sentence:
        raise InputError("sentence_empty", argument=argument, name=argument)
    if len(sentence) > MAX_SENTENCE:
        raise InputError("sentence_too_long", argument=argument, name=argument,
                         length=len(sentence), limit=MAX_SENTENCE)  # fmt: skip


@dataclass(frozen=True)
class Scored:
    """A sentence, character by character: what the model gave each one, and its loss."""

    sentence: str
    targets: torch.Tensor  # (T,) ids
    losses: torch.Tensor  # (T,) -log p(character | the ones before), nats
    probs: torch.Tensor  # (T,) p(character | the ones before)
    top_ids: torch.Tensor  # (T, 5) the model's five likeliest next characters
    top_probs: torch.Tensor  # (T, 5)
    mean_loss: float  # nats per character: F.cross_entropy(logits, targets)

    @property
    def perplexity(self) -> float:
        """e^loss: as unsure as a uniform choice among this many characters."""
        return math.exp(self.mean_loss)


def score(run: LanguageRun, sentence: str) -> Scored:
    """Each character's loss given the ones before it; InputError for an empty or too long
    sentence, or characters outside the vocabulary (named)."""
    check_sentence(sentence)
    targets = run.vocabulary.encode(sentence, argument="sentence")
    logits = next_logits(run, targets).double()  # (T, V)
    log_probs = functional.log_softmax(logits, dim=1)
    losses = -log_probs.gather(1, targets[:, None])[:, 0]
    top_probs, top_ids = log_probs.exp().topk(min(TOP_K, run.vocabulary.size), dim=1)
    return Scored(sentence, targets, losses, (-losses).exp(), top_ids, top_probs,
                  float(functional.cross_entropy(logits, targets)))  # fmt: skip


def sample(run: LanguageRun, n_characters: int, temperature: float, seed: int) -> str:
    """``n_characters`` drawn one at a time from softmax(logits / temperature), each given
    the ones before it in its sentence (a drawn ↵ ends one and starts the next); the same
    text for the same seed."""
    if not (isinstance(n_characters, int) and 1 <= n_characters <= MAX_SAMPLE):
        raise InputError("out_of_range", argument="n_characters", name="n_characters", low=1,
                         high=MAX_SAMPLE, value=n_characters)  # fmt: skip
    if not (isinstance(temperature, (int, float)) and 0.01 <= temperature <= 100):
        raise InputError("out_of_range", argument="temperature", name="temperature", low=0.01,
                         high=100, value=temperature)  # fmt: skip
    generator = torch.Generator().manual_seed(int(seed))
    boundary = run.vocabulary.boundary
    context = [boundary] * run.context
    drawn = []
    with torch.no_grad():
        for _ in range(n_characters):
            logits = run.model(torch.tensor(context[-run.context :]))  # (V,)
            probs = functional.softmax(logits.double() / temperature, dim=0)
            token = int(torch.multinomial(probs, 1, generator=generator))
            drawn.append(token)
            # after a sentence's end the next starts afresh, as every line does in training
            context = [boundary] * run.context if token == boundary else [*context, token]
    return run.vocabulary.decode(torch.tensor(drawn))


# ---------------------------------------------------------------------------- a padded batch


@dataclass(frozen=True)
class PaddedBatch:
    """Sentences of different lengths in one (B, T) batch, the targets padded with -100."""

    sentences: tuple[str, ...]
    targets: torch.Tensor  # (B, T) ids, -100 after each sentence's end
    logits: torch.Tensor  # (B, T, V)
    token_losses: torch.Tensor  # (B, T) nats, 0 at padding (reduction="none")
    loss_transposed: float  # cross_entropy(logits.transpose(1, 2), targets): (B, V, T)
    loss_flattened: float  # cross_entropy(logits.reshape(-1, V), targets.reshape(-1))
    counted: int  # positions that are not padding: the mean's denominator
    mean_over_all: float  # token_losses.mean(): the padding's zeros counted (a mistake)


def padded_batch(run: LanguageRun, sentences: tuple[str, ...]) -> PaddedBatch:
    """Each sentence scored from the start, padded to the longest with ignore_index -100."""
    if not sentences:
        raise InputError("batch_empty", argument="sentences", name="sentences")
    for b, sentence in enumerate(sentences):
        check_sentence(sentence, argument=f"sentences[{b}]")
    ids = [run.vocabulary.encode(s, argument=f"sentences[{b}]") for b, s in enumerate(sentences)]
    width, v = max(len(i) for i in ids), run.vocabulary.size
    targets = torch.full((len(ids), width), -100, dtype=torch.int64)
    logits = torch.zeros(len(ids), width, v, dtype=torch.float64)
    for b, row in enumerate(ids):
        targets[b, : len(row)] = row
        logits[b, : len(row)] = next_logits(run, row).double()
    token_losses = functional.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
    return PaddedBatch(
        tuple(sentences), targets, logits, token_losses,
        float(functional.cross_entropy(logits.transpose(1, 2), targets)),
        float(functional.cross_entropy(logits.reshape(-1, v), targets.reshape(-1))),
        int((targets != -100).sum()), float(token_losses.mean()),
    )  # fmt: skip
