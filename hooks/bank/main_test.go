package bank_test

import (
	"os"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/bank"
	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/banktest"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

// move is a movement of a statement the tests write.
type move = banktest.Move

// norma43 writes a one-account Norma 43 statement of the moves.
var norma43 = banktest.Norma43

// number is an invoice's number.
func number(t testing.TB, app core.App, id string) string {
	t.Helper()
	inv, err := app.FindRecordById(invoicing.Invoices, id)
	if err != nil {
		t.Fatal(err)
	}
	return inv.GetString("number")
}

// issue creates and issues an invoice of amount (VAT included at 21 %
// on a base of amount/1.21) for the customer, dated the test world's
// today, as its own invoices are.
func issue(t testing.TB, app core.App, customer, base string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"customer": customer, "issue_date": apptest.Date(0),
		"lines": `[{"description":"Servicio","quantity":1,"unit_price":"` + base + `","vat":21}]`})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	inv, err := invoicing.Issue(app, r.Id, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// counts counts what an import may write.
func counts(t testing.TB, app core.App) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, c := range []string{bank.Movements, invoicing.Payments, invoicing.Events} {
		n, err := app.CountRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		out[c] = n
	}
	return out
}

func owed(t testing.TB, app core.App, id string) (decimal.Decimal, string) {
	t.Helper()
	inv, err := app.FindRecordById(invoicing.Invoices, id)
	if err != nil {
		t.Fatal(err)
	}
	return decimal.NewFromFloat(inv.GetFloat("total")).Sub(decimal.NewFromFloat(inv.GetFloat("paid_total"))), inv.GetString("payment")
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
