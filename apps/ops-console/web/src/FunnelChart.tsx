import { BarChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

// Only the parts of ECharts the funnel uses, so the console's bundle stays small.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export interface FunnelSeries {
  name: string;
  values: number[];
}

/**
 * A grouped bar chart: one group per channel, one bar per funnel step. ECharts' aria component gives the canvas a
 * spoken description; the page also shows the same numbers as a table.
 */
export function FunnelChart({
  label,
  categories,
  series,
  locale,
}: {
  label: string;
  categories: string[];
  series: FunnelSeries[];
  locale: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const instance = echarts.init(element.current!, undefined, { locale: locale === "en" ? "EN" : "ZH" });
    chart.current = instance;
    const resize = () => instance.resize();
    addEventListener("resize", resize);
    return () => {
      removeEventListener("resize", resize);
      instance.dispose();
      chart.current = null;
    };
  }, [locale]);

  useEffect(() => {
    chart.current?.setOption(
      {
        aria: { enabled: true, label: { description: undefined } },
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 48, bottom: 32 },
        xAxis: { type: "category", data: categories },
        yAxis: { type: "value", minInterval: 1 },
        series: series.map((s) => ({ type: "bar", name: s.name, data: s.values })),
      },
      true,
    );
  }, [categories, series, locale]);

  return <div ref={element} className="ops-chart" role="img" aria-label={label} />;
}
