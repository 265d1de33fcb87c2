"""The libraries' apps under Vietnamese names: their sections of the administration site
read "AXES" and "TASKS DATABASE BACKEND" (issue 15: admin headings in English). Same
apps, same labels and tables; only the name a person reads changes. Their models' names
are translated in locale/vi (django.po)."""

from __future__ import annotations

from axes.apps import AppConfig as _AxesConfig
from django_tasks_db.apps import TasksAppConfig as _TasksAppConfig


class AxesConfig(_AxesConfig):
    verbose_name = "Khóa đăng nhập (đăng nhập sai nhiều lần)"


class TasksDatabaseConfig(_TasksAppConfig):
    verbose_name = "Tác vụ chạy nền"
