"""A Celery job node for the open-source viewflow (the paid edition's `Job` is not available).

    recompute = CeleryJob(this.recompute_assessment).Next(this.end)

When the previous node completes, the task is SCHEDULED and a Celery message is sent once the
surrounding transaction commits (so the worker never sees a task that does not exist yet).
The worker runs the node's function under the flow lock, completes the task and activates the
next nodes; on failure it retries, and after the last retry the task is left in ERROR with the
exception recorded, where the UI shows it.
"""

from django.db import transaction
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Edge
from viewflow.workflow.flow import mixins, views
from viewflow.workflow.nodes import AbstractJob, AbstractJobActivation
from viewflow.workflow.status import STATUS


class CeleryJobActivation(AbstractJobActivation):
    @Activation.status.transition(source=STATUS.NEW, target=STATUS.SCHEDULED)
    def activate(self):
        from .tasks import run_flow_job

        self.task.save()
        task_pk, message_id = self.task.pk, self.task.external_task_id
        transaction.on_commit(lambda: run_flow_job.apply_async(args=[task_pk], task_id=message_id))


class CeleryJob(mixins.NodeDetailMixin, AbstractJob):
    """A step run by a Celery worker. It has a task page like every other node: the
    process page, the flow's task list and the neighbouring tasks' pages link to it."""

    activation_class = CeleryJobActivation
    index_view_class = views.IndexTaskView
    detail_view_class = views.DetailTaskView

    def __init__(self, func, max_retries: int = 3, retry_delay: int = 10, **kwargs):
        super().__init__(**kwargs)
        self._func = func
        self.max_retries = max_retries
        self.retry_delay = retry_delay

    def _resolve(self, instance):
        super()._resolve(instance)
        self._func = this.resolve(instance, self._func)

    def run(self, activation):
        self._func(activation)


class If(flow.If):
    """viewflow's If, with its chart's branches labelled in Chinese (是 / 否, not yes / no)."""

    def _outgoing(self):
        yield Edge(src=self, dst=self._on_true, edge_class="cond_true", label="是")
        yield Edge(src=self, dst=self._on_false, edge_class="cond_false", label="否")
