from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cchc.api.urls import api
from cchc.core import views as core_views
from cchc.units import views as unit_views
from cchc.units.views_locks import login_locks_page

admin.site.site_header = "Quản trị CCHC"
admin.site.site_title = "CCHC"
# Django's admin bypasses every rule of units/permissions.py (subtree, role ceiling, frozen
# results), so it is for the platform's operators only; unit administrators manage their
# people from /units/people/ (issue 12, finding 2).
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    path("", unit_views.home, name="home"),
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
    path("units/people/", unit_views.people_list, name="people-list"),
    path("units/people/new/", unit_views.person_create, name="person-create"),
    path("units/people/<int:pk>/", unit_views.person_edit, name="person-edit"),
    path("units/people/<int:pk>/active/", unit_views.person_active, name="person-active"),
    path(
        "units/people/<int:pk>/assignments/",
        unit_views.person_assignment_add,
        name="person-assignment-add",
    ),
    path(
        "units/people/<int:pk>/assignments/<int:assignment_pk>/remove/",
        unit_views.person_assignment_remove,
        name="person-assignment-remove",
    ),
    path("units/login-locks/", login_locks_page, name="login-locks"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    # Outline reports (đề cương): an app of their own inside reports/, mounted before it.
    path("reports/outlines/", include("cchc.reports.outlines.urls")),
    # Each app with a urls.py under its own prefix.
    path("frameworks/", include("cchc.frameworks.urls")),
    path("evaluations/", include("cchc.evaluations.urls")),
    path("surveys/", include("cchc.surveys.urls")),
    path("dossiers/", include("cchc.dossiers.urls")),
    path("plans/", include("cchc.plans.urls")),
    path("reports/", include("cchc.reports.urls")),
    path("service-index/", include("cchc.service_index.urls")),
]

urlpatterns += (
    static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) if settings.DEBUG else []
)
