package imports_test

import (
	"strings"
	"testing"

	"facturo/hooks/imports"
	"facturo/internal/apptest"
)

// TestFileCheckRefusesDatesTheAEATRefuses: the file check (a dry run, as
// the workspace's upload does by default) refuses an invoice dated after
// the world's today or more than twenty years back, and an operation date
// the issue would refuse, at the row and column, in the reader's language,
// by the issue's own rule; the import itself writes nothing. Dates the
// AEAT accepts pass.
func TestFileCheckRefusesDatesTheAEATRefuses(t *testing.T) {
	header := "external_id,customer_tax_id,issue_date,operation_date,line_description,quantity,unit_price,vat\n"
	row := func(id, issue, operation string) string {
		return id + ",B87654323," + issue + "," + operation + ",Servicio,1,100,21\n"
	}
	longAgo := func(years, days int) string { return apptest.Today().AddDate(-years, 0, days).Format("2006-01-02") }
	for _, c := range []struct {
		name, issue, operation string
		column                 string // the column refused; "" when the row passes
		es, en                 string // words of the refusal in each language
	}{
		{"issued tomorrow", apptest.Date(1), "", "issue_date", "posterior a hoy", "after today"},
		{"issued in a year", longAgo(-1, 0), "", "issue_date", "posterior a hoy", "after today"},
		{"issued 21 years ago", longAgo(21, 0), "", "issue_date", "más de veinte años", "twenty years"},
		{"issued tomorrow, operation today", apptest.Date(1), apptest.Date(0), "issue_date", "fecha de expedición", "issue date"},
		{"operation tomorrow", apptest.Date(0), apptest.Date(1), "operation_date", "fecha de operación", "operation date"},
		{"operation 21 years ago", apptest.Date(-3), longAgo(21, 0), "operation_date", "más de veinte años", "twenty years"},
		{"issued today", apptest.Date(0), "", "", "", ""},
		{"issued yesterday, operation a week before", apptest.Date(-1), apptest.Date(-8), "", "", ""},
		{"issued twenty years ago to the day", longAgo(20, 0), "", "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := apptest.New(t)
			before, err := app.CountRecords("invoices")
			if err != nil {
				t.Fatal(err)
			}
			// Row 2 is fine, row 3 is the case's.
			file := []byte(header + row("BIEN-1", apptest.Date(-1), "") + row("FECHA-1", c.issue, c.operation))
			for _, lang := range []string{"es", "en"} {
				s := run(t, app, "fechas.csv", file, imports.Options{DryRun: true, Lang: lang})
				words := map[string]string{"es": c.es, "en": c.en}[lang]
				switch {
				case c.column == "" && len(s.Errors) > 0:
					t.Errorf("%s: the AEAT accepts it, the check refused it: %+v", lang, s.Errors)
				case c.column != "" && (len(s.Errors) != 1 || s.Errors[0].Row != 3 || s.Errors[0].Column != c.column):
					t.Errorf("%s: want one error at row 3, %s; got %+v", lang, c.column, s.Errors)
				case c.column != "" && !strings.Contains(s.Errors[0].Message, words):
					t.Errorf("%s: %q does not say %q", lang, s.Errors[0].Message, words)
				}
			}
			if c.column == "" {
				return
			}
			s := run(t, app, "fechas.csv", file, imports.Options{Lang: "es"})
			if len(s.Errors) != 1 || s.Created != 0 {
				t.Errorf("the import: %d errors, %d created; want the row refused and nothing written", len(s.Errors), s.Created)
			}
			if n, err := app.CountRecords("invoices"); err != nil || n != before {
				t.Errorf("%d invoices after a refused import (%v), want the %d before", n, err, before)
			}
		})
	}
}
