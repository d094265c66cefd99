"""`khaojing serve` (the web app under uvicorn) and `khaojing worker` (the job worker)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType

import typer

from khaojing.cli.common import console, expected_errors, fail, load_settings, open_db
from khaojing.db.session import Database

log = logging.getLogger(__name__)


def warm_index(db: Database) -> threading.Thread:
    """Build this process's claim index in the background, so the first message is not the one that waits."""

    def build() -> None:
        from khaojing.matching.live import get_index

        try:
            with db.unit_of_work(readonly=True) as session:
                get_index(db).refresh(session)
        except Exception:  # the first search builds it instead
            log.exception("warming the claim index failed")

    thread = threading.Thread(target=build, name="warm-claim-index", daemon=True)
    thread.start()
    return thread


@expected_errors
def serve(
    host: str = typer.Option(None, help="Default: KHAOJING_HOST"),
    port: int = typer.Option(None, help="Default: KHAOJING_PORT"),
) -> None:
    """Run the web app (API, console, public site); on SQLite it also runs a worker in-process."""
    settings = load_settings()
    try:
        settings.check_secure()
    except RuntimeError as exc:
        fail(f"refusing to start: {exc}", code=2)
    import uvicorn

    from khaojing.app import create_app

    host, port = host or settings.host, port or settings.port
    worker = "with an in-process worker" if settings.run_inprocess_worker else "(run `khaojing worker` too)"
    dev = " [yellow]DEV MODE[/]" if settings.dev_mode else ""
    console.print(f"khaojing on http://{host}:{port} {worker}{dev}")
    app = create_app(settings)
    warm_index(app.state.db)
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level)


# Libraries whose own INFO/DEBUG lines would drown the worker's in the journal: bm25s sets its logger to DEBUG
# when imported ("Building index from IDs" at every index build), WeasyPrint logs each step of every PDF.
NOISY_LIBRARIES = ("bm25s", "weasyprint", "fontTools")


class _QuietLibraries(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not any(record.name == lib or record.name.startswith(lib + ".") for lib in NOISY_LIBRARIES)


def configure_worker_logging(level: str) -> None:
    """Log to stderr at KHAOJING_LOG_LEVEL; below `debug`, the noisy libraries only show warnings and errors."""
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(message)s")
    if logging.getLevelName(level.upper()) != logging.DEBUG:
        for handler in logging.getLogger().handlers:  # a filter on the handler holds whatever level bm25s sets
            handler.addFilter(_QuietLibraries())


def _stop_on_signals(stop: Callable[[], None]) -> None:
    def handler(signum: int, _frame: FrameType | None) -> None:
        console.print(f"{signal.Signals(signum).name}: stopping after the current job")
        stop()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@expected_errors
def worker(once: bool = typer.Option(False, "--once", help="Run the jobs that are ready, then exit")) -> None:
    """Take jobs from the queue until SIGTERM or Ctrl-C (a running job finishes first)."""
    import khaojing.handlers  # noqa: F401  (registers every job handler)
    from khaojing.jobs.worker import Worker

    with open_db() as db:
        configure_worker_logging(db.settings.log_level)
        runner = Worker(db)
        if once:
            runner.enqueue_due_schedules()
            console.print(f"ran {runner.run_until_empty()} jobs")
            return
        _stop_on_signals(runner.stop)
        warm_index(db)
        runner.run_forever()
