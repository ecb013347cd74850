"""The task queue (issue 9): with a broker, gelar.common.tasks.enqueue sends the task to
the Celery workers after commit, under the dotted path of the function; a broker that
cannot be reached runs it in a thread here instead; a path no worker runs fails at once.
The broker itself is mocked: bench/drills/ run real workers against a real Redis."""

import threading

import pytest
from kombu.exceptions import OperationalError

from gelar.celery import app
from gelar.common import tasks
from gelar.ops.tests.test_security import settings_in

ran: list[dict] = []
done = threading.Event()


@app.task(name="gelar.common.tests.test_task_queue.record")
def record(**kwargs) -> None:
    """A task the worker would run: a Celery task under its own dotted path."""
    ran.append({**kwargs, "daemon": threading.current_thread().daemon})
    done.set()


def not_a_celery_task(**kwargs) -> None:
    ran.append(kwargs)


@pytest.fixture
def broker(settings, monkeypatch):
    """A configured broker whose sends are recorded instead of made."""
    settings.GELAR_TASKS_SYNC = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6380/1"
    sent = []
    monkeypatch.setattr(
        app, "send_task", lambda name, kwargs: sent.append((name, kwargs)), raising=True
    )
    ran.clear()
    done.clear()
    return sent


@pytest.mark.django_db
def test_a_task_goes_to_the_workers_after_commit(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.enqueue("gelar.common.tests.test_task_queue.record", export_id=5)
    assert broker == []  # nothing before the commit
    assert len(callbacks) == 1

    callbacks[0]()  # the commit
    assert broker == [("gelar.common.tests.test_task_queue.record", {"export_id": 5})]
    assert ran == []  # the worker runs it, not this process


@pytest.mark.django_db
def test_a_broker_that_cannot_be_reached_runs_the_task_in_a_thread_here(
    broker, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def down(name, kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6380. Connection refused.")

    monkeypatch.setattr(app, "send_task", down)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue("gelar.common.tests.test_task_queue.record", export_id=6)

    assert done.wait(timeout=10)
    assert ran == [{"export_id": 6, "daemon": True}]
    assert [r.getMessage() for r in caplog.records] == [
        "Could not send task gelar.common.tests.test_task_queue.record({'export_id': 6}) "
        "to the broker"
    ]


@pytest.mark.django_db
def test_a_function_no_worker_runs_fails_in_the_request(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(LookupError, match="no Celery task is registered"):
            tasks.enqueue("gelar.common.tests.test_task_queue.not_a_celery_task", n=1)
    assert callbacks == []
    assert broker == []
    assert ran == []


def test_every_function_the_code_enqueues_is_a_registered_task():
    app.loader.import_default_modules()  # what the worker does at start
    # gelar/reports/exporting.py enqueues this path; the worker must know it.
    assert "gelar.reports.exporting.export_run" in app.tasks
    assert "gelar.orders.tasks.expire_reservations" in app.tasks


def test_without_a_broker_tasks_stay_in_the_process(settings):
    settings.GELAR_TASKS_SYNC = True
    settings.CELERY_BROKER_URL = ""
    ran.clear()
    tasks.enqueue("gelar.common.tests.test_task_queue.not_a_celery_task", n=2)
    assert ran == [{"n": 2}]


@pytest.mark.parametrize(
    "redis_url",
    ["redis://127.0.0.1:6379/0", "rediss://cache.example.id:6380/", "unix:///run/redis.sock?db=0"],
)
def test_redis_alone_does_not_switch_the_task_queue_on(redis_url, tmp_path):
    """Tasks go to Celery only when CELERY_BROKER_URL says so: with REDIS_URL alone and no
    worker running, an export would wait in a queue nobody reads, and no beat would
    release reservations."""
    names = ["REDIS_URL", "CELERY_BROKER_URL"]
    assert settings_in({"REDIS_URL": redis_url}, tmp_path, names) == {
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": "",
    }
    broker = "redis://127.0.0.1:6379/1"
    assert settings_in({"REDIS_URL": redis_url, "CELERY_BROKER_URL": broker}, tmp_path, names) == {
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": broker,
    }


def test_reservations_are_released_every_minute_by_beat():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE == {
        "expire-reservations": {
            "task": "gelar.orders.tasks.expire_reservations",
            "schedule": 60.0,
            "options": {"expires": 55},
        }
    }


@pytest.mark.django_db
def test_a_report_export_is_sent_under_its_function_path(
    broker, django_capture_on_commit_callbacks
):
    from gelar.reports import exporting
    from gelar.reports.models import ReportExport
    from gelar.testing import build_expo, make_user

    expo = build_expo().expo
    with django_capture_on_commit_callbacks(execute=True):
        export = exporting.export_request(
            expo=expo, kind="csv", actor=make_user(email="admin@example.com"), language="id"
        )
    assert broker == [("gelar.reports.exporting.export_run", {"export_id": export.pk})]
    assert ReportExport.objects.get(pk=export.pk).status == "queued"  # for the worker


@pytest.mark.django_db
def test_the_worker_s_export_task_builds_the_file():
    from gelar.reports.models import ReportExport
    from gelar.reports.tasks import export_run
    from gelar.testing import build_expo

    export = ReportExport.objects.create(expo=build_expo().expo, kind="csv", language="id")
    export_run.apply(kwargs={"export_id": export.pk}).get()
    export.refresh_from_db()
    assert (export.status, export.progress, export.error) == ("done", 100, "")
    assert export.file.name == f"reports/gelar-{export.expo.slug}-report-{export.pk}.zip"

    export_run.apply(kwargs={"export_id": export.pk}).get()  # delivered twice: one file
    assert ReportExport.objects.get(pk=export.pk).file.name == export.file.name


def test_a_worker_or_beat_without_a_broker_stops_instead_of_waiting(settings):
    """Without CELERY_BROKER_URL Celery would wait for AMQP on localhost for ever."""
    from gelar.celery import NO_BROKER, refuse_without_a_broker

    settings.CELERY_BROKER_URL = ""
    with pytest.raises(SystemExit) as stopped:
        refuse_without_a_broker(sender=None)
    assert stopped.value.code == NO_BROKER
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6380/1"
    assert refuse_without_a_broker(sender=None) is None
