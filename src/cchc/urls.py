from __future__ import annotations

import importlib

from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cchc.api.urls import api
from cchc.core import views as core_views
from cchc.units import views as unit_views

admin.site.site_header = "Quản trị CCHC"
admin.site.site_title = "CCHC"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("account/", core_views.account, name="account"),
    path("account/tokens/", core_views.token_create, name="token-create"),
    path("account/tokens/<int:pk>/revoke/", core_views.token_revoke, name="token-revoke"),
    path("jobs/<int:pk>/", core_views.job_detail, name="job-detail"),
    path("units/", unit_views.unit_list, name="unit-list"),
    path("units/import/", unit_views.unit_import, name="unit-import"),
    path("units/<int:pk>/", unit_views.unit_detail, name="unit-detail"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

# Each app with a urls.py is mounted under its own prefix.
for app, prefix in [
    ("frameworks", "frameworks/"),
    ("evaluations", "evaluations/"),
    ("surveys", "surveys/"),
    ("dossiers", "dossiers/"),
    ("plans", "plans/"),
    ("reports", "reports/"),
    ("service_index", "service-index/"),
]:
    if not apps.is_installed(f"cchc.{app}"):
        continue
    module = importlib.import_module(f"cchc.{app}.urls")
    urlpatterns.append(path(prefix, include(module)))

urlpatterns += (
    static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) if settings.DEBUG else []
)
