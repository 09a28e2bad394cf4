package dashboard_test

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"facturo/hooks/dashboard"
	"facturo/hooks/invoicing"
)

// TestChartsCarryTheReadersNumberFormat: every chart's element carries the
// separators its reader writes numbers with (charts.js writes the axes,
// bars and tooltips with them), its options hold the figures as plain
// numbers for the script to write, and its table writes them the same way.
func TestChartsCarryTheReadersNumberFormat(t *testing.T) {
	month := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang, thousands, decimal, paid string
	}{
		{"es", ".", ",", "1.234,50 €"},
		{"en", ",", ".", "€1,234.50"},
	} {
		for _, c := range []dashboard.Chart{
			dashboard.MonthlyChart(tc.lang, []invoicing.MonthTotal{{Month: month, Paid: 1234.5, Owed: 10}}),
			dashboard.AgeingChart(tc.lang, invoicing.Ageing{NotDue: 1234.5}),
			dashboard.FunnelChart(tc.lang, invoicing.Funnel{Sent: 1234}),
		} {
			el := string(c.Element)
			if got := attr(el, "data-thousands"); got != tc.thousands {
				t.Errorf("%s %s: data-thousands %q, want %q", tc.lang, c.Title, got, tc.thousands)
			}
			if got := attr(el, "data-decimal"); got != tc.decimal {
				t.Errorf("%s %s: data-decimal %q, want %q", tc.lang, c.Title, got, tc.decimal)
			}
			var options map[string]any
			if err := json.Unmarshal([]byte(attr(el, "data-echarts")), &options); err != nil {
				t.Fatalf("%s %s: the options: %v", tc.lang, c.Title, err)
			}
			series, _ := options["series"].([]any)
			first, _ := series[0].(map[string]any)
			data, _ := first["data"].([]any)
			point, _ := data[0].(map[string]any)
			if _, ok := point["value"].(float64); !ok {
				t.Errorf("%s %s: a figure is not a number for the script to write: %v", tc.lang, c.Title, point["value"])
			}
		}
		monthly := dashboard.MonthlyChart(tc.lang, []invoicing.MonthTotal{{Month: month, Paid: 1234.5}})
		if got := monthly.Rows[0].Values[0]; got != tc.paid {
			t.Errorf("%s: the table writes %q, want %q", tc.lang, got, tc.paid)
		}
	}
}

func attr(element, name string) string {
	m := regexp.MustCompile(` ` + name + `="([^"]*)"`).FindStringSubmatch(element)
	if m == nil {
		return ""
	}
	return html.UnescapeString(strings.TrimSpace(m[1]))
}
