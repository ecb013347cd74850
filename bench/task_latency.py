"""Enqueue-to-start latency of a Celery task on this machine (docs/adr/0009-task-queue.md).

    bench/topology.sh up && .venv/bin/python bench/task_latency.py [--tasks 200]

Against the topology's Redis (127.0.0.1:6380): starts a worker of its own (prefork, 2
processes, like the topology's) on a queue of its own, sends N probe tasks one after
the other (20 ms apart: the latency of a lone task, as an organizer asking for an
export meets it), then N at once (the time until the last one starts), and prints
p50/p95/max. Beside it, the same for the in-process thread runner of
gelar.common.tasks (a thread started per task). Stops its worker on any exit.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid

import benchlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
QUEUE = "bench-probe"


def topology_environment() -> None:
    with open(os.path.join(ROOT, "var", "topology", "gelar.env")) as env:
        for line in env:
            name, _, value = line.strip().partition("=")
            if name:
                os.environ[name] = value
    os.environ["LOG_LEVEL"] = "WARNING"


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return (
        f"p50 {1000 * statistics.median(values):7.2f} ms   p95 {1000 * p95:7.2f} ms   "
        f"max {1000 * values[-1]:7.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=200)
    args = parser.parse_args()
    if not 1 <= args.tasks <= 1000:
        raise SystemExit("--tasks: 1 to 1000")
    topology_environment()
    benchlib.django_setup()
    import redis
    from django.conf import settings

    from gelar.celery import app

    if not settings.REDIS_URL.startswith("redis://127.0.0.1:"):
        raise SystemExit("only the topology's Redis on 127.0.0.1")
    store = redis.Redis.from_url(settings.REDIS_URL)
    key = f"bench:task-latency:{uuid.uuid4().hex}"
    worker = subprocess.Popen(
        [
            os.path.join(ROOT, ".venv", "bin", "celery"),
            "-A",
            "gelar",
            "worker",
            "--include",
            "task_probe",
            "--queues",
            QUEUE,
            "--concurrency",
            "2",
            "--hostname",
            f"probe-{os.getpid()}@127.0.0.1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": HERE},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Ready when a probe comes back (30 s at most).
        app.send_task("bench.task_probe.started", args=[time.time(), key], queue=QUEUE)
        if store.blpop(key, timeout=30) is None:
            raise SystemExit("the probe worker did not start within 30 s")

        for _ in range(args.tasks):
            app.send_task("bench.task_probe.started", args=[time.time(), key], queue=QUEUE)
            time.sleep(0.02)
        lone = collect(store, key, args.tasks)

        burst_start = time.time()
        for _ in range(args.tasks):
            app.send_task("bench.task_probe.started", args=[time.time(), key], queue=QUEUE)
        sent = time.time() - burst_start
        burst = collect(store, key, args.tasks)

        threaded = []
        for _ in range(args.tasks):
            began = threading.Event()
            at = time.time()
            thread = threading.Thread(
                target=lambda e=began, t=at: (threaded.append(time.time() - t), e.set())
            )
            thread.start()
            began.wait(5)
            thread.join()
            time.sleep(0.02)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        store.delete(key)

    import celery

    print(f"Celery {celery.__version__} worker (prefork x2), Redis broker, {args.tasks} tasks")
    print(f"  one at a time, 20 ms apart:  {percentiles(lone)}")
    print(f"  {args.tasks} at once (sent in {1000 * sent:.0f} ms): {percentiles(burst)}")
    print(f"thread per task (gelar.common.tasks without a broker), {args.tasks} tasks")
    print(f"  one at a time:               {percentiles(threaded)}")
    return 0


def collect(store, key: str, count: int) -> list[float]:
    values = []
    deadline = time.time() + 60
    while len(values) < count and time.time() < deadline:
        item = store.blpop(key, timeout=max(1, int(deadline - time.time())))
        if item is not None:
            values.append(float(item[1]))
    if len(values) < count:
        raise SystemExit(f"only {len(values)} of {count} probes started within 60 s")
    return values


if __name__ == "__main__":
    sys.exit(main())
