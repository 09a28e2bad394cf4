// Package dashboard draws the charts of billing history, for the customer
// portal and the staff overview, on the server: a chart is SVG and HTML
// (the shared template "chart" writes it), which the browser draws as it
// reads the page, with no script to load or run, on a phone as on a
// desktop, printed or offline. Its bars hold their figures as tooltips,
// its axes write numbers the reader's way (1.234,56 in Spanish), and each
// chart comes with its figures as a table, for whoever cannot see it.
package dashboard

import (
	"math"
	"strings"

	"github.com/shopspring/decimal"

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

// Chart is a chart for a page (the shared template "chart" shows it): its
// drawing, worked out here in the drawing's own units (0 to 100 each way,
// which the page stretches to the chart's box), and the same figures as a
// table.
type Chart struct {
	ID    string // its element's id in the page
	Title string
	Alt   string // what the drawing is to assistive technology
	// Across: bars run left to right, one row each with its label and
	// figure beside it (the funnel); otherwise bars stand on a value axis.
	Across bool
	Ticks  []string  // the value axis' figures, from its low end up, evenly spaced
	Grid   []float64 // where their lines are drawn, from the top
	Bars   []Bar
	Legend []Key // the series, when there are several

	Columns []string // the table's head: what the rows are, then each series
	Rows    []Row
}

// Bar is a category of a chart (a month, an age, a stage): its label,
// its figure written out (beside a bar running across), and its parts, one
// per series.
type Bar struct {
	Label, Figure string
	// Named on a wide screen, and on a narrow one too: when months are many
	// only some are named, counted back from the latest.
	Named, NamedNarrow bool
	Parts              []Part
}

// Part is the rectangle of one series' figure in a bar, and its tooltip.
type Part struct {
	X, Y, W, H float64
	Color      string
	Tip        string
}

// Key is a series of the legend.
type Key struct{ Name, Color string }

// Row is a line of a chart's table: a label (a month, an age) and its
// figures, written the reader's way.
type Row struct {
	Label  string
	Values []string
}

// series is one set of figures of a chart, with its name and colours (one
// for all bars, or one per bar).
type series struct {
	name   string
	colors []string
	values []float64
}

func (s series) color(i int) string {
	if len(s.colors) == 1 {
		return s.colors[0]
	}
	return s.colors[i]
}

// MonthlyChart is a stacked bar per month: paid and still owed.
func MonthlyChart(lang string, months []invoicing.MonthTotal) Chart {
	labels := make([]string, len(months))
	paid, owed := series{name: ui.T(lang, "dashboard.paid"), colors: []string{paidColor}}, series{name: ui.T(lang, "dashboard.owed"), colors: []string{owedColor}}
	var rows []Row
	for i, m := range months {
		labels[i] = ui.FormatMonth(lang, m.Month)
		paid.values = append(paid.values, round2(m.Paid))
		owed.values = append(owed.values, round2(m.Owed))
		rows = append(rows, Row{labels[i], []string{amount(lang, m.Paid), amount(lang, m.Owed)}})
	}
	c := columns(lang, labels, []series{paid, owed}, func(v float64) string { return amount(lang, v) })
	c.Legend = []Key{{paid.name, paidColor}, {owed.name, owedColor}}
	return c.named(lang, "chartMonthly", "dashboard.monthly",
		[]string{ui.T(lang, "dashboard.month"), paid.name, owed.name}, rows)
}

// AgeingChart is a bar per age bucket of what is still owed.
func AgeingChart(lang string, a invoicing.Ageing) Chart {
	values := []float64{a.NotDue, a.Days1to30, a.Days31to60, a.Days61to90, a.Over90}
	keys := []string{"dashboard.age.not_due", "dashboard.age.1_30", "dashboard.age.31_60", "dashboard.age.61_90", "dashboard.age.over_90"}
	owed := series{name: ui.T(lang, "dashboard.owed"), colors: ageColors}
	var labels []string
	var rows []Row
	for i, v := range values {
		labels = append(labels, ui.T(lang, keys[i]))
		owed.values = append(owed.values, round2(v))
		rows = append(rows, Row{labels[i], []string{amount(lang, v)}})
	}
	c := columns(lang, labels, []series{owed}, func(v float64) string { return amount(lang, v) })
	return c.named(lang, "chartAgeing", "dashboard.ageing",
		[]string{ui.T(lang, "dashboard.age"), owed.name}, rows)
}

// FunnelChart shows how far invoices got with their customers, stage by
// stage, as bars running across in the order things happen: the bars stay
// in that order whatever their values, which a funnel shape would not.
func FunnelChart(lang string, f invoicing.Funnel) Chart {
	stages := []struct {
		key   string
		value int
		color string
	}{
		{"funnel.sent", f.Sent, paidColor}, {"funnel.delivered", f.Delivered, paidColor},
		{"funnel.opened", f.Opened, "#9aa5b1"}, {"funnel.viewed", f.Viewed, paidColor},
		{"funnel.accepted", f.Accepted, "#1a7f37"}, {"funnel.rejected", f.Rejected, "#b42318"}, {"funnel.queried", f.Queried, owedColor},
	}
	most := 0
	for _, s := range stages {
		most = max(most, s.value)
	}
	c := Chart{Across: true}
	var rows []Row
	for _, s := range stages {
		label, figure := ui.T(lang, "dashboard."+s.key), count(lang, s.value)
		width := 0.0
		if most > 0 {
			width = round2(100 * float64(s.value) / float64(most))
		}
		c.Bars = append(c.Bars, Bar{Label: label, Figure: figure, Named: true, NamedNarrow: true,
			Parts: []Part{{W: width, H: 100, Color: s.color, Tip: label + ": " + figure}}})
		rows = append(rows, Row{label, []string{figure}})
	}
	return c.named(lang, "chartFunnel", "app.funnel",
		[]string{ui.T(lang, "dashboard.stage"), ui.T(lang, "dashboard.invoices")}, rows)
}

// named gives the chart its element's id, its title (titleKey) and text
// alternative, and its table.
func (c Chart) named(lang, id, titleKey string, head []string, rows []Row) Chart {
	c.ID, c.Title = id, ui.T(lang, titleKey)
	c.Alt = strings.ReplaceAll(ui.T(lang, "dashboard.chart_alt"), "{title}", c.Title)
	c.Columns, c.Rows = head, rows
	return c
}

// columns draws bars standing on a value axis, one per label, each
// stacking its series' figures (positive ones up from zero, negative ones
// down), with tooltips written by write.
func columns(lang string, labels []string, all []series, write func(float64) string) Chart {
	low, high := 0.0, 0.0
	for i := range labels {
		up, down := 0.0, 0.0
		for _, s := range all {
			if v := s.values[i]; v >= 0 {
				up += v
			} else {
				down += v
			}
		}
		high, low = max(high, up), min(low, down)
	}
	ticks := scale(low, high)
	bottom, top := ticks[0], ticks[len(ticks)-1]
	y := func(v float64) float64 { return 100 - 100*(v-bottom)/(top-bottom) } // from the top, as SVG counts

	var c Chart
	for i, t := range ticks {
		c.Ticks = append(c.Ticks, tickLabel(lang, t, ticks))
		c.Grid = append(c.Grid, round2(100-100*float64(i)/float64(len(ticks)-1)))
	}
	wide, narrow := labelSteps(len(labels))
	band := 100 / float64(len(labels))
	width := band * 0.6
	if len(labels) <= 6 {
		width = band * 0.5
	}
	for i, label := range labels {
		fromLast := len(labels) - 1 - i
		bar := Bar{Label: label, Named: fromLast%wide == 0, NamedNarrow: fromLast%narrow == 0}
		up, down := 0.0, 0.0
		for _, s := range all {
			v := s.values[i]
			if v == 0 {
				continue
			}
			from := &up
			if v < 0 {
				from = &down
			}
			start, end := *from, *from+v
			*from = end
			bar.Parts = append(bar.Parts, Part{
				X: round2(band*float64(i) + (band-width)/2), W: round2(width),
				Y: round2(y(max(start, end))), H: round2(y(min(start, end)) - y(max(start, end))),
				Color: s.color(i), Tip: label + " · " + s.name + ": " + write(v),
			})
		}
		c.Bars = append(c.Bars, bar)
	}
	return c
}

// labelSteps is every how many bars one is named on a wide screen (about
// twelve names fit) and on a narrow one (three or four, the latest set
// against the right edge, and always among those of the wide screen).
func labelSteps(bars int) (wide, narrow int) {
	if bars <= 6 {
		return 1, 1 // few labels, which wrap under their bars
	}
	wide = (bars + 11) / 12
	perNarrow := (bars + wide*3 - 1) / (wide * 3)
	return wide, wide * perNarrow
}

// scale is the value axis of figures from low to high (low ≤ 0 ≤ high):
// about five even steps of 1, 2, 2.5 or 5 times a power of ten, from a multiple
// of the step at or under low to one at or over high, zero among them.
func scale(low, high float64) []float64 {
	if high-low <= 0 {
		high = 5 // nothing to show: a plain axis from 0 to 5
	}
	raw := (high - low) / 5
	power := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * power
	for _, f := range []float64{1, 2, 2.5, 5} {
		if f*power >= raw {
			step = f * power
			break
		}
	}
	var ticks []float64
	for i := math.Floor(low/step + 1e-9); ; i++ {
		t := i * step
		ticks = append(ticks, t)
		if t >= high-1e-9*step {
			return ticks
		}
	}
}

// tickLabel writes a figure of the value axis the reader's way, with as
// many decimals as the axis' step needs (none for whole steps).
func tickLabel(lang string, v float64, ticks []float64) string {
	places := int32(0)
	if len(ticks) > 1 {
		step := ticks[1] - ticks[0]
		for step*math.Pow(10, float64(places)) < 1-1e-9 && places < 6 {
			places++
		}
	}
	return ui.FormatDecimal(lang, decimal.NewFromFloat(v).Round(places))
}

// amount writes a sum of money of the charts the reader's way.
func amount(lang string, v float64) string {
	return ui.FormatMoney(lang, money.FromStored(v), money.Currency)
}

// count writes a number of invoices the reader's way.
func count(lang string, n int) string {
	return ui.FormatDecimal(lang, decimal.NewFromInt(int64(n)))
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
