"""Benchmarks, each printing its own measured ratios:

python -m bench checkin [--backend sqlite|postgres|both] [--entries N] [--duration S] …
python -m bench pdf [--runs N]      the evidence binder against a plain platypus table
python -m bench findings            findings + ledger for three school years
python -m bench page                the check-in page's weight and requests on a first visit
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    checkin = sub.add_parser("checkin", help="check-in writes per second vs a no-op view")
    checkin.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    checkin.add_argument(
        "--entries", type=int, default=1_000_000, help="generated log entries (default 1,000,000)"
    )
    checkin.add_argument("--households", type=int, default=500)
    checkin.add_argument("--duration", type=int, default=20, help="seconds per measured run")
    checkin.add_argument("--warmup", type=int, default=5, help="seconds of warm-up")
    checkin.add_argument("--connections", type=int, default=16)
    checkin.add_argument("--threads", type=int, default=2, help="wrk threads")
    checkin.add_argument("--port", type=int, default=8765)
    checkin.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    checkin.add_argument(
        "--worker-class",
        choices=("gthread", "sync"),
        default="sync",
        help="gunicorn worker class (sync, as gunicorn.conf.py runs the app by default)",
    )
    checkin.add_argument("--server-threads", type=int, default=8, help="threads per gthread worker")
    checkin.add_argument("--fresh", action="store_true", help="rebuild the data sets")
    checkin.add_argument(
        "--profile",
        action="store_true",
        help="sample the workers with py-spy during the check-in run",
    )

    prepare = sub.add_parser("_prepare", help=argparse.SUPPRESS)
    prepare.add_argument("--entries", type=int, required=True)
    prepare.add_argument("--households", type=int, required=True)
    prepare.add_argument("--seed", type=int, required=True)
    prepare.add_argument("--targets", type=Path, required=True)
    verify = sub.add_parser("_verify", help=argparse.SUPPRESS)
    verify.add_argument("--sample", type=int, default=25)
    return parser


def main(argv: list[str]) -> int:
    # The report benchmarks take their own flags.
    if argv[:1] == ["pdf"]:
        from bench import pdf

        return pdf.main(argv[1:])
    if argv[:1] == ["page"]:
        from bench import page

        return page.main(argv[1:])
    if argv[:1] == ["findings"]:
        from bench import findings

        return findings.main(argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "_prepare":
        from bench.prepare import prepare

        prepare(
            target=args.entries,
            households=args.households,
            seed=args.seed,
            targets_path=args.targets,
        )
        return 0
    if args.command == "_verify":
        from bench.prepare import verify

        verify(sample=args.sample)
        return 0
    from bench.checkin import Options
    from bench.checkin import main as run_checkin

    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    return run_checkin(
        Options(
            backends=backends,
            entries=args.entries,
            households=args.households,
            duration=args.duration,
            warmup=args.warmup,
            connections=args.connections,
            threads=args.threads,
            port=args.port,
            workers=args.workers,
            worker_class=args.worker_class,
            server_threads=args.server_threads,
            fresh=args.fresh,
            profile=args.profile,
        )
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
