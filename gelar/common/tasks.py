"""Background tasks, the small way: a daemon thread started after the transaction commits.

enqueue("gelar.reports.exporting.export_run", export_id=7) imports the dotted function
and calls it with the keyword arguments once the caller's transaction has committed (so
the task reads the rows the request wrote), in a daemon thread of the same process. That
is enough for an organizer's export in the embedded set-up; the trade-off is that a task
dies with its process (a restart mid-export), so a task must leave its rows in a state
that says so -- a report export writes a heartbeat with its progress and is taken as
failed after two silent minutes. With a broker configured (issue 9) the same call
sends the task to the Celery workers instead (gelar.common.task_queue, docs/adr/0009).

With settings.GELAR_TASKS_SYNC (the tests) the task runs at once, in the caller's thread
and transaction, so a test sees its outcome without threads or commits.
"""

import logging
import threading

from django.conf import settings
from django.db import connections, transaction
from django.utils.module_loading import import_string

from gelar.common import task_queue

logger = logging.getLogger(__name__)


def enqueue(task: str, **kwargs) -> None:
    """Run the function at dotted path `task` with `kwargs`, after commit, in the background."""
    function = import_string(task)  # fail now, in the request, on a wrong path
    if getattr(settings, "GELAR_TASKS_SYNC", False):
        _run(task, function, kwargs)
        return
    if getattr(settings, "CELERY_BROKER_URL", ""):
        # Issue 9: to the Celery workers after commit; when the broker cannot be
        # reached, in a thread here as below rather than lost.
        task_queue.require_registered(task)

        def send() -> None:
            if not task_queue.send(task, kwargs):
                _start_thread(task, function, kwargs)

        transaction.on_commit(send)
        return
    transaction.on_commit(lambda: _start_thread(task, function, kwargs))


def _start_thread(task: str, function, kwargs: dict) -> None:
    threading.Thread(
        target=_run_in_thread, args=(task, function, kwargs), name=f"task {task}", daemon=True
    ).start()


def _run(task: str, function, kwargs: dict) -> None:
    try:
        function(**kwargs)
    except Exception:
        # Nobody waits for a background task's result: the log is where a crash shows.
        logger.exception("Task %s(%r) failed", task, kwargs)


def _run_in_thread(task: str, function, kwargs: dict) -> None:
    try:
        _run(task, function, kwargs)
    finally:
        # The thread opened its own connections; nothing else would ever close them.
        connections.close_all()
