from django.contrib import admin, messages

from web.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    readonly_fields = ("prefix", "created_at", "last_used_at")  # the key (a hash) is never shown
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ("user", "name") if obj is None else ("user", "name", "prefix", "created_at", "last_used_at", "revoked")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else (*self.readonly_fields, "user")

    def save_model(self, request, obj, form, change):
        secret = None if change else obj.new_secret()
        super().save_model(request, obj, form, change)
        if secret:
            messages.warning(request, f"令牌“{obj.name}”的密钥（只显示这一次，请立即复制）：{secret}")

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        queryset.update(revoked=True)
