package invoicing_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// draft creates a draft for a customer through the model, as staff do in
// the admin dashboard.
func draft(t testing.TB, app core.App, customer string, fields map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("customer", customer)
	r.Set("lines", apptest.IssuedLines)
	r.Load(fields)
	if err := app.Save(r); err != nil {
		t.Fatalf("saving a draft: %v", err)
	}
	return r
}

func issue(t testing.TB, app core.App, id string) *core.Record {
	t.Helper()
	inv, err := invoicing.Issue(app, id, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatalf("issuing %s: %v", id, err)
	}
	return inv
}

func find(t testing.TB, app core.App, collection, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(collection, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func count(t testing.TB, app core.App, collection string) int64 {
	t.Helper()
	n, err := app.CountRecords(collection)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDraftLinesAreValidatedNamingLineAndField(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	before := count(t, app, invoicing.Invoices)
	res := call(t, "POST", base+records("invoices"), apptest.Tokens.Staff, `{"customer":"`+apptest.CustomerA+`","lines":[
		{"description":"Fine","quantity":1,"unit_price":10,"vat":21},
		{"description":"Zero","quantity":0,"unit_price":10,"vat":21},
		{"description":"Exempt","quantity":1,"unit_price":10,"vat":0},
		{"description":"Wrong surcharge","quantity":1,"unit_price":10,"vat":10,"surcharge":5.2},
		{"description":"","quantity":1,"unit_price":10,"vat":16,"withholding":12}]}`)
	if res.status != 400 {
		t.Fatalf("status %d, want 400: %s", res.status, res.body)
	}
	for _, want := range []string{"line 2, quantity", "line 3, vat_exemption", "line 4, surcharge", "line 5, description", "line 5, vat", "line 5, withholding"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the error does not name %q: %s", want, res.body)
		}
	}
	if strings.Contains(res.body, "line 1") {
		t.Errorf("the valid line 1 is blamed: %s", res.body)
	}
	if after := count(t, app, invoicing.Invoices); after != before {
		t.Errorf("a rejected draft was written: %d invoices, had %d", after, before)
	}
}

func TestBadDraftsAreRefusedAndNothingIsWritten(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	before := count(t, app, invoicing.Invoices)
	for _, tc := range []struct{ body, want string }{
		{`{"customer":"nosuchcustomer0","lines":[]}`, "customer"},
		{`{"customer":5}`, "customer"},
		{`{"customer":"` + apptest.CustomerA + `","lines":"not a list"}`, "lines"},
		{`{"customer":"` + apptest.CustomerA + `","lines":[{"description":"x","quantity":"two","unit_price":1,"vat":21}]}`, "line 1, quantity"},
		{`{"customer":"` + apptest.CustomerA + `","issue_date":"someday"}`, "issue_date"},
		{`{"customer":"` + apptest.CustomerA + `","rectifies":"` + apptest.DraftA + `","rectification_code":"R1"}`, "draft"},
		{`{"customer":"` + apptest.CustomerA + `"`, "JSON"},
	} {
		res := call(t, "POST", base+records("invoices"), apptest.Tokens.Staff, tc.body)
		if res.status != 400 || !strings.Contains(res.body, tc.want) {
			t.Errorf("creating %s: %d %s, want 400 naming %q", tc.body, res.status, res.body, tc.want)
		}
	}
	if after := count(t, app, invoicing.Invoices); after != before {
		t.Errorf("refused drafts were written: %d invoices, had %d", after, before)
	}
}

func TestDraftTotalsFollowItsLines(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	res := call(t, "POST", base+records("invoices"), apptest.Tokens.Staff, `{"customer":"`+apptest.CustomerA+`",
		"lines":[{"description":"Tornillos","quantity":"3","unit_price":"0.335","vat":21,"surcharge":5.2}]}`)
	if res.status != 200 {
		t.Fatalf("creating a draft: %d %s", res.status, res.body)
	}
	var created struct {
		ID                                string
		Status, Series, Delivery, Payment string
		Subtotal                          float64
		TaxTotal                          float64 `json:"tax_total"`
		SurchargeTotal                    float64 `json:"surcharge_total"`
		Total                             float64
	}
	decodeInto(t, res.body, &created)
	// 3 × 0.335 = 1.005 → 1.01; VAT 21 % → 0.2121 → 0.21; recargo 5.2 % → 0.05252 → 0.05.
	if created.Status != "draft" || created.Series != "A" || created.Delivery != "not_sent" || created.Payment != "unpaid" {
		t.Errorf("defaults: %+v", created)
	}
	if created.Subtotal != 1.01 || created.TaxTotal != 0.21 || created.SurchargeTotal != 0.05 || created.Total != 1.27 {
		t.Errorf("totals: %+v", created)
	}

	res = call(t, "PATCH", base+records("invoices")+"/"+created.ID, apptest.Tokens.Staff, `{"lines":[{"description":"Tornillos","quantity":10,"unit_price":2,"vat":10}]}`)
	if res.status != 200 || !strings.Contains(res.body, `"total":22`) {
		t.Errorf("editing the lines did not update the totals: %d %s", res.status, res.body)
	}
	res = call(t, "PATCH", base+records("invoices")+"/"+created.ID, apptest.Tokens.Staff, `{"total":1}`)
	if res.status != 400 || !strings.Contains(res.body, "computed from the lines") {
		t.Errorf("a total set by hand was accepted: %d %s", res.status, res.body)
	}
}

func TestIssueNumbersTotalsDatesAndChainsTheInvoice(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	previous := find(t, app, invoicing.Invoices, apptest.IssuedB)

	res := call(t, "POST", base+"/api/invoices/"+apptest.DraftA+"/issue", apptest.Tokens.Staff, "")
	if res.status != 200 {
		t.Fatalf("issue: %d %s", res.status, res.body)
	}
	inv := find(t, app, invoicing.Invoices, apptest.DraftA)
	year := inv.GetDateTime("issue_date").Time().Year()
	if got, want := inv.GetString("number"), fmt.Sprintf("A-%d-000003", year); got != want {
		t.Errorf("number %s, want %s (two A invoices were issued before)", got, want)
	}
	if inv.GetString("status") != "issued" || inv.GetFloat("total") != 121 || inv.GetFloat("tax_total") != 21 {
		t.Errorf("status %s, total %v, tax %v", inv.GetString("status"), inv.GetFloat("total"), inv.GetFloat("tax_total"))
	}
	if due, issued := inv.GetDateTime("due_date").Time(), inv.GetDateTime("issue_date").Time(); !due.Equal(issued.AddDate(0, 0, 30)) {
		t.Errorf("due date %v, want the issue date %v plus the customer's 30 days", due, issued)
	}
	if inv.GetString("prev_hash") != previous.GetString("hash") || inv.GetInt("chain_seq") != previous.GetInt("chain_seq")+1 {
		t.Errorf("not chained to the previous invoice: prev_hash %s, want %s", inv.GetString("prev_hash"), previous.GetString("hash"))
	}
	if len(inv.GetString("hash")) != 64 || inv.GetString("issuer_tax_id") != "B12345674" {
		t.Errorf("hash %q, issuer NIF %q", inv.GetString("hash"), inv.GetString("issuer_tax_id"))
	}
	ev, err := app.FindFirstRecordByFilter(invoicing.Events, "invoice = {:id} && type = 'issued'", map[string]any{"id": inv.Id})
	if err != nil || ev.GetString("actor_email") != apptest.StaffEmail || ev.GetString("ip") == "" {
		t.Errorf("no issued event with who and from where: %v %v", ev, err)
	}
	if report, err := invoicing.VerifyChain(app); err != nil || !report.OK() || report.Checked != 3 {
		t.Errorf("chain after issuing: %v %v", report, err)
	}
}

func TestIssueRefusesWhatCannotBeIssued(t *testing.T) {
	for _, tc := range []struct {
		name   string
		url    string
		token  string
		setup  func(t testing.TB, app *tests.TestApp) string // returns the invoice id to issue
		status int
		want   string
	}{
		{"issuing twice", "", apptest.Tokens.Staff, func(testing.TB, *tests.TestApp) string { return apptest.IssuedA }, 400, "already issued"},
		{"an unknown invoice", "", apptest.Tokens.Staff, func(testing.TB, *tests.TestApp) string { return "nosuchinvoice00" }, 404, "No invoice"},
		{"a contact", "", apptest.Tokens.ContactA, func(testing.TB, *tests.TestApp) string { return apptest.DraftA }, 403, ""},
		{"a draft without lines", "", apptest.Tokens.Staff, func(t testing.TB, app *tests.TestApp) string {
			return draft(t, app, apptest.CustomerA, map[string]any{"lines": "[]"}).Id
		}, 400, "at least one line"},
		{"a draft dated before the series' last invoice", "", apptest.Tokens.Staff, func(t testing.TB, app *tests.TestApp) string {
			return draft(t, app, apptest.CustomerA, map[string]any{"issue_date": apptest.Date(-40)}).Id
		}, 400, "cannot be dated earlier"},
		{"a due date before the issue date", "", apptest.Tokens.Staff, func(t testing.TB, app *tests.TestApp) string {
			return draft(t, app, apptest.CustomerA, map[string]any{"due_date": apptest.Date(-3)}).Id
		}, 400, "due date"},
		{"an issuer without NIF", "", apptest.Tokens.Staff, func(t testing.TB, app *tests.TestApp) string {
			issuer, _ := invoicing.LoadIssuer(app)
			issuer.Set("tax_id", "")
			if err := app.Save(issuer); err != nil {
				t.Fatal(err)
			}
			return apptest.DraftA
		}, 400, "tax_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := apptest.New(t)
			base := apptest.Serve(t, app)
			id := tc.setup(t, app)
			events := count(t, app, invoicing.Events)
			res := call(t, "POST", base+"/api/invoices/"+id+"/issue", tc.token, "")
			if res.status != tc.status || !strings.Contains(res.body, tc.want) {
				t.Errorf("status %d %s, want %d with %q", res.status, res.body, tc.status, tc.want)
			}
			if n := count(t, app, invoicing.Events); n != events {
				t.Errorf("a refused issue wrote %d events", n-events)
			}
			if c, err := app.FindFirstRecordByFilter(invoicing.SeriesCounters, "series = 'A'"); err != nil || c.GetInt("last") != 2 {
				t.Errorf("a refused issue moved the counter: %v", c)
			}
		})
	}
}

// TestConcurrentIssuesGetConsecutiveNumbers issues 50 drafts at once over
// HTTP; run it with -race too.
func TestConcurrentIssuesGetConsecutiveNumbers(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	const n = 50
	ids := make([]string, n)
	for i := range ids {
		ids[i] = draft(t, app, apptest.CustomerB, nil).Id
	}
	numbers := make([]string, n)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			res := call(t, "POST", base+"/api/invoices/"+id+"/issue", apptest.Tokens.Staff, "")
			if res.status != 200 {
				t.Errorf("issue %s: %d %s", id, res.status, res.body)
				return
			}
			var inv struct{ Number string }
			decodeInto(t, res.body, &inv)
			numbers[i] = inv.Number
		})
	}
	wg.Wait()
	sort.Strings(numbers)
	year := find(t, app, invoicing.Invoices, apptest.IssuedA).GetDateTime("issue_date").Time().Year()
	for i, got := range numbers {
		if want := fmt.Sprintf("A-%d-%06d", year, i+3); got != want {
			t.Fatalf("numbers are not consecutive: position %d is %q, want %q (all: %v)", i, got, want, numbers)
		}
	}
	if report, err := invoicing.VerifyChain(app); err != nil || !report.OK() || report.Checked != n+2 {
		t.Errorf("chain after concurrent issues: %v %v", report, err)
	}
}

func decodeInto(t testing.TB, body string, dst any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), dst); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
}
