"""Sending tasks to the Celery workers (issue 9; docs/adr/0009-task-queue.md).

gelar.common.tasks.enqueue calls these when a broker is configured. A task that can be
enqueued is registered with Celery under the dotted path of the function it runs
(gelar/<app>/tasks.py), so enqueue's path is the task's name on the worker too.
"""

import logging

logger = logging.getLogger(__name__)


def require_registered(task: str) -> None:
    """Raise LookupError unless a Celery task is registered under `task`: a path that no
    worker runs must fail in the request, not sit in the queue."""
    from gelar.celery import app

    if task not in app.tasks:
        # The worker imports every app's tasks.py at start; a web process only now.
        app.loader.import_default_modules()
    if task not in app.tasks:
        raise LookupError(f"no Celery task is registered as {task!r} (gelar/<app>/tasks.py)")


def send(task: str, kwargs: dict) -> bool:
    """Put the task on the broker's queue; False when the broker cannot be reached (after
    CELERY_TASK_PUBLISH_RETRY_POLICY's short retries), so the caller can run it itself."""
    from gelar.celery import app

    try:
        app.send_task(task, kwargs=kwargs)
    except Exception:
        logger.exception("Could not send task %s(%r) to the broker", task, kwargs)
        return False
    return True
