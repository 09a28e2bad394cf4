package bank

import (
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
)

func TestDecide(t *testing.T) {
	d := decimal.RequireFromString
	a := Candidate{ID: "a", Number: "A-2026-000001", Currency: "EUR", Owed: d("121")}
	b := Candidate{ID: "b", Number: "A-2026-000002", Currency: "EUR", Owed: d("50.50")}
	usd := Candidate{ID: "u", Number: "A-2026-000003", Currency: "USD", Owed: d("121")}
	for _, tc := range []struct {
		name    string
		amount  string
		clues   Clues
		status  string
		pay     []Candidate
		amounts []string
	}{
		{"named, exactly owed", "121", Clues{Named: []Candidate{a}}, StatusMatched, []Candidate{a}, []string{"121"}},
		{"named, less than owed", "100", Clues{Named: []Candidate{a}}, StatusMatched, []Candidate{a}, []string{"100"}},
		{"named, more than owed", "130", Clues{Named: []Candidate{a}}, StatusProposed, []Candidate{a}, nil},
		{"named in another currency", "121", Clues{Named: []Candidate{usd}}, StatusProposed, []Candidate{usd}, nil},
		{"several named, exact sum", "171.5", Clues{Named: []Candidate{a, b}}, StatusMatched, []Candidate{a, b}, []string{"121", "50.5"}},
		{"several named, other sum", "171", Clues{Named: []Candidate{a, b}}, StatusProposed, []Candidate{a, b}, nil},
		{"named wins over customer and amount", "121", Clues{Named: []Candidate{a}, OfCustomer: []Candidate{b}, SameAmount: []Candidate{b}}, StatusMatched, []Candidate{a}, []string{"121"}},
		{"one invoice of the named customer", "121", Clues{OfCustomer: []Candidate{a}, SameAmount: []Candidate{a, usd}}, StatusProposed, []Candidate{a}, nil},
		{"two invoices of the named customer, one in the firm", "121", Clues{OfCustomer: []Candidate{a, b}, SameAmount: []Candidate{a}}, StatusProposed, []Candidate{a}, nil},
		{"one invoice in the firm", "50.50", Clues{SameAmount: []Candidate{b}}, StatusProposed, []Candidate{b}, nil},
		{"two invoices in the firm", "121", Clues{SameAmount: []Candidate{a, a}}, StatusUnmatched, nil, nil},
		{"nothing", "7", Clues{}, StatusUnmatched, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := decide(d(tc.amount), "EUR", tc.clues)
			var amounts []string
			for _, x := range got.Amount {
				amounts = append(amounts, x.String())
			}
			if got.Status != tc.status || !reflect.DeepEqual(got.Pay, tc.pay) || !reflect.DeepEqual(amounts, tc.amounts) {
				t.Fatalf("got %s %v %v, want %s %v %v", got.Status, got.Pay, amounts, tc.status, tc.pay, tc.amounts)
			}
			if got.Status != StatusUnmatched && got.Note == "" {
				t.Fatal("no note says why")
			}
		})
	}
}

func TestClues(t *testing.T) {
	x := emptyIndex()
	for _, r := range []invoicing.Row{
		{ID: "a1", Number: "A-2026-000123", CustomerName: "Alfa Comercial S.L.", CustomerTaxID: "B87654323", Currency: "EUR", Total: 121, PaidTotal: 21},
		{ID: "a2", Number: "A-2026-000124", CustomerName: "Alfa Comercial S.L.", CustomerTaxID: "B87654323", Currency: "EUR", Total: 60.5},
		{ID: "r1", Number: "R-2026-000004", CustomerName: "Beta Distribuciones S.A.", CustomerTaxID: "A28391043", Currency: "EUR", Total: 30},
		{ID: "b1", Number: "A-2026-000125", CustomerName: "Beta Distribuciones S.A.", CustomerTaxID: "A28391043", Currency: "EUR", Total: 60.5},
		{ID: "paid", Number: "A-2026-000126", CustomerName: "Beta Distribuciones S.A.", CustomerTaxID: "A28391043", Currency: "EUR", Total: 10, PaidTotal: 10},
	} {
		x.add(r)
	}
	ids := func(cs []Candidate) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	for _, tc := range []struct {
		concept, reference, amount string
		named, ofCustomer, same    []string
	}{
		{"PAGO FRA A-2026-000123", "", "100", []string{"a1"}, nil, nil},
		{"TRANSFERENCIA", "A2026000123", "100", []string{"a1"}, nil, nil},
		{"FACTURAS A 2026 000123 Y A/2026/000124", "", "160.5", []string{"a1", "a2"}, nil, nil},
		{"ABONO R-2026-000004", "", "30", []string{"r1"}, nil, nil},
		{"FRA A-2026-000126", "", "10", nil, nil, nil}, // paid: no longer open
		{"FRA A-2026-000999", "", "7", nil, nil, nil},
		{"TRANSF ALFA COMERCIAL SL", "", "60.50", nil, []string{"a2"}, []string{"a2", "b1"}},
		{"TRANSF DE B-87654323", "", "60.50", nil, []string{"a2"}, []string{"a2", "b1"}},
		{"TRANSF DE BETA DISTRIBUCIONES, S.A.", "", "30", nil, []string{"r1"}, []string{"r1"}},
		{"ÁLFA COMERCIAL", "", "100", nil, []string{"a1"}, []string{"a1"}},
		{"ALFAS COMERCIALES", "", "100", nil, nil, []string{"a1"}},
	} {
		m := Movement{Concept: tc.concept, Reference: tc.reference, Amount: decimal.RequireFromString(tc.amount), Currency: "EUR"}
		c := x.clues(m)
		if !reflect.DeepEqual(ids(c.Named), tc.named) || !reflect.DeepEqual(ids(c.OfCustomer), tc.ofCustomer) || !reflect.DeepEqual(ids(c.SameAmount), tc.same) {
			t.Errorf("%q %q %s: named %v, of customer %v, same amount %v; want %v %v %v", tc.concept, tc.reference, tc.amount,
				ids(c.Named), ids(c.OfCustomer), ids(c.SameAmount), tc.named, tc.ofCustomer, tc.same)
		}
	}

	// A payment recorded during the import changes what is owed.
	x.paid("a1", decimal.RequireFromString("40"))
	if c := x.clues(Movement{Concept: "x", Amount: decimal.RequireFromString("60"), Currency: "EUR"}); !reflect.DeepEqual(ids(c.SameAmount), []string{"a1"}) {
		t.Fatalf("after a payment of 40 on 100: %v", ids(c.SameAmount))
	}
	x.paid("a1", decimal.RequireFromString("60"))
	if c := x.clues(Movement{Concept: "A-2026-000123", Amount: decimal.RequireFromString("60"), Currency: "EUR"}); len(c.Named) != 0 {
		t.Fatalf("a paid invoice is still named: %v", ids(c.Named))
	}
}
