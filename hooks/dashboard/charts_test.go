package dashboard

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"facturo/hooks/invoicing"
	"facturo/ui"
)

// TestChartsWriteTheReadersNumbers: the value axis, the tooltips and the
// table write figures the reader's way, and the axis' steps need no more
// decimals than they have.
func TestChartsWriteTheReadersNumbers(t *testing.T) {
	month := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang, paid, tip, top string
	}{
		{"es", "1.234,50 €", "nov 2026 · Pagado: 1.234,50 €", "1.250"},
		{"en", "€1,234.50", "Nov 2026 · Paid: €1,234.50", "1,250"},
	} {
		c := MonthlyChart(tc.lang, []invoicing.MonthTotal{{Month: month, Paid: 1234.5, Owed: 10}})
		if got := c.Rows[0].Values[0]; got != tc.paid {
			t.Errorf("%s: the table writes %q, want %q", tc.lang, got, tc.paid)
		}
		if got := c.Bars[0].Parts[0].Tip; got != tc.tip {
			t.Errorf("%s: the tooltip reads %q, want %q", tc.lang, got, tc.tip)
		}
		if got := c.Ticks[len(c.Ticks)-1]; got != tc.top {
			t.Errorf("%s: the axis ends at %q, want %q (ticks %v)", tc.lang, got, tc.top, c.Ticks)
		}
		small := AgeingChart(tc.lang, invoicing.Ageing{NotDue: 0.3})
		if want := []string{"0", "0" + map[string]string{"es": ",", "en": "."}[tc.lang] + "1"}; !slices.Equal(small.Ticks[:2], want) {
			t.Errorf("%s: an axis in tenths reads %v", tc.lang, small.Ticks)
		}
		funnel := FunnelChart(tc.lang, invoicing.Funnel{Sent: 1234, Delivered: 617})
		if got, want := funnel.Bars[0].Figure, map[string]string{"es": "1.234", "en": "1,234"}[tc.lang]; got != want {
			t.Errorf("%s: the funnel writes %q, want %q", tc.lang, got, want)
		}
	}
}

// TestBarsAreAsTallAsTheirFigures: a bar reaches its figure on the axis,
// stacked parts sit on each other, a negative figure hangs under zero, and
// a bar across is as long as its share of the largest.
func TestBarsAreAsTallAsTheirFigures(t *testing.T) {
	month := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := MonthlyChart("es", []invoicing.MonthTotal{
		{Month: month, Paid: 300, Owed: 100},
		{Month: month.AddDate(0, 1, 0), Paid: 0, Owed: -50},
	})
	// Axis from -100 to 400 in steps of 100: zero is 80 from the top.
	if !slices.Equal(c.Ticks, []string{"-100", "0", "100", "200", "300", "400"}) {
		t.Fatalf("ticks %v", c.Ticks)
	}
	paid, owed := c.Bars[0].Parts[0], c.Bars[0].Parts[1]
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.02 }
	if !near(paid.Y+paid.H, 80) || !near(paid.H, 60) || !near(owed.Y+owed.H, paid.Y) || !near(owed.Y, 0) {
		t.Errorf("the stacked bar: paid %+v, owed %+v", paid, owed)
	}
	if len(c.Bars[1].Parts) != 1 || !near(c.Bars[1].Parts[0].Y, 80) || !near(c.Bars[1].Parts[0].H, 10) {
		t.Errorf("a negative figure: %+v", c.Bars[1].Parts)
	}
	if c.Bars[0].Parts[0].X+c.Bars[0].Parts[0].W > c.Bars[1].Parts[0].X {
		t.Error("two months' bars overlap")
	}
	funnel := FunnelChart("es", invoicing.Funnel{Sent: 40, Delivered: 30, Rejected: 0})
	if w := funnel.Bars[1].Parts[0].W; !near(w, 75) {
		t.Errorf("30 of 40 is drawn %v%% long", w)
	}
	if w := funnel.Bars[5].Parts[0].W; w != 0 {
		t.Errorf("nothing rejected is drawn %v%% long", w)
	}
	if empty := FunnelChart("es", invoicing.Funnel{}); empty.Bars[0].Parts[0].W != 0 {
		t.Error("an empty funnel draws a bar")
	}
	if nothing := AgeingChart("es", invoicing.Ageing{}); len(nothing.Ticks) < 2 || len(nothing.Bars[0].Parts) != 0 {
		t.Errorf("nothing owed: ticks %v, parts %v", nothing.Ticks, nothing.Bars[0].Parts)
	}
}

// TestManyMonthsNameSomeCountingBackFromTheLatest: the latest month is
// always named; a phone names fewer months, all of them among those a wide
// screen names.
func TestManyMonthsNameSomeCountingBackFromTheLatest(t *testing.T) {
	for _, n := range []int{1, 5, 12, 13, 24, 36} {
		months := make([]invoicing.MonthTotal, n)
		for i := range months {
			months[i] = invoicing.MonthTotal{Month: time.Date(2024, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC), Paid: 1}
		}
		c := MonthlyChart("en", months)
		wide, narrow := 0, 0
		for _, b := range c.Bars {
			if b.NamedNarrow && !b.Named {
				t.Errorf("%d months: %s is named on a phone only", n, b.Label)
			}
			if b.Named {
				wide++
			}
			if b.NamedNarrow {
				narrow++
			}
		}
		if last := c.Bars[n-1]; !last.Named || !last.NamedNarrow {
			t.Errorf("%d months: the latest is not named", n)
		}
		if wide > 12 || (n > 6 && narrow > 3) || wide < min(n, 6) {
			t.Errorf("%d months: %d named on a wide screen, %d on a phone", n, wide, narrow)
		}
	}
}

// TestTheChartIsOneImageWithItsFiguresBeside renders the template: the
// drawing is an image labelled for assistive technology, with no script,
// and every figure is in the table that follows it.
func TestTheChartIsOneImageWithItsFiguresBeside(t *testing.T) {
	page, err := ui.HTMLPage("es", "templates/shared/chart.html")
	if err != nil {
		t.Fatal(err)
	}
	c := AgeingChart("es", invoicing.Ageing{NotDue: 1200, Over90: 300})
	var out bytes.Buffer
	if err := page.ExecuteTemplate(&out, "chart", c); err != nil {
		t.Fatal(err)
	}
	html := out.String()
	for _, want := range []string{`<figure class="chart" id="chartAgeing" role="img" aria-label="Antigüedad de lo pendiente: gráfico de barras`,
		`<title>Más de 90 días · Pendiente: 300,00 €</title>`, `<th scope="row">Sin vencer</th><td class="num">1.200,00 €</td>`,
		`<span>1.250</span>`} {
		if !strings.Contains(html, want) {
			t.Errorf("the chart lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<script") {
		t.Error("the chart needs a script")
	}
}
