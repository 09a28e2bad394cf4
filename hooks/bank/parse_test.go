package bank

import (
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// validIBAN checks an IBAN's mod-97 check digits.
func validIBAN(iban string) bool {
	rearranged := iban[4:] + iban[:4]
	var digits strings.Builder
	for _, r := range rearranged {
		if r >= 'A' && r <= 'Z' {
			digits.WriteString(big.NewInt(int64(r - 'A' + 10)).String())
		} else {
			digits.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	return new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func TestNorma43Statement(t *testing.T) {
	ms, errs := Parse(readTestdata(t, "statement.n43"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []struct {
		line             int
		booking, value   string
		amount, currency string
		concept, ref     string
	}{
		{2, "2026-11-03", "2026-11-03", "121", "EUR", "TRANSFERENCIA DE ALFA COMERCIAL SL FRA A-2026-000001", "A2026000001"},
		{4, "2026-11-04", "2026-11-05", "-45.3", "EUR", "RECIBO TELEFONICA DE ESPANA SAU", "RECIBO 1198"},
		{6, "2026-11-10", "2026-11-10", "500", "EUR", "TRANSFERENCIA DE BETA DISTRIBUCIONES SA PAGO A CUENTA PEDIDO 7781 GRACIAS", ""},
		{10, "2026-11-12", "2026-11-14", "80", "EUR", "", "SWIFT77"},
		{14, "2026-11-15", "2026-11-15", "242", "EUR", "TRANSF GAMMA SERVICIOS SL B99286320", "NOMINA"},
		{16, "2026-11-16", "2026-11-16", "-15", "EUR", "", ""},
		{17, "2026-11-15", "2026-11-15", "242", "EUR", "TRANSF GAMMA SERVICIOS SL B99286320", "NOMINA"},
	}
	if len(ms) != len(want) {
		t.Fatalf("%d movements, want %d: %+v", len(ms), len(want), ms)
	}
	keys := map[string]bool{}
	for i, w := range want {
		m := ms[i]
		if m.Line != w.line || !m.BookingDate.Equal(day(w.booking)) || !m.ValueDate.Equal(day(w.value)) ||
			m.Amount.String() != w.amount || m.Currency != w.currency || m.Concept != w.concept || m.Reference != w.ref {
			t.Errorf("movement %d = %+v, want %+v", i, m, w)
		}
		if keys[m.Key] || len(m.Key) != 32 {
			t.Errorf("movement %d key %q is not a new 32-digit key", i, m.Key)
		}
		keys[m.Key] = true
	}
	// The CCC's control digits of 2100-0418-0200051332 are 45.
	if ms[0].Account != "ES9121000418450200051332" {
		t.Errorf("first account %q", ms[0].Account)
	}
	if a := ms[4].Account; len(a) != 24 || a[:2] != "ES" || a[4:12] != "00491500" || a[14:] != "0123456789" || !validIBAN(a) {
		t.Errorf("second account %q is not a valid IBAN of 0049 1500", a)
	}

	// Reading it again gives the same keys: re-imports recognise it.
	again, _ := Parse(readTestdata(t, "statement.n43"))
	for i := range ms {
		if again[i].Key != ms[i].Key {
			t.Fatalf("movement %d: key changed between reads", i)
		}
	}
}

func TestNorma43Latin1(t *testing.T) {
	ms, errs := Parse(readTestdata(t, "latin1.n43"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(ms) != 1 || ms[0].Concept != "PAGO CAMPAÑA OTOÑO ÁLVARO NÚÑEZ" {
		t.Fatalf("%+v", ms)
	}
}

func TestCamt053Statement(t *testing.T) {
	ms, errs := Parse(readTestdata(t, "statement.camt053.xml"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(ms) != 3 {
		t.Fatalf("%d movements: %+v", len(ms), ms)
	}
	first, debit, third := ms[0], ms[1], ms[2]
	if first.Line != 21 || first.Amount.String() != "121" || first.Currency != "EUR" || !first.BookingDate.Equal(day("2026-11-03")) ||
		first.Concept != "Factura A-2026-000001 Alfa Comercial S.L." || first.Reference != "2026110300001 ALFA-PAY-7781" ||
		first.Account != "ES9121000418450200051332" {
		t.Errorf("first %+v", first)
	}
	if debit.Amount.String() != "-45.3" || !debit.BookingDate.Equal(day("2026-11-04")) || !debit.ValueDate.Equal(day("2026-11-05")) ||
		debit.Concept != "RECIBO TELEFONICA" {
		t.Errorf("debit %+v", debit)
	}
	if third.Account != "0049-1500-0123456789" || third.Reference != "" || third.Concept != "RF18539007547034 TRANSFERENCIA BETA DISTRIBUCIONES" ||
		!third.ValueDate.Equal(day("2026-11-11")) {
		t.Errorf("third %+v", third)
	}
}

func TestCamt053AnyVersionAndPrefix(t *testing.T) {
	ms, errs := Parse(readTestdata(t, "v08.camt053.xml"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(ms) != 1 || ms[0].Amount.String() != "60.5" || !ms[0].BookingDate.Equal(day("2026-11-20")) ||
		ms[0].Concept != "A 2026 000002 pago parcial Beta Distribuciones S.A." || ms[0].Reference != "E2E-60" {
		t.Fatalf("%+v", ms)
	}
}

func TestMalformedStatements(t *testing.T) {
	for _, tc := range []struct {
		file string
		line int
		says string
	}{
		{"short.n43", 3, "70 characters long"},
		{"badcode.n43", 3, `unknown record code "27"`},
		{"badamount.n43", 2, "amount (positions 29–42)"},
		{"baddate.n43", 2, `booking date (positions 11–16) "261332" is not a date`},
		{"badtotals.n43", 4, "the footer counts 1 credits totalling 310.00, but the account's movements are 1 credits totalling 300.00"},
		{"truncated.camt053.xml", 41, "malformed"},
		{"noamt.camt053.xml", 37, "no amount"},
		{"baddate.camt053.xml", 55, `booking date "2026-11-31"`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ms, errs := Parse(readTestdata(t, tc.file))
			if ms != nil || len(errs) == 0 {
				t.Fatalf("no error: %+v", ms)
			}
			if errs[0].Line != tc.line || !strings.Contains(errs[0].Message, tc.says) {
				t.Fatalf("errors %+v, want line %d saying %q", errs, tc.line, tc.says)
			}
		})
	}
}

func TestFormatIsToldByContent(t *testing.T) {
	if _, errs := Parse([]byte("fecha;importe;concepto\n2026-11-01;10;x\n")); len(errs) != 1 || errs[0].Line != 1 ||
		!strings.Contains(errs[0].Message, "neither a Norma 43") {
		t.Fatalf("CSV: %+v", errs)
	}
	if _, errs := Parse([]byte("<html><body>hi</body></html>")); len(errs) == 0 || !strings.Contains(errs[0].Message, "not a camt.053") {
		t.Fatalf("HTML: %+v", errs)
	}
	if _, errs := Parse(nil); len(errs) != 1 || !strings.Contains(errs[0].Message, "empty") {
		t.Fatalf("empty: %+v", errs)
	}
}
