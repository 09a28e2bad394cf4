package invoicing_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/ui"
)

// TestRefusalsAnswerTheAPIInEnglishAndThePagesInTheirReadersLanguage: a
// refusal of the invoicing rules answers a REST client exactly as it always
// did (status, English message, field data, nothing more), while the same
// error, met by the workspace or the portal, is written in Spanish from its
// catalogue key.
func TestRefusalsAnswerTheAPIInEnglishAndThePagesInTheirReadersLanguage(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	number := a.GetString("number")
	for _, tc := range []struct {
		name, path, token, body string
		want                    map[string]any
	}{
		{"overpayment", apptest.IssuedA + "/payments", apptest.Tokens.Staff, `{"amount":200}`, map[string]any{
			"status": 400.0, "message": "The payment of 200.00 is more than the 100.00 still owed on invoice " + number + ".",
			"data": map[string]any{"amount": map[string]any{"code": "validation_max", "message": "Is more than is owed."}},
		}},
		{"a draft paid", apptest.DraftA + "/payments", apptest.Tokens.Staff, `{"amount":10}`, map[string]any{
			"status": 400.0, "message": "A draft cannot be paid; issue it first.", "data": map[string]any{},
		}},
		{"a void without reason", apptest.IssuedA + "/void", apptest.Tokens.Staff, `{}`, nil},
		{"a draft voided", apptest.DraftA + "/void", apptest.Tokens.Staff, `{"reason":"wrong"}`, map[string]any{
			"status": 400.0, "message": "A draft is not voided; delete it or edit it.", "data": map[string]any{},
		}},
		{"a bad rectification code", apptest.IssuedA + "/rectify", apptest.Tokens.Staff, `{"code":"R9","reason":"x"}`, nil},
		{"an issued invoice issued", apptest.IssuedA + "/issue", apptest.Tokens.Staff, `{}`, map[string]any{
			"status": 400.0, "message": "Invoice " + number + " is already issued.", "data": map[string]any{},
		}},
		{"a rejection without reason", apptest.IssuedA + "/respond", apptest.Tokens.ContactA, `{"action":"reject"}`, map[string]any{
			"status": 400.0, "message": "A rejection needs its reason.",
			"data": map[string]any{"reason": map[string]any{"code": "validation_invalid",
				"message": "Choose one of " + strings.Join(invoicing.StatusReasons, ", ") + "."}},
		}},
	} {
		res := call(t, "POST", base+"/api/invoices/"+tc.path, tc.token, tc.body)
		var got map[string]any
		if err := json.Unmarshal([]byte(res.body), &got); err != nil || res.status != 400 {
			t.Errorf("%s: %d %s", tc.name, res.status, res.body)
			continue
		}
		if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: the API answers\n%s\nwant\n%v", tc.name, res.body, tc.want)
		}
		if msg, _ := got["message"].(string); msg == "" || !isASCII(msg) {
			t.Errorf("%s: the API's message %q is not its English one", tc.name, msg)
		}
	}

	_, err := invoicing.RecordPayment(app, apptest.IssuedA, invoicing.Payment{Amount: decimal.RequireFromString("200")}, invoicing.Actor{Email: apptest.StaffEmail})
	if got, want := ui.Message("es", err), "El cobro de 200,00 € supera los 100,00 € que aún se deben de la factura "+number+"."; got != want {
		t.Errorf("the overpayment in Spanish: %q, want %q", got, want)
	}
	_, err = invoicing.Void(app, apptest.DraftA, "mal", invoicing.Actor{Email: apptest.StaffEmail})
	if got := ui.Message("es", err); got != "Un borrador no se anula: bórrelo o modifíquelo." {
		t.Errorf("voiding a draft in Spanish: %q", got)
	}
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > 127 {
			return false
		}
	}
	return true
}
