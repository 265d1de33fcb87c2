"""Who may see and do what, in one place. Pages and the API call these and nothing else.

- officer, head: their own unit (read its subtree, change only the unit itself); a head
  also submits the unit's work;
- appraiser: the units assigned to them, plus their own unit's subtree for reading;
- administrator: everything under their own unit (a provincial Sở Nội vụ sees the province);
- a superuser is an administrator of everything.

The rules are written in three modules of this package, by what they are about, and all
answer from here:

- access.py: units (roles, `can`, `require`, the fetch of a unit, shared catalogues, jobs,
  unit placement, the level above a unit); who sees a background job is core's rule
  (cchc.core.jobs.job_for), answered from here too;
- access_people.py: people, the roles one may grant, appraisal assignments;
- access_objects.py: the permission-scoped fetches of every app's objects (`x_for(user, id,
  action)`) and the lists a person may see.
"""

from __future__ import annotations

from cchc.core.jobs import NOT_YOUR_JOB, job_for  # noqa: F401 (a job is its starter's)
from cchc.units.access import (  # noqa: F401 (this module is the access layer's one entry point)
    ACTION_LABELS,
    FORBIDDEN_UNIT,
    NO_ROOT,
    NOT_ADMINISTRATOR,
    NOT_FOUND,
    NOT_LEVEL_ABOVE,
    NOT_SIGNED_IN,
    ONLY_ADMINISTRATORS,
    PARENT_CYCLE,
    PARENT_NOT_YOURS,
    UNIT_NOT_YOURS,
    Action,
    acting_unit,
    assigned_unit_ids,
    can,
    can_manage_children,
    get_unit_for,
    group_scope,
    home_unit,
    is_administrator,
    level_above_for,
    may_change_shared,
    may_import_dossiers,
    require,
    require_action,
    require_administrator,
    require_level_above,
    roles_of,
    unit_placement_error,
    visible_units,
)
from cchc.units.access_objects import (  # noqa: F401 (this module is the access layer's one entry point)
    NOT_CALLER,
    NOT_FOUND_DOSSIER,
    NOT_FOUND_FEEDBACK,
    NOT_FOUND_OUTLINE_REPORT,
    NOT_FOUND_OUTLINE_UNIT,
    NOT_FOUND_REPORT,
    NOT_FOUND_REPORT_FILE,
    NOT_IN_INSPECTION,
    NOT_ORGANISER,
    NOT_ORGANISER_DUTY,
    OUTLINE_ACTIONS,
    OUTLINE_FORBIDDEN,
    call_for,
    calls_visible,
    can_administer,
    can_manage_inspection,
    can_open_inspection,
    cycle_for,
    cycle_unit_for,
    cycle_units_for,
    cycles_for,
    dossier_for,
    duty_for,
    evidence_for,
    feedback_for,
    inspection_for,
    inspection_units_visible,
    inspections_visible,
    item_for,
    member_for,
    outline_allowed,
    outline_report_for,
    outline_unit_for,
    plan_for,
    recommendation_for,
    registration_for,
    report_file_for,
    report_for,
    score_for,
)
from cchc.units.access_people import (  # noqa: F401 (this module is the access layer's one entry point)
    ASSIGN_NOT_APPRAISER,
    NOT_YOURSELF,
    PERSON_NOT_FOUND,
    PERSON_NOT_YOURS,
    ROLE_ABOVE_OWN,
    ROLE_RANK,
    UNIT_OUTSIDE,
    administered_units,
    assignment_error,
    assignment_for,
    grantable_roles,
    person_error,
    person_for,
)
