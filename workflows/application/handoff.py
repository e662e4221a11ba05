"""What other processes may do to an application's own process: the narrow door between them
(DESIGN §4.11). Flow layer: it moves the application's flow on."""

from viewflow.workflow.status import STATUS

from .flows import ApplicationFlow


def resume_after_review(application_ids: list[int]) -> int:
    """The review meeting decided these applications (M8): each one's 等待联审 task moves on,
    to its decision notice. An application not waiting there (already moved on) is left alone.
    Returns how many moved."""
    if not application_ids:
        return 0
    # Every case's waiting task in one query, rather than two per case.
    waiting = ApplicationFlow.task_class._default_manager.filter(
        flow_task=ApplicationFlow.await_review, status=STATUS.NEW, process__caseprocess__applicationprocess__application__in=application_ids
    ).order_by("pk")
    moved = 0
    for task in waiting:
        ApplicationFlow.await_review.run(task)
        moved += 1
    return moved
