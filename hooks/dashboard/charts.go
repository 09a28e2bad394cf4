// Package dashboard draws the charts of billing history, for the customer
// portal and the staff overview, with go-echarts: the options are built
// here on the server and drawn by the ECharts bundle the binary serves
// itself (ui/static/charts.js starts them), so the charts work with no
// internet. Each chart comes with its figures as a table, for whoever
// cannot see it.
package dashboard

import (
	"encoding/json"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"facturo/hooks/invoicing"
	"facturo/internal/money"
	"facturo/ui"
)

// Palette: the accent for what is settled, amber for what is owed, then
// darker reds as debts age.
var (
	paidColor = "#1d4f91"
	owedColor = "#f0b429"
	ageColors = []string{"#9aa5b1", "#f0b429", "#e07b00", "#c2410c", "#b42318"}
)

// initOpts names a chart: id is its element's id in the page.
func initOpts(id string) charts.GlobalOpts {
	return charts.WithInitializationOpts(opts.Initialization{ChartID: id})
}

// Chart is a chart for a page (the shared template "chart" shows it): its
// element, which carries its options for charts.js to draw, and the same
// figures as a table.
type Chart struct {
	Element template.HTML
	Title   string
	Columns []string // the table's head: what the rows are, then each series
	Rows    []Row
}

// Row is a line of a chart's table: a label (a month, an age) and its
// figures, written the reader's way.
type Row struct {
	Label  string
	Values []string
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
	var rows []Row
	for _, m := range months {
		label := ui.FormatMonth(lang, m.Month)
		labels = append(labels, label)
		paid = append(paid, opts.BarData{Value: round2(m.Paid)})
		owed = append(owed, opts.BarData{Value: round2(m.Owed)})
		rows = append(rows, Row{label, []string{amount(lang, m.Paid), amount(lang, m.Owed)}})
	}
	stack := charts.WithBarChartOpts(opts.BarChart{Stack: "month"})
	bar.SetXAxis(labels).
		AddSeries(ui.T(lang, "dashboard.paid"), paid, stack).
		AddSeries(ui.T(lang, "dashboard.owed"), owed, stack)
	return chartOf(lang, "chartMonthly", "dashboard.monthly", bar, []string{
		ui.T(lang, "dashboard.month"), ui.T(lang, "dashboard.paid"), ui.T(lang, "dashboard.owed"),
	}, rows)
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
	var rows []Row
	for i, v := range values {
		labels = append(labels, ui.T(lang, keys[i]))
		data = append(data, opts.BarData{Value: round2(v), ItemStyle: &opts.ItemStyle{Color: ageColors[i]}})
		rows = append(rows, Row{labels[i], []string{amount(lang, v)}})
	}
	bar.SetXAxis(labels).AddSeries(ui.T(lang, "dashboard.owed"), data)
	return chartOf(lang, "chartAgeing", "dashboard.ageing", bar, []string{ui.T(lang, "dashboard.age"), ui.T(lang, "dashboard.owed")}, rows)
}

// chartOf makes the page's chart of bar, with id as its element's id and
// titleKey naming it: the element is an image to assistive technology,
// labelled with the title and pointing at the table of figures that
// follows it, and carries the options as JSON (without the parts of
// go-echarts' defaults that the shipped bundle does not draw) and the
// reader's number separators, with which charts.js writes the figures on
// the axes, the bars and the tooltips as the table below writes them.
func chartOf(lang, id, titleKey string, bar *charts.Bar, columns []string, rows []Row) Chart {
	bar.Validate()
	options := bar.JSON()
	delete(options, "title")
	delete(options, "toolbox")
	title := ui.T(lang, titleKey)
	alt := strings.ReplaceAll(ui.T(lang, "dashboard.chart_alt"), "{title}", title)
	options["aria"] = map[string]any{"enabled": true, "label": map[string]any{"description": alt}}
	js, err := json.Marshal(options)
	if err != nil {
		panic(err) // numbers and strings only
	}
	thousands, point := ui.NumberSeparators(lang)
	element := `<div class="item" id="` + id + `" role="img" aria-label="` + html.EscapeString(alt) +
		`" data-echarts="` + html.EscapeString(string(js)) +
		`" data-thousands="` + html.EscapeString(thousands) + `" data-decimal="` + html.EscapeString(point) + `"></div>`
	return Chart{Element: template.HTML(element), Title: title, Columns: columns, Rows: rows}
}

// amount writes a sum of money of the charts the reader's way.
func amount(lang string, v float64) string {
	return ui.FormatMoney(lang, money.FromStored(v), money.Currency)
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
	var rows []Row
	for _, s := range stages {
		labels = append(labels, ui.T(lang, "dashboard."+s.key))
		data = append(data, opts.BarData{Value: s.value, ItemStyle: &opts.ItemStyle{Color: s.color}})
		rows = append(rows, Row{labels[len(labels)-1], []string{strconv.Itoa(s.value)}})
	}
	bar.SetXAxis(labels).AddSeries(ui.T(lang, "dashboard.invoices"), data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.XYReversal()
	return chartOf(lang, "chartFunnel", "app.funnel", bar, []string{ui.T(lang, "dashboard.stage"), ui.T(lang, "dashboard.invoices")}, rows)
}
