"""Celery application for the scale-out job backend (ASPA_JOB_BACKEND=celery)."""

import os
import sys
from pathlib import Path

from celery import Celery

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("aspa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
