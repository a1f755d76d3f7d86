"""SocialGov: the project package, its settings and the cross-cutting apps."""

from socialgov.celery import app as celery_app

__all__ = ("celery_app",)
