"""Failed sign-ins. PostgreSQL runs no SQL when a password is wrong or an account is
disabled, so these cannot be in cc.audit_log; the server writes each one to its log, and this
reads them from the embedded server's log file (for another server, collect its log)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_LINE = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (\S+) \[\d+\] FATAL:  '
                   r'(password authentication failed for user "(?P<u1>[^"]+)"'
                   r'|role "(?P<u2>[^"]+)" is not permitted to log in'
                   r'|role "(?P<u3>[^"]+)" does not exist)')
REASONS = {"u1": "wrong password", "u2": "account disabled", "u3": "no such account"}


@dataclass(frozen=True)
class FailedSignIn:
    at: datetime
    login: str
    reason: str


def failed_sign_ins(log_file: Path) -> list[FailedSignIn]:
    out: list[FailedSignIn] = []
    try:
        lines = log_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return out
    for line in lines:
        m = _LINE.match(line)
        if m is None:
            continue
        key = next(k for k in ("u1", "u2", "u3") if m.group(k))
        out.append(FailedSignIn(datetime.fromisoformat(m.group(1)), m.group(key), REASONS[key]))
    return out
