package invoicing_test

import (
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

func TestPaymentsSettleAnInvoice(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	url := base + "/api/invoices/" + apptest.IssuedB + "/payments"

	res := call(t, "POST", url, apptest.Tokens.Staff, `{"amount":"100.00","paid_on":"`+apptest.Date(0)+`","method":"transfer","reference":"TRF 123"}`)
	if res.status != 201 {
		t.Fatalf("first payment: %d %s", res.status, res.body)
	}
	inv := find(t, app, invoicing.Invoices, apptest.IssuedB)
	if inv.GetString("payment") != "partial" || inv.GetFloat("paid_total") != 100 {
		t.Errorf("after 100 of 121: %s %v", inv.GetString("payment"), inv.GetFloat("paid_total"))
	}
	res = call(t, "POST", url, apptest.Tokens.Staff, `{"amount":21,"paid_on":"`+apptest.Date(3)+`"}`)
	if res.status != 201 {
		t.Fatalf("second payment: %d %s", res.status, res.body)
	}
	inv = find(t, app, invoicing.Invoices, apptest.IssuedB)
	if inv.GetString("payment") != "paid" || inv.GetFloat("paid_total") != 121 {
		t.Errorf("after 121 of 121: %s %v", inv.GetString("payment"), inv.GetFloat("paid_total"))
	}
	for typ, want := range map[string]int{"payment": 2, "paid": 1} {
		evs, err := app.FindRecordsByFilter(invoicing.Events, "invoice = {:id} && type = {:t}", "", 0, 0, map[string]any{"id": apptest.IssuedB, "t": typ})
		if err != nil || len(evs) != want {
			t.Errorf("%d %s events, want %d (%v)", len(evs), typ, want, err)
		}
	}

	payments := count(t, app, invoicing.Payments)
	res = call(t, "POST", url, apptest.Tokens.Staff, `{"amount":0.01}`)
	if res.status != 400 || !strings.Contains(res.body, "nothing left to pay") {
		t.Errorf("paying a settled invoice: %d %s", res.status, res.body)
	}
	if n := count(t, app, invoicing.Payments); n != payments {
		t.Errorf("a refused payment was written")
	}
}

func TestPaymentsRefuseBadInput(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	payments, events := count(t, app, invoicing.Payments), count(t, app, invoicing.Events)
	for _, tc := range []struct {
		id, token, body string
		status          int
		want            string
	}{
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":200}`, 400, "more than the 100.00 still owed"},
		{apptest.DraftA, apptest.Tokens.Staff, `{"amount":10}`, 400, "draft"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":0}`, 400, "more than zero"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":-5}`, 400, "more than zero"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":"ten"}`, 400, "amount"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":true}`, 400, "amount"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{}`, 400, "amount"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":10,"paid_on":"27/11/2026"}`, 400, "paid_on"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":10,"method":"bitcoin"}`, 400, "method"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":10,"paid_on":"` + apptest.Date(-1) + `"}`, 400, "cannot have been paid before"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":1e400}`, 400, "Invalid amount"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":"1e400"}`, 400, "Invalid amount"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":"NaN"}`, 400, "Invalid amount"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":"10.005"}`, 400, "more than two decimals"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":10.005}`, 400, "more than two decimals"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":10,"reference":"TRF\u0000 1"}`, 400, "control character"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":10,"reference":"` + strings.Repeat("x", 201) + `"}`, 400, "at most 200"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":10,"surprise":1}`, 400, "Unknown field surprise"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"amount":10`, 400, "Malformed JSON"},
		{apptest.IssuedA, apptest.Tokens.Staff, `not json`, 400, "Malformed JSON"},
		{apptest.IssuedA, apptest.Tokens.Staff, `{"reference":["a"],"amount":1}`, 400, "reference"},
		{"nosuchinvoice00", apptest.Tokens.Staff, `{"amount":10}`, 404, "No invoice"},
		{apptest.IssuedA, apptest.Tokens.ContactA, `{"amount":10}`, 403, ""},
		{apptest.IssuedA, "", `{"amount":10}`, 401, ""},
	} {
		res := call(t, "POST", base+"/api/invoices/"+tc.id+"/payments", tc.token, tc.body)
		if res.status != tc.status || !strings.Contains(res.body, tc.want) {
			t.Errorf("payment %s on %s: %d %s, want %d with %q", tc.body, tc.id, res.status, res.body, tc.status, tc.want)
		}
	}
	if count(t, app, invoicing.Payments) != payments || count(t, app, invoicing.Events) != events {
		t.Error("refused payments wrote records")
	}
	if inv := find(t, app, invoicing.Invoices, apptest.IssuedA); inv.GetFloat("paid_total") != 21 || inv.GetString("payment") != "partial" {
		t.Errorf("refused payments changed the invoice: %v %s", inv.GetFloat("paid_total"), inv.GetString("payment"))
	}
}
