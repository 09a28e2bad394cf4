// Package dashboard draws the charts of billing history, for the customer
// portal (and, later, the staff overview), with go-echarts: the options are
// built here on the server and drawn by the ECharts bundle the binary
// serves itself, so the charts work with no internet.
package dashboard

import (
	"html/template"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"

	"facturo/hooks/invoicing"
	"facturo/ui"
)

// AssetsPath is where the server serves the ECharts bundle.
const AssetsPath = "/portal/static/echarts/"

// Palette: the accent for what is settled, amber for what is owed, then
// darker reds as debts age.
var (
	paidColor = "#1d4f91"
	owedColor = "#f0b429"
	ageColors = []string{"#9aa5b1", "#f0b429", "#e07b00", "#c2410c", "#b42318"}
)

// initOpts sizes a chart to its container; id names it in the page and in
// the generated script, so it must be a JavaScript identifier.
func initOpts(id string) charts.GlobalOpts {
	return charts.WithInitializationOpts(opts.Initialization{
		ChartID: id, Width: "100%", Height: "320px", AssetsHost: AssetsPath, Renderer: "canvas",
	})
}

// Chart is a chart for a page: its element where it shows, its script after
// the ECharts bundle.
type Chart struct {
	Element, Script template.HTML
}

// MonthlyChart is a stacked bar per month: paid and still owed.
func MonthlyChart(lang string, months []invoicing.MonthTotal) Chart {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		initOpts("chartMonthly"),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithColorsOpts(opts.Colors{paidColor, owedColor}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "3%", Top: "24", Bottom: "48", ContainLabel: opts.Bool(true)}),
	)
	var labels []string
	var paid, owed []opts.BarData
	for _, m := range months {
		labels = append(labels, ui.FormatMonth(lang, m.Month))
		paid = append(paid, opts.BarData{Value: round2(m.Paid)})
		owed = append(owed, opts.BarData{Value: round2(m.Owed)})
	}
	stack := charts.WithBarChartOpts(opts.BarChart{Stack: "month"})
	bar.SetXAxis(labels).
		AddSeries(ui.T(lang, "dashboard.paid"), paid, stack).
		AddSeries(ui.T(lang, "dashboard.owed"), owed, stack)
	return chartOf(bar.RenderSnippet())
}

// AgeingChart is a bar per age bucket of what is still owed.
func AgeingChart(lang string, a invoicing.Ageing) Chart {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		initOpts("chartAgeing"),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "3%", Top: "24", Bottom: "24", ContainLabel: opts.Bool(true)}),
	)
	values := []float64{a.NotDue, a.Days1to30, a.Days31to60, a.Days61to90, a.Over90}
	keys := []string{"dashboard.age.not_due", "dashboard.age.1_30", "dashboard.age.31_60", "dashboard.age.61_90", "dashboard.age.over_90"}
	var labels []string
	var data []opts.BarData
	for i, v := range values {
		labels = append(labels, ui.T(lang, keys[i]))
		data = append(data, opts.BarData{Value: round2(v), ItemStyle: &opts.ItemStyle{Color: ageColors[i]}})
	}
	bar.SetXAxis(labels).AddSeries(ui.T(lang, "dashboard.owed"), data)
	return chartOf(bar.RenderSnippet())
}

// chartOf trusts go-echarts' output as HTML: it is generated from numbers
// the server computed and from the product's own translations.
func chartOf(s render.ChartSnippet) Chart {
	return Chart{Element: template.HTML(s.Element), Script: template.HTML(s.Script)}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// FunnelChart shows how far invoices got with their customers, stage by
// stage, as horizontal bars in the order things happen: the bars stay in
// that order whatever their values, which a funnel shape would not.
func FunnelChart(lang string, f invoicing.Funnel) Chart {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		initOpts("chartFunnel"),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "6%", Top: "8", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Inverse: opts.Bool(true)}),
	)
	stages := []struct {
		key   string
		value int
		color string
	}{
		{"funnel.sent", f.Sent, paidColor}, {"funnel.delivered", f.Delivered, paidColor},
		{"funnel.opened", f.Opened, "#9aa5b1"}, {"funnel.viewed", f.Viewed, paidColor},
		{"funnel.accepted", f.Accepted, "#1a7f37"}, {"funnel.rejected", f.Rejected, "#b42318"}, {"funnel.queried", f.Queried, owedColor},
	}
	var labels []string
	var data []opts.BarData
	for _, s := range stages {
		labels = append(labels, ui.T(lang, "dashboard."+s.key))
		data = append(data, opts.BarData{Value: s.value, ItemStyle: &opts.ItemStyle{Color: s.color}})
	}
	bar.SetXAxis(labels).AddSeries(ui.T(lang, "dashboard.invoices"), data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.XYReversal()
	return chartOf(bar.RenderSnippet())
}
