"""API tokens: how programs (a scanner station, the bureau's case system) sign in to /api/."""
from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models


def hash_secret(secret: str) -> str:
    # The secret is 256 random bits, so a plain sha256 cannot be guessed back and lets a request
    # find its token with one indexed lookup (a salted password hash could not).
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token acting as its user, with that user's role. Only the hash of the secret is
    stored: the secret is shown once, when issued, and a lost one is revoked and issued anew."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("用途", max_length=100)
    key = models.CharField("密钥摘要", max_length=64, unique=True, editable=False)
    prefix = models.CharField("密钥前缀", max_length=8, editable=False)  # to tell tokens apart, never enough to use one
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked = models.BooleanField("已吊销", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def new_secret(self) -> str:
        """Give this (unsaved) token a fresh secret; returns the secret, which is not kept."""
        secret = secrets.token_urlsafe(32)
        self.key, self.prefix = hash_secret(secret), secret[:8]
        return secret


def issue_token(user, name: str) -> str:
    """A new token for the user; returns its secret, the only time it can be read."""
    token = ApiToken(user=user, name=name)
    secret = token.new_secret()
    token.save()
    return secret


class PageDisplay(models.Model):
    """How a stored page is shown: a reviewer's quarter turns (a landscape scan read sideways).
    Only the display turns: the original and the stored page image are never changed, and the
    field boxes, measured on the stored image, turn with it."""

    page = models.OneToOneField("records.Page", on_delete=models.CASCADE, related_name="display", verbose_name="页面")
    rotation = models.PositiveSmallIntegerField("显示旋转角度（顺时针）", default=0)  # 0, 90, 180, 270
    updated_by = models.CharField("设置人", max_length=150, blank=True)
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "页面显示方向"


class SavedView(models.Model):
    """A user's named view of the document list (文件): the list's filters, search and order, kept
    as the list's own query string (web/views/documents.py reads only the keys it knows)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views", verbose_name="用户")
    name = models.CharField("名称", max_length=60)
    query = models.CharField("条件", max_length=2000, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "常用视图"
        unique_together = [("user", "name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
