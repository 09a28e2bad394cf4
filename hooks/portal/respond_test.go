package portal_test

import (
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

func post(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	r := apptest.Call(t, "POST", url, token, body)
	return r.Status, string(r.Body)
}

// TestApproverRejectsThenAccepts follows an approver who rejects an invoice
// for its prices, and later accepts it: each step is on the invoice, on its
// timeline with who did it, and emailed to staff.
func TestApproverRejectsThenAccepts(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("email_reply_to", "staff@firm.example")
	if err := app.Save(issuer); err != nil {
		t.Fatal(err)
	}
	url := base + "/api/invoices/" + apptest.IssuedA + "/respond"

	status, body := post(t, url, apptest.Tokens.ContactA, `{"action":"reject","reason":"PRI","correction":"CNP","note":"El precio no es el del presupuesto"}`)
	if status != 200 {
		t.Fatalf("reject: %d %s", status, body)
	}
	inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if inv.GetString("response") != "rejected" || inv.GetString("response_reason") != "PRI" || inv.GetString("response_action") != "CNP" ||
		inv.GetString("response_by") != apptest.ContactA || inv.GetDateTime("response_at").IsZero() ||
		inv.GetString("response_note") != "El precio no es el del presupuesto" {
		t.Errorf("the invoice does not record the rejection: %v", inv.FieldsData())
	}
	ev, err := app.FindFirstRecordByFilter(invoicing.Events, "invoice = {:id} && type = 'rejected'", dbx.Params{"id": apptest.IssuedA})
	if err != nil || ev.GetString("actor") != apptest.ContactA || !strings.Contains(ev.GetString("data"), `"reason":"PRI"`) {
		t.Errorf("no rejected event by the approver: %v", err)
	}
	last := apptest.LastMail(t, app)
	if apptest.MailCount(t, app) != 1 || last.To[0].Address != "staff@firm.example" ||
		!strings.Contains(last.Text, "Precios incorrectos") || !strings.Contains(last.Text, "Abonar parte del importe") {
		t.Errorf("staff were not told, in sentences (%d mails): %q", apptest.MailCount(t, app), last.Text)
	}

	if status, body := post(t, url, apptest.Tokens.ContactA, `{"action":"accept"}`); status != 200 {
		t.Fatalf("accept later: %d %s", status, body)
	}
	inv, _ = app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if inv.GetString("response") != "accepted" {
		t.Errorf("response %s after accepting", inv.GetString("response"))
	}
	for _, typ := range []string{"rejected", "accepted"} {
		if n, _ := app.CountRecords(invoicing.Events, dbx.HashExp{"invoice": apptest.IssuedA, "type": typ}); n != 1 {
			t.Errorf("%d %s events, want 1: every step stays on the timeline", n, typ)
		}
	}
}

func TestRespondIsForApproversOfTheCustomerOnly(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	for _, tc := range []struct {
		name, invoice, token, body string
		status                     int
		want                       string
	}{
		{"a guest", apptest.IssuedA, "", `{"action":"accept"}`, 401, ""},
		{"staff", apptest.IssuedA, apptest.Tokens.Staff, `{"action":"accept"}`, 401, ""},
		{"a viewer", apptest.IssuedA, apptest.Tokens.ViewerA, `{"action":"accept"}`, 403, "approvers"},
		{"another customer's approver", apptest.IssuedA, apptest.Tokens.ContactB, `{"action":"accept"}`, 404, ""},
		{"an approver on a draft", apptest.DraftA, apptest.Tokens.ContactA, `{"action":"accept"}`, 404, ""},
		{"an unknown invoice", "nosuchinvoice00", apptest.Tokens.ContactA, `{"action":"accept"}`, 404, ""},
		{"a rejection without reason", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"reject"}`, 400, "reason"},
		{"an unknown reason", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"reject","reason":"BAD"}`, 400, "reason"},
		{"an unknown correction", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"reject","reason":"PRI","correction":"XXX"}`, 400, "correction"},
		{"a question without text", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"query"}`, 400, "note"},
		{"an unknown action", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"maybe"}`, 400, "action"},
		{"an unknown field", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"accept","mood":"happy"}`, 400, "mood"},
		{"malformed JSON", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":`, 400, "Malformed JSON"},
	} {
		status, body := post(t, base+"/api/invoices/"+tc.invoice+"/respond", tc.token, tc.body)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s, want %d with %q", tc.name, status, body, tc.status, tc.want)
		}
	}
	inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if inv.GetString("response") != "none" {
		t.Errorf("a refused answer changed the invoice: %s", inv.GetString("response"))
	}
	if n, _ := app.CountRecords(invoicing.Events, dbx.NewExp("type IN ('accepted','rejected','queried')")); n != 0 {
		t.Errorf("refused answers wrote %d events", n)
	}
}
