package invoicing_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// form sends fields as the admin dashboard does: multipart, every field of
// the form present, the empty ones as empty strings.
func form(t *testing.T, method, url string, fields map[string]string) response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	req, _ := http.NewRequest(method, url, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", apptest.Tokens.Staff)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, string(b)}
}

// TestTheDashboardsFormsWork creates a customer and a draft the way the
// admin dashboard submits them, then edits an issued invoice the same way.
func TestTheDashboardsFormsWork(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)

	res := form(t, "POST", base+records("customers"), map[string]string{
		"name": "Épsilon S.L.", "email": "", "tax_id": "", "payment_terms_days": "", "country": "", "language": "", "notes": "",
	})
	if res.status != 200 || !strings.Contains(res.body, `"payment_terms_days":30`) {
		t.Errorf("a customer from the dashboard: %d %s", res.status, res.body)
	}

	empty := map[string]string{"customer": apptest.CustomerA, "lines": `[{"description":"Carteles","quantity":2,"unit_price":"6.40","vat":21}]`}
	for _, f := range []string{"series", "issue_date", "operation_date", "due_date", "currency", "notes", "external_id", "rectifies",
		"rectification_code", "rectification_reason", "number", "subtotal", "tax_total", "surcharge_total", "withholding_total", "total",
		"taxes", "issuer_tax_id", "hash", "prev_hash", "hashed_at", "chain_seq", "issued_at", "status", "delivery", "opened_at",
		"viewed_at", "response", "response_reason", "response_action", "response_note", "response_by", "response_at", "payment", "paid_total"} {
		empty[f] = ""
	}
	res = form(t, "POST", base+records("invoices"), empty)
	if res.status != 200 || !strings.Contains(res.body, `"status":"draft"`) || !strings.Contains(res.body, `"total":15.49`) {
		t.Errorf("a draft from the dashboard: %d %s", res.status, res.body)
	}

	res = form(t, "PATCH", base+records("invoices")+"/"+apptest.IssuedA, map[string]string{"notes": "changed in the dashboard"})
	if res.status != 400 || !strings.Contains(res.body, "frozen (notes)") {
		t.Errorf("editing an issued invoice in the dashboard: %d %s", res.status, res.body)
	}
	if got := find(t, app, invoicing.Invoices, apptest.IssuedA).GetString("notes"); got != "" {
		t.Errorf("the issued invoice's notes became %q", got)
	}
}
