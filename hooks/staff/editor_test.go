package staff_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/taxes"
	"facturo/internal/taxes/taxcases"
)

// totalsAnswer is the part of POST /app/totals the tests read.
type totalsAnswer struct {
	Lines        []string            `json:"lines"`
	Errors       []map[string]string `json:"errors"`
	Subtotal     string              `json:"subtotal"`
	Total        string              `json:"total"`
	Surcharge    string              `json:"surcharge"`
	Withholding  string              `json:"withholding"`
	Partial      bool                `json:"partial"`
	DueDate      string              `json:"due_date"`
	Taxes        []map[string]string `json:"taxes"`
	Withholdings []map[string]string `json:"withholdings"`
}

// postTotals asks the editor's route for the figures of lines, as the
// editor's script does, in English.
func postTotals(t *testing.T, b *apptest.Browser, body any) totalsAnswer {
	t.Helper()
	return postTotalsIn(t, b, "en", body)
}

func postTotalsIn(t *testing.T, b *apptest.Browser, lang string, body any) totalsAnswer {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, b.Base+"/app/totals?lang="+lang, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", b.CSRF("/app/"))
	p := b.Do(req)
	if p.Status != http.StatusOK {
		t.Fatalf("POST /app/totals: %d %s", p.Status, p.Body)
	}
	var a totalsAnswer
	if err := json.Unmarshal([]byte(p.Body), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// euros writes an amount the way the English pages do: €1,234.56.
func euros(s string) string {
	d := decimal.RequireFromString(s)
	sign := ""
	if d.IsNegative() {
		sign, d = "-", d.Neg()
	}
	whole, frac, _ := strings.Cut(d.StringFixed(2), ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + "€" + b.String() + "." + frac
}

// TestTheEditorsFiguresAreTheIssues: every hand-checked case of the totals
// tests, typed into the editor as a clerk types (numbers as text), gets
// from the server the line amounts and totals the issue computes.
func TestTheEditorsFiguresAreTheIssues(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	for _, tc := range taxcases.Totals {
		var lines []map[string]any
		dec := json.NewDecoder(strings.NewReader(tc.Lines))
		dec.UseNumber()
		if err := dec.Decode(&lines); err != nil {
			t.Fatal(err)
		}
		typed := make([]map[string]string, len(lines))
		for i, l := range lines {
			typed[i] = map[string]string{}
			for k, v := range l {
				typed[i][k] = fmt.Sprint(v)
			}
		}
		a := postTotals(t, b, map[string]any{"lines": typed})
		if a.Partial {
			t.Errorf("%s: lines refused: %v", tc.Name, a.Errors)
			continue
		}
		for i, want := range tc.Amounts {
			if a.Lines[i] != euros(want) {
				t.Errorf("%s: line %d is %s, want %s", tc.Name, i+1, a.Lines[i], euros(want))
			}
		}
		if a.Subtotal != euros(tc.Subtotal) || a.Total != euros(tc.Total) || a.Surcharge != euros(tc.Surcharge) ||
			a.Withholding != euros(decimal.RequireFromString(tc.Withholding).Neg().StringFixed(2)) {
			t.Errorf("%s: subtotal %s, surcharge %s, withholding %s, total %s; want %s, %s, -%s, %s", tc.Name,
				a.Subtotal, a.Surcharge, a.Withholding, a.Total, euros(tc.Subtotal), euros(tc.Surcharge), euros(tc.Withholding), euros(tc.Total))
		}
		if len(a.Withholdings) != len(tc.Withholdings) {
			t.Errorf("%s: %d withholding rows, want %d", tc.Name, len(a.Withholdings), len(tc.Withholdings))
		}
	}
}

// TestTheEditorReadsNumbersAsClerksWriteThem: Spanish decimals, problems
// named by line and field in the clerk's language, a line being typed
// left out of the totals without hiding the others, and the due date the
// customer's terms give.
func TestTheEditorReadsNumbersAsClerksWriteThem(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	a := postTotals(t, b, map[string]any{
		"customer":   apptest.CustomerB,
		"issue_date": apptest.Date(0),
		"lines": []map[string]string{
			{"description": "Horas", "quantity": "2,5", "unit_price": "40", "vat": "21"},
			{"description": "Material", "quantity": "0", "unit_price": "1.234", "vat": "21"},
			{"description": "Curso", "quantity": "1", "unit_price": "300", "vat": "0"},
			{"description": "", "quantity": "", "unit_price": "", "vat": "21"},
		},
	})
	if a.Lines[0] != "€100.00" || a.Lines[1] != "" || a.Total != "€121.00" || !a.Partial {
		t.Errorf("lines %q, total %s, partial %v", a.Lines, a.Total, a.Partial)
	}
	if a.Errors[1]["quantity"] != "Must not be zero." {
		t.Errorf("line 2's problems: %v", a.Errors[1])
	}
	if !strings.Contains(a.Errors[2]["vat_exemption"], "reason for the exemption") {
		t.Errorf("line 3's problems: %v", a.Errors[2])
	}
	if len(a.Errors[3]) != 0 {
		t.Errorf("an empty line has problems: %v", a.Errors[3])
	}
	// In Spanish 1.234 may be a thousand or a decimal: the clerk is asked.
	es := postTotalsIn(t, b, "es", map[string]any{"lines": []map[string]string{
		{"description": "Horas", "quantity": "2,5", "unit_price": "1.234", "vat": "21"},
		{"description": "Papel", "quantity": "1.000", "unit_price": "0,5", "discount": "10", "vat": "4", "surcharge": "0.5"},
	}})
	if !strings.Contains(es.Errors[0]["unit_price"], "ambiguo") || es.Lines[1] != "" || es.Total != "0,00 €" {
		t.Errorf("in Spanish: %v, %q, %s", es.Errors, es.Lines, es.Total)
	}
	if want := apptest.Date(60); a.DueDate != want {
		t.Errorf("due date %s, want %s (customer B's 60 days)", a.DueDate, want)
	}
}

// editorForm is the editor's form as a browser without scripts posts it.
func editorForm(csrf, customer string, lines ...[]string) url.Values {
	form := url.Values{"csrf": {csrf}, "customer": {customer}, "issue_date": {apptest.Date(0)}}
	for _, l := range lines {
		for i, f := range []string{"description", "quantity", "unit_price", "discount", "vat", "vat_exemption", "surcharge", "withholding"} {
			v := ""
			if i < len(l) {
				v = l[i]
			}
			form.Add("line."+f, v)
		}
	}
	return form
}

// TestANewInvoiceWithoutScripts: the form alone saves a draft, refuses
// bad lines beside them without writing anything, and issues and sends.
func TestANewInvoiceWithoutScripts(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	csrf := b.CSRF("/app/invoices/new")
	before, _ := app.CountRecords(invoicing.Invoices)

	bad := editorForm(csrf, apptest.CustomerA, []string{"Diseño", "1", "abc", "", "21"})
	bad.Set("action", "save")
	p := b.Post("/app/invoices/new?lang=es", bad)
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "Escriba un número, como 1234,56.") || !strings.Contains(p.Body, `value="Diseño"`) {
		t.Fatalf("a bad price: %d, the form does not say why or lost what was typed", p.Status)
	}
	if n, _ := app.CountRecords(invoicing.Invoices); n != before {
		t.Fatalf("a refused form wrote %d invoices", n-before)
	}

	good := editorForm(csrf, "", []string{"Diseño del catálogo", "1", "500", "", "21"}, []string{"Impresión", "200", "1,25", "10", "21", "", "5.2"}, []string{"", "", "", "", "21"})
	good.Set("customer_name", "B87654323") // typed, not picked: the one customer with this tax id
	good.Set("action", "save")
	p = b.Post("/app/invoices/new", good)
	if p.Status != http.StatusSeeOther || !strings.HasSuffix(p.Header.Get("Location"), "/edit?done=saved") {
		t.Fatalf("saving: %d %s", p.Status, p.Body)
	}
	id := strings.Split(p.Header.Get("Location"), "/")[3]
	draft, err := app.FindRecordById(invoicing.Invoices, id)
	if err != nil || draft.GetString("customer") != apptest.CustomerA || draft.GetString("status") != "draft" {
		t.Fatalf("the draft: %v %v", err, draft)
	}
	// 500 + 200 × 1.25 × 0.9 = 725; IVA 152.25; recargo 5.2 % of 225 = 11.70.
	if draft.GetFloat("total") != 888.95 {
		t.Errorf("the draft's total is %v, want 888.95", draft.GetFloat("total"))
	}
	edit := b.Get(p.Header.Get("Location") + "&lang=es")
	if !strings.Contains(edit.Body, "Borrador guardado.") || !strings.Contains(edit.Body, `value="1,25"`) || !strings.Contains(edit.Body, "888,95 €") {
		t.Errorf("the draft's editor does not show what was saved")
	}

	issue := editorForm(csrf, apptest.CustomerA, []string{"Diseño del catálogo", "1", "500", "", "21"})
	issue.Set("action", "issue_send")
	p = b.Post("/app/invoices/"+id+"/edit", issue)
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/app/invoices/"+id+"?done=issue_send" {
		t.Fatalf("issuing and sending: %d %s", p.Status, p.Body)
	}
	inv, _ := app.FindRecordById(invoicing.Invoices, id)
	if inv.GetString("status") != "issued" || inv.GetString("delivery") != "queued" || inv.GetFloat("total") != 605 {
		t.Errorf("after issue and send: %s, %s, total %v", inv.GetString("status"), inv.GetString("delivery"), inv.GetFloat("total"))
	}
	if n, _ := app.CountRecords("messages", dbx.HashExp{"invoice": id, "kind": "invoice"}); n != 1 {
		t.Errorf("%d invoice e-mails queued", n)
	}
	if p := b.Get("/app/invoices/" + id + "/edit"); p.Status != http.StatusSeeOther {
		t.Errorf("the editor of an issued invoice: %d", p.Status)
	}
}

// TestDraftsAreDuplicatedPreviewedAndDeleted: a draft's preview is a PDF
// marked as a draft; an issued invoice is duplicated into a new draft with
// its lines; a draft is deleted, an issued invoice never.
func TestDraftsAreDuplicatedPreviewedAndDeleted(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	csrf := b.CSRF("/app/")

	p := b.Get("/app/invoices/" + apptest.DraftA + "/preview.pdf")
	if p.Status != http.StatusOK || p.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(p.Body, "%PDF-") {
		t.Fatalf("the draft's preview: %d %s", p.Status, p.Header.Get("Content-Type"))
	}
	if p := b.Get("/app/invoices/" + apptest.IssuedA + "/preview.pdf"); p.Status != http.StatusNotFound {
		t.Errorf("the preview of an issued invoice: %d", p.Status)
	}
	form := editorForm(csrf, apptest.CustomerA, []string{"Consultoría", "3", "100", "", "21"})
	if p := b.Post("/app/invoices/preview", form); p.Status != http.StatusOK || !strings.HasPrefix(p.Body, "%PDF-") {
		t.Errorf("the preview of an unsaved form: %d", p.Status)
	}

	p = b.Post("/app/invoices/"+apptest.IssuedA+"/duplicate", url.Values{"csrf": {csrf}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("duplicating: %d %s", p.Status, p.Body)
	}
	copyID := strings.Split(p.Header.Get("Location"), "/")[3]
	dup, err := app.FindRecordById(invoicing.Invoices, copyID)
	issued, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if err != nil || dup.GetString("status") != "draft" || dup.GetString("number") != "" || dup.GetString("customer") != apptest.CustomerA {
		t.Fatalf("the copy: %v %v", err, dup)
	}
	a, _ := taxes.ParseLines([]byte(dup.GetString("lines")))
	o, _ := taxes.ParseLines([]byte(issued.GetString("lines")))
	if len(a) != len(o) || a[0].Description != o[0].Description {
		t.Errorf("the copy's lines %v, the original's %v", a, o)
	}

	if p := b.Post("/app/invoices/"+apptest.IssuedA+"/delete", url.Values{"csrf": {csrf}}); p.Status != http.StatusBadRequest {
		t.Errorf("deleting an issued invoice: %d", p.Status)
	}
	if p := b.Post("/app/invoices/"+copyID+"/delete", url.Values{"csrf": {csrf}}); p.Status != http.StatusSeeOther {
		t.Errorf("deleting a draft: %d", p.Status)
	}
	if _, err := app.FindRecordById(invoicing.Invoices, copyID); err == nil {
		t.Error("the deleted draft is still there")
	}
	if _, err := app.FindRecordById(invoicing.Invoices, apptest.IssuedA); err != nil {
		t.Error("the issued invoice is gone")
	}
}

// TestTheCustomerPickerLeavesArchivedCustomersOut: searching by a part of
// the name or the tax id finds the customer until it is archived.
func TestTheCustomerPickerLeavesArchivedCustomersOut(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	find := func(q string) string {
		var hits []struct{ ID string }
		_ = json.Unmarshal([]byte(b.Get("/app/customers/search?q="+url.QueryEscape(q)).Body), &hits)
		var ids []string
		for _, h := range hits {
			ids = append(ids, h.ID)
		}
		return strings.Join(ids, ",")
	}
	if got := find("alfa"); got != apptest.CustomerA {
		t.Errorf("searching alfa: %q", got)
	}
	if got := find("A2839"); got != apptest.CustomerB {
		t.Errorf("searching by tax id: %q", got)
	}
	c, _ := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	c.Set("archived", true)
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	if got := find("alfa"); got != "" {
		t.Errorf("an archived customer is offered: %q", got)
	}
}
