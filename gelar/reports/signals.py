"""A report export's file goes with its row: deleted one by one (exporting.exports_prune),
by the admin, or in a cascade when its expo is deleted. After commit, so a rolled-back
deletion keeps its file."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from gelar.reports.models import ReportExport


@receiver(post_delete, sender=ReportExport, dispatch_uid="report_export_file_delete")
def report_export_file_delete(sender, instance: ReportExport, **kwargs) -> None:
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage
    # A file already gone is no error (FileSystemStorage.delete ignores it); robust:
    # a storage failure must not break the commit's other callbacks.
    transaction.on_commit(lambda: storage.delete(name), robust=True)
