"""The one exception the UI catches: a learner's input that cannot be computed."""

from __future__ import annotations

from i18n import Message


class InputError(ValueError):
    """Input a learner typed (or a caller passed) that cross-entropy cannot be computed on.

    It carries a message code (a key of the text catalog's ``[error]`` section) and the
    code's parameters: the row, the class, the value, the limit. A page renders
    ``error.message`` in the learner's language; ``str(error)`` is the English sentence,
    which names the offending argument, row or cell ("row 3, class 'dog' is empty").
    ``argument``, ``row`` and ``column`` carry the same location as data, so a page can
    point at the cell; each is ``None`` when it does not apply. Rows and classes are
    numbered from 0, like PyTorch indices and the book's ``idx``; in a K-dimensional input
    (N, C, d1, ..., dK) the row is a position, ``(n, d1, ..., dK)``.
    """

    def __init__(
        self,
        code: str,
        *,
        argument: str | None = None,
        row: int | tuple[int, ...] | None = None,
        column: int | None = None,
        **params: object,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.argument = argument
        self.row = row
        self.column = column

    @property
    def message(self) -> Message:
        # The location is also the message's: "row {row}" needs no second copy of it.
        return Message(f"error.{self.code}", {"row": self.row, "column": self.column} | self.params)

    def __str__(self) -> str:
        return str(self.message)
