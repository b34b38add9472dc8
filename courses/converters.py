"""Path converters for ids that the database can hold."""

BIGINT_MAX = 2**63 - 1


class RowIdConverter:
    """A positive integer that fits a 64-bit primary key; anything larger matches no route (404)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > BIGINT_MAX:
            raise ValueError("past the largest id")  # Django then tries the next pattern, ending in 404
        return number

    def to_url(self, value) -> str:
        return str(value)
