package bank_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/apptest"
	"facturo/hooks/bank"
	"facturo/hooks/invoicing"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

// credit and debit are movements of a statement the tests write.
type move struct {
	cents   int64 // credits positive
	concept string
	ref     string
}

// norma43 writes a one-account Norma 43 statement of the moves, with the
// footer's counts and totals right.
func norma43(moves ...move) []byte {
	const account = "2100" + "0418" + "0200051332" // bank, branch, account number
	var b strings.Builder
	rec := func(s string) {
		if len(s) != 80 {
			panic(fmt.Sprintf("record of %d: %q", len(s), s))
		}
		b.WriteString(s + "\n")
	}
	rec(fmt.Sprintf("11%s2611012611302%014d9783%-26s   ", account, 0, "TALLERES NORTE SL"))
	var nd, nc int
	var sd, sc int64
	records := 1
	for _, m := range moves {
		sign, c := "2", m.cents
		if c < 0 {
			sign, c = "1", -c
			nd, sd = nd+1, sd+c
		} else {
			nc, sc = nc+1, sc+c
		}
		rec(fmt.Sprintf("22    041826112026112002099%s%014d0000000000000000000000%-16.16s", sign, c, m.ref))
		records++
		for i, text := 0, m.concept; text != "" && i < 5; i++ {
			part := text[:min(len(text), 76)]
			text = text[len(part):]
			rec(fmt.Sprintf("23%02d%-76s", i+1, part))
			records++
		}
	}
	final := sc - sd
	sign := "2"
	if final < 0 {
		sign, final = "1", -final
	}
	rec(fmt.Sprintf("33%s%05d%014d%05d%014d%s%014d978    ", account, nd, sd, nc, sc, sign, final))
	records++
	rec(fmt.Sprintf("88%s%06d%54s", strings.Repeat("9", 18), records, ""))
	return []byte(b.String())
}

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
// on a base of amount/1.21) for the customer.
func issue(t testing.TB, app core.App, customer, base string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"customer": customer, "issue_date": "2026-11-27",
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
