from viewflow import this
from viewflow.workflow import flow

from workflows.discovery import handoff as discovery_handoff
from workflows.engine.flows import CaseFlow
from workflows.policy import monitoring as rules

from . import services
from .models import MonitoringProcess
from .views import PlaceView

PLACE = "monitoring.place_signal"


class MonitoringFlow(CaseFlow):
    """A monitoring signal (M1) about someone whose household we do not know (not in our
    registry, or known only by ID number): the county officer finds the village → the village
    caseworker's visit follows as a discovery lead, which files an application or closes with a
    reason. Signals about known people go straight to a recheck or a lead (actions.py)."""

    process_class = MonitoringProcess
    process_title = "监测预警处置"
    process_description = "部门比对发现的困难群众不在本地档案中：县民政安排村（社区）入户核查"
    process_summary_template = "{{ process.summary }}"

    start = flow.StartHandle(this.open_place).Annotation(title="比对发现，待安排核查").Next(this.place)
    place = flow.View(PlaceView.as_view()).Annotation(title="安排入户核查").Permission(PLACE).Next(this.hand_over)
    hand_over = flow.Function(this.record_lead).Annotation(title="转主动发现，协理员入户核实").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def open_place(self, activation, signal, today):
        process = activation.process
        process.about(signal, f"{signal.name}：{signal.event_label}（{signal.feed.department.name}比对，待安排核查）", region_code=signal.region_code)
        process.count_due(today, services.action_working_days(), f"监测预警：{services.action_working_days()}个工作日内安排核查并处置")
        process.save()
        services.mark_open(signal)
        return process

    def record_lead(self, activation):
        signal = activation.process.signal
        signal.refresh_from_db()
        lead = discovery_handoff.record_lead_from(
            source=discovery_handoff.MONITORING,
            external_id=f"monitoring:{signal.event}:{signal.id_number}",
            village=signal.placed_village,
            person_name=signal.name,
            situation=services.situation(signal),
            user=services.actor(signal),
            id_number=signal.id_number,
            risk_signs=[rules.LEAD_RISK_SIGNS[signal.event]] if signal.event in rules.LEAD_RISK_SIGNS else [],
            due_working_days=services.action_working_days(),
        )
        services.mark_open(signal, lead=lead)
        process = activation.process
        process.summary = f"{signal.name}：{signal.event_label}（已转{signal.placed_village.name}入户核查）"[:200]
        process.save(update_fields=["summary"])
