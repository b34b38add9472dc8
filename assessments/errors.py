"""Errors that point at a line of a question file (GIFT, Aiken), so a trainer can fix it."""


class QuestionFileError(Exception):
    """One problem in a question file: the line it is on and a message in the active language."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message

    def __repr__(self):
        return f"{type(self).__name__}(line={self.line}, message={self.message!r})"


class QuestionFileErrors(Exception):
    """Every problem found in a file; a file with any of them is refused as a whole."""

    def __init__(self, errors: list[QuestionFileError]):
        super().__init__("\n".join(error.message for error in errors))
        self.errors = list(errors)
