package staff_test

import (
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/toolcheck"
)

// TestADraftHasNoIssueDate: a draft not yet dated shows no date, never the
// zero time's 01/01/0001, in the lists, on its page, in the exports and in
// its preview.
func TestADraftHasNoIssueDate(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	draft, err := app.FindRecordById(invoicing.Invoices, apptest.DraftA)
	if err != nil {
		t.Fatal(err)
	}
	draft.Set("issue_date", "")
	draft.Set("due_date", "")
	if err := app.Save(draft); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"/app/invoices?state=draft", "/app/invoices?state=draft&lang=en", "/app/invoices/" + apptest.DraftA,
		"/app/invoices/" + apptest.DraftA + "?lang=en", "/app/customers/" + apptest.CustomerA,
		"/app/exports/invoices.csv?state=draft", "/app/exports/lines.csv",
	} {
		p := b.Get(path)
		if p.Status != 200 {
			t.Fatalf("%s: %d", path, p.Status)
		}
		for _, zero := range []string{"01/01/0001", "1 Jan 1 ", "1 Jan 1<", "0001-01-01", "01/01/01"} {
			if strings.Contains(p.Body, zero) {
				t.Errorf("%s shows the zero date (%q)", path, zero)
			}
		}
	}
	if !strings.Contains(b.Get("/app/invoices/"+apptest.DraftA).Body, "<td>—</td>") {
		t.Error("the draft's page does not mark its issue date as not set")
	}
	text := toolcheck.PDFText(t, []byte(b.Get("/app/invoices/"+apptest.DraftA+"/preview.pdf").Body))
	if strings.Contains(text, "01/01/0001") {
		t.Errorf("the draft's preview shows the zero date:\n%s", text)
	}
}
