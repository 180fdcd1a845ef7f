"""Log filter that keeps personal data out of every log line.

Citizen ID numbers (CCCD, 12 digits; old CMND, 9 digits), phone numbers and e-mail addresses
are masked in the message and in its arguments before any handler sees them.
"""

import logging
import re

_PATTERNS = [
    (re.compile(r"(?<!\d)(?:\+84|0084|0)(?:\d[ .-]?){8,10}(?!\d)"), "[phone]"),
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), "[id-number]"),
    (re.compile(r"(?<!\d)\d{9}(?!\d)"), "[id-number]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


_STANDARD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the log line
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        for key, value in list(record.__dict__.items()):
            if key.startswith("_") or key in _STANDARD_ATTRS:
                continue
            if isinstance(value, str):
                setattr(record, key, redact(value))
        return True
