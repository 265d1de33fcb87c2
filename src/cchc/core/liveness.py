"""Is the process doing a piece of long work still alive? (issue 13: an import or job whose
process was killed stayed "running" forever.)

Plain rules, no Django. Work records the process that runs it (host name and pid) and a
heartbeat that its progress refreshes. It is dead when:
- it runs on this host and its pid is gone (a kill -9, a gunicorn worker timed out, a
  crash of `cchc worker`): known at once;
- it runs on another host (or its pid is unknown) and its heartbeat is older than the
  lease: that host cannot be asked, so silence for that long counts as death.
Work queued but never started (no pid, no heartbeat) is waiting, not dead.
"""

from __future__ import annotations

import datetime as dt
import os
import socket

HOST = socket.gethostname()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OverflowError:
        return False
    return True


def is_dead(
    *,
    host: str,
    pid: int | None,
    heartbeat_at: dt.datetime | None,
    now: dt.datetime,
    lease: dt.timedelta,
    this_host: str = HOST,
) -> bool:
    if heartbeat_at is None and pid is None:
        return False
    if pid is not None and host == this_host:
        return not pid_alive(pid)
    return heartbeat_at is None or now - heartbeat_at > lease
