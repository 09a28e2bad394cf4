package bank

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"facturo/internal/banktest"
)

// camtWith is a camt.053 statement of one entry with the amount text and
// indicator; the Amt element is on line 7.
func camtWith(amount, indicator string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt>
<Stmt>
<Acct><Id><IBAN>ES9121000418450200051332</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Ntry>
<Amt Ccy="EUR">` + amount + `</Amt>
<CdtDbtInd>` + indicator + `</CdtDbtInd>
<BookgDt><Dt>2026-11-03</Dt></BookgDt>
<RmtInf><Ustrd>Factura A-2026-000001</Ustrd></RmtInf>
</Ntry>
</Stmt>
</BkToCstmrStmt>
</Document>
`)
}

// TestCamtAmountsAreExactOrRefused: an amount is taken only when it can be
// stored exactly: in cents, not zero, within 999,999,999,999.99, written as
// digits; anything else is an error at its line, never a rounded,
// infinite or not-a-number amount.
func TestCamtAmountsAreExactOrRefused(t *testing.T) {
	for _, c := range []struct {
		amount, indicator, says string
	}{
		{"121.005", "CRDT", "has more than two decimals"},
		{"0.001", "CRDT", "has more than two decimals"},
		{"0", "CRDT", "is zero"},
		{"0.00", "DBIT", "is zero"},
		{"-121.00", "CRDT", "has a sign"},
		{"+121.00", "CRDT", "has a sign"},
		{"1000000000000.00", "CRDT", "is more than 999999999999.99"},
		{"999999999999.991", "CRDT", "has more than two decimals"},
		{"NaN", "CRDT", "is not an amount"},
		{"Inf", "CRDT", "is not an amount"},
		{"Infinity", "DBIT", "is not an amount"},
		{"1e400", "CRDT", "is not an amount"},
		{"1E3", "CRDT", "is not an amount"},
		{"12,50", "CRDT", "is not an amount"},
		{".5", "CRDT", "is not an amount"},
		{"5.", "CRDT", "is not an amount"},
		{"1.2.3", "CRDT", "is not an amount"},
		{"0x10", "CRDT", "is not an amount"},
		{"١٢", "CRDT", "is not an amount"},
		{strings.Repeat("9", 100_000), "CRDT", "is not an amount"},
	} {
		start := time.Now()
		ms, errs := Parse(camtWith(c.amount, c.indicator))
		if ms != nil || len(errs) != 1 || errs[0].Line != 7 || !strings.Contains(errs[0].Message, c.says) {
			t.Errorf("%.20q: %+v, want line 7 saying %q", c.amount, errs, c.says)
		}
		if len(errs) > 0 && len(errs[0].Message) > 300 {
			t.Errorf("%.20q: a message of %d bytes", c.amount, len(errs[0].Message))
		}
		if elapsed := time.Since(start); elapsed > time.Second {
			t.Errorf("%.20q took %v", c.amount, elapsed)
		}
	}
	for _, c := range []struct{ amount, want string }{
		{"121.10", "121.1"}, {"121.1", "121.1"}, {"121", "121"}, {"100.00000", "100"},
		{"0.01", "0.01"}, {"999999999999.99", "999999999999.99"}, {"000045.30", "45.3"},
	} {
		ms, errs := Parse(camtWith(c.amount, "CRDT"))
		if len(errs) != 0 || len(ms) != 1 || ms[0].Amount.String() != c.want {
			t.Errorf("%q: %+v %+v", c.amount, ms, errs)
		}
	}
}

// TestStoredAmountsReadBackExactly: every amount within the bound, stored
// as PocketBase stores numbers (float64), reads back as the same cents.
func TestStoredAmountsReadBackExactly(t *testing.T) {
	amounts := []decimal.Decimal{maxAmount, maxAmount.Neg(), decimal.New(1, -2), decimal.New(99_999_999_999_901, -2)}
	for cents := int64(99_999_999_999_999); cents > 0; cents /= 7 {
		amounts = append(amounts, decimal.New(cents, -2), decimal.New(cents-1, -2))
	}
	for _, d := range amounts {
		if back := decimal.NewFromFloat(d.InexactFloat64()); !back.Equal(d) {
			t.Errorf("%s is stored as %s", d, back)
		}
	}
}

// TestNorma43ZeroMovementsAreRefused: a movement of nothing is an error
// at its line, and only there (its footer still adds up).
func TestNorma43ZeroMovementsAreRefused(t *testing.T) {
	statement := banktest.Norma43(banktest.Move{Cents: 12100, Concept: "FRA A-2026-000001"}, banktest.Move{Cents: 0, Concept: "NADA"})
	ms, errs := Parse(statement)
	if ms != nil || len(errs) != 1 || errs[0].Line != 4 || !strings.Contains(errs[0].Message, "amount (positions 29–42) is zero") {
		t.Fatalf("%+v", errs)
	}
	// Norma 43's largest amount is the bound, and is read exactly.
	ms, errs = Parse(banktest.Norma43(banktest.Move{Cents: 99_999_999_999_999}))
	if len(errs) != 0 || len(ms) != 1 || !ms[0].Amount.Equal(maxAmount) {
		t.Fatalf("%+v %+v", ms, errs)
	}
}

// TestProblemsAreListedUpToALimit: a statement of garbage lists a thousand
// problems and stops reading.
func TestProblemsAreListedUpToALimit(t *testing.T) {
	garbage := []byte("11" + strings.Repeat("0", 78) + "\n" + strings.Repeat("22 short\n", 1_000_000))
	start := time.Now()
	_, errs := Parse(garbage)
	if len(errs) != maxLineErrors+1 || !strings.Contains(errs[maxLineErrors].Message, "more than 1000 problems") ||
		errs[maxLineErrors].Line <= errs[maxLineErrors-1].Line || errs[maxLineErrors].Line > maxLineErrors+1 {
		t.Fatalf("%d errors, the last %+v", len(errs), errs[len(errs)-1])
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("took %v", elapsed)
	}
	var b strings.Builder
	b.WriteString(`<Document><BkToCstmrStmt><Stmt>`)
	for i := range 5000 {
		fmt.Fprintf(&b, "<Ntry>\n<Amt>%d.001</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt></Ntry>\n", i+1)
	}
	b.WriteString(`</Stmt></BkToCstmrStmt></Document>`)
	if _, errs := Parse([]byte(b.String())); len(errs) != maxLineErrors+1 || !strings.Contains(errs[maxLineErrors].Message, "reading stopped") {
		t.Fatalf("camt: %d errors", len(errs))
	}
}

// TestDeepXMLIsRefused: the XML decoder keeps a stack of open elements, so
// nesting is bounded.
func TestDeepXMLIsRefused(t *testing.T) {
	deep := []byte(`<Document><BkToCstmrStmt>` + strings.Repeat("<a>", 1_000_000))
	_, errs := Parse(deep)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "more than 64 deep") {
		t.Fatalf("%+v", errs)
	}
}
