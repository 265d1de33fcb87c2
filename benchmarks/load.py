"""Pages under load (issue 13, "Faster pages"): gunicorn with 4 workers on PostgreSQL over
loopback, the demo data, plain HTTP clients in threads. For a QUIET machine only: it
saturates both cores for several minutes.

    .venv/bin/python benchmarks/load.py                      # throwaway PostgreSQL db
    .venv/bin/python benchmarks/load.py --keep --port 8105 --users 50 --seconds 120

Targets (issue 13): >= 300 requests/s on the public ranking page; at 50 users with a 1 s
pause between requests, p95 < 150 ms (public) and < 300 ms (dashboard, statistics, QĐ 766
page), 0 errors. Prints a Markdown table to paste into docs/benchmarks.md.

Steps: create the database cchc_load (dropped at the end unless --keep), `cchc migrate`,
`cchc demo` (a few minutes), start gunicorn on 127.0.0.1:PORT, sign in the demo officer
and administrator, then
1. throughput: --users clients without pause on the public ranking page for --burst s;
2. steady load: --users clients, each with a --pause s wait between requests, cycling
   over the public ranking (read as a visitor, not signed in), the dashboard, the dossier
   statistics and the QĐ 766 page for --seconds s; per page: count, errors, p50, p95, p99.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DEMO_PASSWORD = "cchc-demo"
PUBLIC_LISTING = "/evaluations/public/"
# The pages of the steady load, and who asks them (benchmarks/pages.py measures the same
# ones in one process). The public listing stands for the first published ranking it links.
PAGES = [
    ("public ranking", PUBLIC_LISTING),
    ("dashboard", "/"),
    ("dossier statistics", "/dossiers/stats/"),
    ("QĐ 766", "/service-index/"),
]
PEOPLE = [("visitor", None), ("administrator", "quantri"), ("officer", "congchuc")]


def sh(*args: str, env: dict) -> None:
    subprocess.run(args, check=True, env=env, cwd=ROOT)


def psql(sql: str, database: str = "postgres") -> None:
    """One statement, autocommit, as the server's superuser (in `database`)."""
    import psycopg

    with psycopg.connect(PG_ADMIN.rsplit("/", 1)[0] + f"/{database}", autocommit=True) as conn:
        conn.execute(sql)


class Client:
    """One user: its own cookie jar; signs in through the login form (CSRF included)."""

    def __init__(self, base: str, username: str | None = None) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        # The public pages are read by visitors (not signed in): the same user reads them
        # with a second cookie jar, as a citizen would.
        self.visitor = None
        if username:
            self.sign_in(username)
            self.visitor = Client(base)

    def sign_in(self, username: str) -> None:
        page = self.opener.open(f"{self.base}/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"{self.base}/login/", data=body, headers={"Referer": f"{self.base}/login/"}
        )
        self.opener.open(request, timeout=30).read()

    def get(self, path: str) -> tuple[float, bool]:
        started = time.perf_counter()
        try:
            with self.opener.open(f"{self.base}{path}", timeout=30) as answer:
                answer.read()
                ok = answer.status == 200
        except (urllib.error.URLError, TimeoutError):
            ok = False
        return time.perf_counter() - started, ok


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


PUBLIC = {"public ranking"}


def run_clients(clients, pages, seconds: float, pause: float) -> dict[str, list]:
    results: dict[str, list] = {name: [] for name, _ in pages}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def loop(client: Client, offset: int) -> None:
        n = offset
        while time.monotonic() < stop:
            name, path = pages[n % len(pages)]
            reader = client.visitor if client.visitor and name in PUBLIC else client
            elapsed, ok = reader.get(path)
            with lock:
                results[name].append((elapsed, ok))
            n += 1
            if pause:
                time.sleep(pause)

    threads = [threading.Thread(target=loop, args=(c, i)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _part(base: str, pages, usernames, seconds: float, pause: float) -> tuple[dict, float]:
    """One client process: its users (None: a visitor) asking the pages; and the CPU
    seconds the process spent (the clients share the machine's cores with the server)."""
    clients = [Client(base, username) for username in usernames]
    cpu = time.process_time()
    results = run_clients(clients, pages, seconds, pause)
    return results, time.process_time() - cpu


def in_processes(base, pages, usernames, seconds: float, pause: float, procs: int):
    """The users spread over `procs` client processes, as many browsers would be: one Python
    process of threads cannot send much more than ~100 requests/s (one core, the GIL), and
    at 40 requests/s its threads already wait for one another, which the timings would
    count as the server's. Returns (results by page, the clients' CPU seconds)."""
    from concurrent.futures import ProcessPoolExecutor

    shares = [usernames[i::procs] for i in range(procs)]
    with ProcessPoolExecutor(procs) as pool:
        futures = [pool.submit(_part, base, pages, share, seconds, pause) for share in shares]
        parts = [future.result() for future in futures]
    merged = {name: [row for part, _ in parts for row in part[name]] for name, _ in pages}
    return merged, sum(cpu for _, cpu in parts)


def table(results: dict[str, list], seconds: float) -> str:
    lines = [
        "| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, rows in results.items():
        times = [t * 1000 for t, ok in rows if ok]
        errors = sum(1 for _, ok in rows if not ok)
        lines.append(
            f"| {name} | {len(rows)} | {errors} | {len(rows) / seconds:.1f} | "
            f"{statistics.median(times) if times else float('nan'):.0f} | "
            f"{percentile(times, 95):.0f} | {percentile(times, 99):.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (above 1: gunicorn's gthread)"
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--pause", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--burst", type=float, default=30)
    parser.add_argument("--procs", type=int, default=4, help="client processes")
    parser.add_argument("--burst-only", action="store_true", help="skip the steady load")
    parser.add_argument("--database", default="cchc_load")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--skip-setup", action="store_true", help="database already loaded")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "CCHC_TASKS": "immediate",
        "CCHC_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    if not args.skip_setup:
        psql(f'DROP DATABASE IF EXISTS "{args.database}"')
        psql(f'CREATE DATABASE "{args.database}"')
        sh(str(BIN / "cchc"), "migrate", "-v0", env=env)
        sh(str(BIN / "cchc"), "demo", env=env)
    # The planner's statistics, as autovacuum gathers them on a production server within
    # minutes of a load (CI's server runs with autovacuum off: without this, the partitions
    # of the dossier table have none and every page is planned blind).
    psql("ANALYZE", args.database)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "cchc.wsgi", "-w", str(args.workers), "-b",
         f"127.0.0.1:{args.port}", "--timeout", "120", "--threads", str(args.threads)],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        probe = Client(base)
        listing = probe.opener.open(f"{base}{PUBLIC_LISTING}", timeout=30).read().decode()
        found = re.search(r'href="(/evaluations/public/\d+/)"', listing)
        ranking = found.group(1) if found else PUBLIC_LISTING
        pages = [(name, ranking if path == PUBLIC_LISTING else path) for name, path in PAGES]

        burst, _ = in_processes(base, pages[:1], [None] * args.users, args.burst, 0, args.procs)
        print(
            f"\n## Throughput, {args.users} clients in {args.procs} processes without pause, "
            f"{args.burst:.0f} s\n"
        )
        print(table(burst, args.burst))
        if args.burst_only:
            return

        signed_in = [username for _, username in PEOPLE if username]
        users = [signed_in[i % len(signed_in)] for i in range(args.users)]
        steady, cpu = in_processes(base, pages, users, args.seconds, args.pause, args.procs)
        print(
            f"\n## {args.users} users in {args.procs} processes, {args.pause} s pause, "
            f"{args.seconds:.0f} s (the clients used {cpu:.1f} s of CPU, "
            f"{cpu / args.seconds:.0%} of a core)\n"
        )
        print(table(steady, args.seconds))
    finally:
        server.terminate()
        server.wait()
        if not args.keep and not args.skip_setup:
            psql(f'DROP DATABASE IF EXISTS "{args.database}"')


if __name__ == "__main__":
    main()
