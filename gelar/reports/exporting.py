"""The report's exports, made in the background: request one, run it, list them.

export_request (a console POST) records a queued ReportExport and enqueues
export_run after commit (gelar.common.tasks). One export per expo and kind is in the
making at a time: a partial unique constraint says so, so two requests at once make
one file without locking the expo row (which every order, sale and booth of the expo
refers to). export_run claims the queued row (a conditional UPDATE: a repeated run
does nothing), builds the report with selectors.expo_report in the language the
organizer chose for the file (Indonesian unless asked otherwise, whatever the
console's language), writes the file to the private storage and marks it done -- or
failed, with a generic message and an error id that the log holds with the
exception. The report is read outside any transaction of ours: on SQLite a
transaction is BEGIN IMMEDIATE, which would hold the write lock -- every till,
checkout and visit beacon -- for as long as the report takes (expo_report takes its
own consistent snapshot on PostgreSQL). Progress is written as it goes, each write a
short autocommit UPDATE that is also the export's heartbeat.

A thread dies with its process. An export is taken as failed when it shows no sign of
life for STALE_AFTER: queued and never claimed, or running without a progress update
(exports_expire_stale, called before a request and whenever exports are shown), so
after a restart the organizer can ask again within minutes.

Only the latest KEEP_FINISHED finished exports of an expo and kind are kept: older
rows go when a new one finishes, and a row's file goes with the row (signals.py), the
expo's deletion included.
"""

import contextlib
import datetime
import logging
import secrets
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record
from gelar.common.tasks import enqueue
from gelar.events.models import Expo
from gelar.reports import exports, selectors
from gelar.reports.models import ReportExport

logger = logging.getLogger(__name__)

# A run writes its progress at least every HEARTBEAT_EVERY; silent for STALE_AFTER,
# it is dead. The margin covers the longest step without a progress call (the report's
# queries, a few seconds at a million order lines).
STALE_AFTER = datetime.timedelta(minutes=2)
# A queued export waits for a worker (with Celery: a busy or restarting worker); it is
# given up only after QUEUED_STALE_AFTER, so a queue wait does not fail it.
QUEUED_STALE_AFTER = datetime.timedelta(minutes=30)
HEARTBEAT_EVERY = 15  # seconds
KEEP_FINISHED = 5
Status = ReportExport.Status
WORKING = (Status.QUEUED, Status.RUNNING)
FINISHED = (Status.DONE, Status.FAILED)


def export_languages() -> list[tuple[str, str]]:
    """The languages an export can be made in, the default (Indonesian) first."""
    return sorted(settings.LANGUAGES, key=lambda item: item[0] != settings.LANGUAGE_CODE)


def exports_expire_stale(*, expo: Expo, now: datetime.datetime | None = None) -> int:
    """Mark failed the expo's exports running without a sign of life for STALE_AFTER,
    or queued and never claimed for QUEUED_STALE_AFTER; how many. A conditional
    UPDATE: a run that finishes meanwhile loses to it (and drops its file)."""
    now = now or timezone.now()
    silent_running = Q(status=Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    waited_queued = Q(status=Status.QUEUED, heartbeat_at__lt=now - QUEUED_STALE_AFTER)
    return ReportExport.objects.filter(silent_running | waited_queued, expo=expo).update(
        status=Status.FAILED,
        error=_("Stopped: the export was interrupted. Please ask for it again."),
        finished_at=now,
    )


def exports_for_expo(*, expo: Expo, limit: int = 20) -> QuerySet[ReportExport]:
    """The expo's latest exports, newest first (stale ones already marked failed)."""
    exports_expire_stale(expo=expo)
    return ReportExport.objects.filter(expo=expo).select_related("requested_by")[:limit]


def _working(expo: Expo, kind: str) -> ReportExport | None:
    return ReportExport.objects.filter(expo=expo, kind=kind, status__in=WORKING).first()


def export_request(*, expo: Expo, kind: str, actor, language: str) -> ReportExport:
    """A new export of the report in `language`, queued; or the one of this kind
    already queued or running for the expo (asking twice makes one file)."""
    if kind not in ReportExport.Kind.values:
        raise ValueError(f"unknown export kind {kind!r}")
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown export language {language!r}")
    exports_expire_stale(expo=expo)
    running = _working(expo, kind)
    if running is not None:
        return running
    try:
        with transaction.atomic():
            export = ReportExport.objects.create(
                expo=expo, kind=kind, language=language, requested_by=actor
            )
            audit_record(
                actor=actor,
                action="report.export_request",
                obj=export,
                changes={"kind": kind, "language": language},
                organizer=expo.organizer,
            )
            enqueue("gelar.reports.exporting.export_run", export_id=export.pk)
    except IntegrityError:
        # Another request inserted one in between: reportexport_one_working_per_kind
        # (on PostgreSQL the insert waited for that request's commit).
        running = _working(expo, kind)
        if running is None:
            raise
        return running
    export.refresh_from_db()  # run already when tasks run inline
    return export


class _Progress:
    """Writes the percentage when it moves, and at least every HEARTBEAT_EVERY seconds
    while the exporter calls (one short UPDATE each): the bar and the heartbeat."""

    def __init__(self, export_id: int, *, clock=time.monotonic):
        self.export_id = export_id
        self.clock = clock
        self.shown = 0
        self.written = clock()

    def __call__(self, percent: int) -> None:
        # The file is written after the exporter's 100: the bar waits at 99 till then.
        percent = min(int(percent), 99)
        if percent <= self.shown and self.clock() - self.written < HEARTBEAT_EVERY:
            return
        self.shown = max(self.shown, percent)
        self.written = self.clock()
        ReportExport.objects.filter(pk=self.export_id, status=Status.RUNNING).update(
            progress=self.shown, heartbeat_at=timezone.now()
        )


def _file_name(export: ReportExport) -> str:
    return f"gelar-{export.expo.slug}-report-{export.pk}.{exports.EXTENSIONS[export.kind]}"


def _no_transaction_of_ours():
    """Nothing in the background thread (autocommit). Inline, inside the caller's
    transaction (the tests' GELAR_TASKS_SYNC), a savepoint: a failed query cannot
    poison the caller's transaction, so the failure can still be written."""
    if transaction.get_connection().in_atomic_block:
        return transaction.atomic()
    return contextlib.nullcontext()


def export_run(*, export_id: int) -> None:
    """The task: build the export's file. Never raises; a failure is written on the row."""
    taken = ReportExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.RUNNING, progress=0, heartbeat_at=timezone.now()
    )
    if not taken:
        return  # done, failed or taken by another run already
    export = ReportExport.objects.select_related("expo__organizer", "expo__venue_region").get(
        pk=export_id
    )
    progress = _Progress(export_id)
    stored = ""
    try:
        with translation.override(export.language):
            progress(2)
            with _no_transaction_of_ours():
                report = selectors.expo_report(expo=export.expo)
            progress(15)
            content = exports.build(
                export.kind, report, progress=lambda percent: progress(15 + percent * 80 // 100)
            )
        stored = export.file.storage.save(
            f"{export.file.field.upload_to}{_file_name(export)}", ContentFile(content)
        )
        now = timezone.now()
        finished = ReportExport.objects.filter(pk=export_id, status=Status.RUNNING).update(
            status=Status.DONE, progress=100, file=stored, finished_at=now, heartbeat_at=now
        )
        if not finished:
            # Marked failed as stale meanwhile: the row says failed, so drop the file.
            export.file.storage.delete(stored)
    except Exception:
        # The organizer's staff see a generic message; the reason (which may hold SQL,
        # paths or data) goes to the log under the same id, for whoever runs Gelar.
        error_id = secrets.token_hex(4)
        logger.exception("Report export %s failed (error id %s)", export_id, error_id)
        if stored:
            export.file.storage.delete(stored)
        with translation.override(export.language):
            message = _("The export failed; please try again. Error id: %(error_id)s") % {
                "error_id": error_id
            }
        ReportExport.objects.filter(pk=export_id, status=Status.RUNNING).update(
            status=Status.FAILED, error=message[:500], finished_at=timezone.now()
        )
    try:
        exports_prune(expo_id=export.expo_id, kind=export.kind)
    except Exception:
        logger.exception("Pruning the report exports of expo %s failed", export.expo_id)


def exports_prune(*, expo_id: int, kind: str, keep: int = KEEP_FINISHED) -> int:
    """Delete the expo's finished exports of this kind but the latest `keep`, with their
    files (signals.py, after commit); how many rows went."""
    finished = (
        ReportExport.objects.filter(expo_id=expo_id, kind=kind, status__in=FINISHED)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    old = list(finished[keep:])
    if not old:
        return 0
    deleted, _by_model = ReportExport.objects.filter(pk__in=old).delete()
    return deleted
