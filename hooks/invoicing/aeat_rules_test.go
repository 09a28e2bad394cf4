package invoicing_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/router"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/clock"
	"facturo/ui"
)

// TestIssueRefusesWhatTheAEATWouldRefuse: an invoice whose registration
// record the AEAT would refuse is not issued (no number is taken), and the
// refusal names the field and reads in the clerk's language. What the AEAT
// accepts is issued: an operation date after the issue date but not after
// today, an R3 to a customer in Spain, an issue date before today and not
// more than twenty years back.
func TestIssueRefusesWhatTheAEATWouldRefuse(t *testing.T) {
	today := clock.Today()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	for _, c := range []struct {
		name   string
		fields map[string]any
		field  string // the field refused; "" when the invoice is issued
		es, en string // words of the refusal in each language
	}{
		{"operation tomorrow", map[string]any{"operation_date": day(1)}, "operation_date", "posterior a hoy", "after today"},
		{"operation tomorrow, issued yesterday", map[string]any{"issue_date": day(-1), "operation_date": day(1)}, "operation_date", "posterior a hoy", "after today"},
		{"operation in a year", map[string]any{"operation_date": today.AddDate(1, 0, 0).Format(time.DateOnly)}, "operation_date", "posterior a hoy", "after today"},
		{"operation 21 years ago", map[string]any{"operation_date": today.AddDate(-21, 0, 0).Format(time.DateOnly)}, "operation_date", "más de veinte años", "twenty years"},
		{"operation today, issued a week ago", map[string]any{"issue_date": day(-7), "operation_date": day(0)}, "", "", ""},
		{"operation before the issue", map[string]any{"operation_date": day(-30)}, "", "", ""},
		{"operation on the issue day", map[string]any{"issue_date": day(0), "operation_date": day(0)}, "", "", ""},
		{"issued tomorrow", map[string]any{"issue_date": day(1)}, "issue_date", "fecha de expedición", "issue date"},
		{"issued tomorrow, operation tomorrow", map[string]any{"issue_date": day(1), "operation_date": day(1)}, "issue_date", "posterior a hoy", "after today"},
		{"issued in a year", map[string]any{"issue_date": today.AddDate(1, 0, 0).Format(time.DateOnly)}, "issue_date", "posterior a hoy", "after today"},
		{"issued yesterday", map[string]any{"issue_date": day(-1)}, "", "", ""},
		{"issued 21 years ago", map[string]any{"issue_date": today.AddDate(-21, 0, 0).Format(time.DateOnly)}, "issue_date", "más de veinte años", "twenty years"},
		{"issued twenty years ago and a day", map[string]any{"issue_date": today.AddDate(-20, 0, -1).Format(time.DateOnly)}, "issue_date", "fecha de expedición", "issue date"},
		{"issued twenty years ago to the day", map[string]any{"issue_date": today.AddDate(-20, 0, 0).Format(time.DateOnly)}, "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := apptest.New(t)
			// A series of its own: the world's series A has today's invoices,
			// and an invoice of a series is never dated before its last.
			c.fields["series"] = "T"
			d := draft(t, app, apptest.CustomerA, c.fields)
			_, err := invoicing.Issue(app, d.Id, invoicing.Actor{Email: apptest.StaffEmail})
			if c.field == "" {
				if err != nil {
					t.Fatalf("the AEAT accepts it, the issue refused it: %v", err)
				}
				return
			}
			checkRefusal(t, err, c.field, c.es, c.en)
			if again := find(t, app, invoicing.Invoices, d.Id); again.GetString("status") != invoicing.StatusDraft || again.GetString("number") != "" {
				t.Errorf("refused, yet %s %q", again.GetString("status"), again.GetString("number"))
			}
		})
	}
}

// TestBadDebtCorrectionOnlyToSpain: a correction for a bad debt (R3) to a
// customer abroad is refused when it is asked for and, if its code is set
// on the draft afterwards, when it is issued; to a customer in Spain it is
// issued.
func TestBadDebtCorrectionOnlyToSpain(t *testing.T) {
	app := apptest.New(t)
	if _, err := invoicing.Rectify(app, apptest.IssuedA, "R3", "Crédito incobrable"); err != nil {
		t.Fatalf("an R3 to a customer in Spain: %v", err)
	}

	b := find(t, app, invoicing.Customers, apptest.CustomerB)
	b.Set("country", "FR")
	b.Set("tax_id", "FR40303265045")
	if err := app.Save(b); err != nil {
		t.Fatal(err)
	}
	_, err := invoicing.Rectify(app, apptest.IssuedB, "R3", "Créance irrécouvrable")
	checkRefusal(t, err, "rectification_code", "fuera de España", "outside Spain")

	r, err := invoicing.Rectify(app, apptest.IssuedB, "R4", "Error de precio")
	if err != nil {
		t.Fatal(err)
	}
	r.Set("rectification_code", "R3")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	_, err = invoicing.Issue(app, r.Id, invoicing.Actor{Email: apptest.StaffEmail})
	checkRefusal(t, err, "rectification_code", "fuera de España", "outside Spain")
	if original := find(t, app, invoicing.Invoices, apptest.IssuedB); original.GetString("status") != "issued" {
		t.Errorf("the refused correction left the original %s", original.GetString("status"))
	}
	r.Set("rectification_code", "R4")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.Issue(app, r.Id, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Errorf("an R4 to a customer abroad: %v", err)
	}
}

// checkRefusal checks that err is a 400 naming field whose text, in
// Spanish and in English, has the words given.
func checkRefusal(t *testing.T, err error, field, es, en string) {
	t.Helper()
	var apiErr *router.ApiError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 {
		t.Fatalf("want a 400 naming %s, got %v", field, err)
	}
	if _, ok := apiErr.Data[field]; !ok {
		t.Errorf("the refusal names %v, want %s", apiErr.Data, field)
	}
	if got := ui.Message("es", err); !strings.Contains(got, es) {
		t.Errorf("in Spanish: %q, want %q in it", got, es)
	}
	if got := ui.Message("en", err); !strings.Contains(got, en) {
		t.Errorf("in English: %q, want %q in it", got, en)
	}
}
