from django.contrib import admin

from records import models


@admin.register(models.Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("id", "label", "uploaded_by", "created_at", "status", "closed_at")
    list_filter = ("status",)


@admin.register(models.SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ("id", "first_name", "kind", "pages_done", "pages_total", "status")
    list_filter = ("status", "kind")
    readonly_fields = ("sha256", "storage_key", "size")


@admin.register(models.Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("id", "file", "number", "doc_type", "doc_type_conf", "status", "attempts", "engine", "seconds")
    list_filter = ("status", "doc_type", "engine")
    exclude = ("lines",)


class FieldInline(admin.TabularInline):
    model = models.Field
    extra = 0


class RowLinkInline(admin.TabularInline):
    model = models.RowLink
    fk_name = "document"
    extra = 0
    readonly_fields = ("row", "case", "method", "reason")


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("public_id", "file", "pages", "doc_type", "doc_type_conf", "case", "review_status")
    list_filter = ("doc_type", "review_status")
    inlines = [FieldInline, RowLinkInline]


class FlagInline(admin.TabularInline):
    model = models.Flag
    extra = 0


@admin.register(models.Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("name", "stage", "evaluated_at")
    list_filter = ("stage",)
    search_fields = ("name", "id_number")
    inlines = [FlagInline]


@admin.register(models.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.TaskEvent)
class TaskEventAdmin(admin.ModelAdmin):
    list_display = ("at", "task", "event", "page_id", "file_id", "worker", "wait_seconds", "run_seconds", "outcome")
    list_filter = ("task", "event", "outcome")
    search_fields = ("task_id",)

    def has_change_permission(self, request, obj=None):
        return False
