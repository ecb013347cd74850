"""The reports' background tasks (Celery; gelar/celery.py).

A task that gelar.common.tasks.enqueue sends is registered under the dotted path of the
function it runs, so the path given to enqueue is the task's name for the worker too.
"""

from celery import shared_task

from gelar.reports import exporting


# export_run never raises and takes its row with a conditional UPDATE (QUEUED ->
# RUNNING): a message delivered twice builds one file.
@shared_task(name="gelar.reports.exporting.export_run")
def export_run(*, export_id: int) -> None:
    exporting.export_run(export_id=export_id)
