"""Who sees what (issue #13, item 7): the visibility policy, one set of rules for the pages, the
exports and the API.

- Reviewers and admins see everything: they review any batch and decide any case.
- Clerks (经办人), under the default policy `clerks = "own_batches"`, see the batches they
  uploaded, the documents read from those batches' files, the cases those documents (or rows of
  those documents' lists) belong to, and every document of those cases (a case is seen whole).
  A file uploaded again by another clerk (a repeat) is that clerk's too: both have the paper.
- `clerks = "all"` lets clerks see everything, as before the policy existed.

Set in the policy file (CASEFILE_POLICY):

    [visibility]
    clerks = "own_batches"   # or "all"

The rules are querysets built here; web/visibility.py applies them to every page, export and API
call, and answers 404 (未找到) for what a user may not see, so an id tells nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

from config.options import VisibilityOptions


@dataclass(frozen=True)
class Scope:
    """What one user sees: everything (`everything`), or what the user's own batches touch."""

    username: str
    everything: bool

    # --- querysets ---------------------------------------------------------------------------

    def _own_files(self):
        from records.models import BatchFile

        return BatchFile.objects.filter(batch__uploaded_by=self.username, file__isnull=False).values("file_id")

    def _case_ids(self):
        from records.models import Document, RowLink

        files = self._own_files()
        whole = Document.objects.filter(file_id__in=files, case__isnull=False).values_list("case_id", flat=True)
        rows = RowLink.objects.filter(document__file_id__in=files).values_list("case_id", flat=True)
        return sorted(set(whole) | set(rows))

    def batches(self, queryset=None):
        from records.models import Batch

        queryset = Batch.objects.all() if queryset is None else queryset
        return queryset if self.everything else queryset.filter(uploaded_by=self.username)

    def cases(self, queryset=None):
        from records.models import Case

        queryset = Case.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        return queryset.filter(pk__in=self._case_ids())

    def documents(self, queryset=None):
        from django.db.models import Q

        from records.models import Document, RowLink

        queryset = Document.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        case_ids = self._case_ids()
        return queryset.filter(
            Q(file_id__in=self._own_files())
            | Q(case_id__in=case_ids)
            | Q(pk__in=RowLink.objects.filter(case_id__in=case_ids).values("document_id"))
        )

    def files(self):
        """SourceFile ids whose pages the user may see: own files and files of visible documents."""
        from records.models import SourceFile

        if self.everything:
            return SourceFile.objects.all()
        return SourceFile.objects.filter(pk__in=self.documents().values("file_id")) | SourceFile.objects.filter(
            pk__in=self._own_files()
        )

    # --- single objects ----------------------------------------------------------------------

    def sees_batch(self, batch_id: int) -> bool:
        return self.everything or self.batches().filter(pk=batch_id).exists()

    def sees_case(self, case_id: int) -> bool:
        return self.everything or self.cases().filter(pk=case_id).exists()

    def sees_document(self, document_id: int) -> bool:
        return self.everything or self.documents().filter(pk=document_id).exists()

    def sees_file(self, file_id: int) -> bool:
        return self.everything or self.files().filter(pk=file_id).exists()

    def sees_page(self, page_id: int) -> bool:
        from records.models import Page

        if self.everything:
            return True
        file_id = Page.objects.filter(pk=page_id).values_list("file_id", flat=True).first()
        return file_id is not None and self.files().filter(pk=file_id).exists()

    def sees_flag(self, flag_id: int) -> bool:
        from records.models import Flag

        if self.everything:
            return True
        case_id = Flag.objects.filter(pk=flag_id).values_list("case_id", flat=True).first()
        return case_id is not None and self.sees_case(case_id)

    def sees_field(self, field_id: int) -> bool:
        from records.models import Field

        if self.everything:
            return True
        document_id = Field.objects.filter(pk=field_id).values_list("document_id", flat=True).first()
        return document_id is not None and self.sees_document(document_id)


def scope(username: str, sees_all_by_role: bool, options: VisibilityOptions) -> Scope:
    """sees_all_by_role: the user is a reviewer or an admin."""
    return Scope(username=username, everything=sees_all_by_role or options.clerks == "all")
