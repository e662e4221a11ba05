"""Write the chart of every flow the site serves to docs/flows/<flow label>.svg.

viewflow draws a flow's BPMN-style chart itself (the chart page of every process); this
writes the same SVG to files, so that docs/architecture.md shows the flows as the code
declares them. Run it again after changing a flow and commit the files.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import URLResolver, get_resolver
from viewflow.workflow import chart
from viewflow.workflow.flow.viewset import WorkflowAppViewset


def served_flows() -> list:
    """The flow classes of the site's workflow menus, in menu order.

    Only the composition root (config) lists the flows, and nothing imports it: the list is read
    back from the URLconf Django serves, where each viewflow viewset marks its URL resolver.
    """
    found = []

    def walk(patterns):
        for pattern in patterns:
            if not isinstance(pattern, URLResolver):
                continue
            viewset = getattr(pattern, "extra", {}).get("viewset")
            if isinstance(viewset, WorkflowAppViewset):
                found.extend(flow for flow in viewset.flow_classes if flow not in found)
            walk(pattern.url_patterns)

    walk(get_resolver().url_patterns)
    return found


def flow_chart_svg(flow_class) -> str:
    """viewflow's chart of the flow, at its own size.

    viewflow sizes the chart to fill its page (100%); a file shown as an image in Markdown needs
    the drawing's width and height instead, or the viewer picks an arbitrary size.
    """
    grid = chart.calc_layout_data(flow_class)
    svg = chart.grid_to_svg(grid)
    return svg.replace('width="100%" height="100%"', f'width="{grid.width}" height="{grid.height}"', 1)


class Command(BaseCommand):
    help = "把每个流程的流程图导出为 SVG 文件（默认 docs/flows/<流程标识>.svg）。"

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=Path(settings.BASE_DIR) / "docs" / "flows", help="输出目录")

    def handle(self, *args, out: Path, **options):
        out.mkdir(parents=True, exist_ok=True)
        for flow_class in served_flows():
            path = out / f"{flow_class.instance.flow_label}.svg"
            path.write_text(flow_chart_svg(flow_class), encoding="utf-8")
            self.stdout.write(f"{path}  {flow_class.process_title}")
