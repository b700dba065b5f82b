"""The one exception the UI catches: a learner's input that cannot be computed."""

from __future__ import annotations


class InputError(ValueError):
    """Input a learner typed (or a caller passed) that cross-entropy cannot be computed on.

    The message is written for a learner and names the offending argument, row or cell
    ("row 3, class 'dog' is empty"). ``argument``, ``row`` and ``column`` carry the same
    location as data, so a page can point at the cell; each is ``None`` when it does not apply.
    Rows and classes are numbered from 0, like PyTorch indices and the book's ``idx``.
    """

    def __init__(
        self,
        message: str,
        *,
        argument: str | None = None,
        row: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.argument = argument
        self.row = row
        self.column = column
