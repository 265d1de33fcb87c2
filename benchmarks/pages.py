"""What each page of the load test costs in one process (issue 13): queries, the
application's CPU and the wall time per request, against a database `benchmarks/load.py`
prepared (the demo on PostgreSQL). Unlike the load test it does not depend on how busy
the machine is for its CPU figure, so it compares two versions of the code:

    .venv/bin/python benchmarks/load.py --database cchc_load --keep --burst-only
    .venv/bin/python benchmarks/pages.py --database cchc_load
    .venv/bin/python benchmarks/pages.py --database cchc_load --profile "QĐ 766, officer"

Each page is asked once to warm up, then ROUNDS rounds of REQUESTS requests; the best
round is kept (the least disturbed by the rest of the machine). The pages and people are
the load test's (`load.PAGES`), followed through their redirects as a browser does.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="cchc_load")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--profile", help="print a profile of this page (its row's name)")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    os.environ.setdefault("CCHC_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from load import PAGES, PEOPLE

    User = get_user_model()

    rows = []
    for who, username in PEOPLE:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        for page, path in PAGES:
            if (page == "public ranking") != (username is None):
                continue  # the load test reads it as a visitor only, the rest signed in
            name = f"{page}, {who}"

            def ask(client=client, path=path) -> int:
                response = client.get(path, follow=True)
                assert response.status_code == 200, (path, response.status_code)
                return len(response.content)

            ask()
            queries: list[str] = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                ask()
            best_cpu = best_wall = float("inf")
            for _ in range(args.rounds):
                cpu, wall = time.process_time(), time.perf_counter()
                for _ in range(args.requests):
                    ask()
                best_cpu = min(best_cpu, (time.process_time() - cpu) / args.requests)
                best_wall = min(best_wall, (time.perf_counter() - wall) / args.requests)
            rows.append((name, len(queries), best_cpu * 1000, best_wall * 1000))
            if args.profile == name:
                profile = cProfile.Profile()
                profile.runcall(lambda: [ask() for _ in range(args.requests)])
                pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    print(f"\nload average {os.getloadavg()[0]:.1f}; best of {args.rounds} rounds of "
          f"{args.requests} requests\n")  # fmt: skip
    print("| page | queries | app CPU ms | wall ms |")
    print("|---|---|---|---|")
    for name, queries, cpu, wall in rows:
        print(f"| {name} | {queries} | {cpu:.0f} | {wall:.0f} |")


if __name__ == "__main__":
    main()
