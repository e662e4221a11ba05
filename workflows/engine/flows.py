from viewflow.workflow import flow

from .locking import flow_lock
from .models import ScopedTask


class CaseFlow(flow.Flow):
    """Base of every flow: scoped tasks and the database-appropriate lock."""

    task_class = ScopedTask
    lock_impl = flow_lock
