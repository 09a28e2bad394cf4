// The ECharts the pages draw with: bar charts on a grid, with tooltips,
// legends and text alternatives (aria), on canvas. Nothing else is shipped;
// a chart type or component the Go side starts using must be added here and
// the bundle rebuilt with build.sh.
import * as echarts from "echarts/core";
import { BarChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

window.echarts = echarts;
