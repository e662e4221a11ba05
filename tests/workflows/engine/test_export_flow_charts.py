"""export_flow_charts: one SVG per flow the site serves, drawing that flow's tasks."""

from xml.etree import ElementTree

from django.core.management import call_command

from config.urls import FLOWS

SVG = "{http://www.w3.org/2000/svg}svg"


def test_one_chart_per_flow_with_its_tasks(tmp_path):
    call_command("export_flow_charts", out=tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{flow.instance.flow_label}.svg" for flow in FLOWS)
    for flow in FLOWS:
        root = ElementTree.parse(tmp_path / f"{flow.instance.flow_label}.svg").getroot()
        assert root.tag == SVG
        assert int(root.get("width")) > 0
        assert int(root.get("height")) > 0
        drawn = "".join(root.itertext())
        titles = [str(node.task_title) for node in flow.instance.nodes() if node.task_title]
        assert titles, flow
        for title in titles:
            assert title in drawn, (flow, title)


def test_application_chart_shows_the_case_path(tmp_path):
    call_command("export_flow_charts", out=tmp_path)

    drawn = "".join(ElementTree.parse(tmp_path / "application.svg").getroot().itertext())
    for step in ("受理审查", "入户调查", "经济状况核对", "评估测算", "开始公示", "公示期满", "等待联审会议"):
        assert step in drawn


def test_a_gateways_branches_are_labelled_in_chinese(tmp_path):
    """viewflow labels an If's branches "yes" and "no": a caseworker reads 是 and 否."""
    call_command("export_flow_charts", out=tmp_path)

    texts = [text.strip() for text in ElementTree.parse(tmp_path / "application.svg").getroot().itertext() if text.strip()]
    assert "是" in texts and "否" in texts
    assert "yes" not in texts and "no" not in texts
