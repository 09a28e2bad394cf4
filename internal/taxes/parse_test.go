package taxes

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// describe renders a parsed line compactly for comparisons.
func describe(l Line) string {
	return fmt.Sprintf("%q q=%s p=%s d=%s vat=%s ex=%q re=%s irpf=%s", l.Description,
		plainNumber(l.Quantity), plainNumber(l.UnitPrice), plainNumber(l.Discount),
		plainNumber(l.VAT), l.VATExemption, plainNumber(l.Surcharge), plainNumber(l.Withholding))
}

func TestParseLinesAccepts(t *testing.T) {
	raw := `[
		{"description":"  Tornillos M6 ","quantity":"12.50","unit_price":"0.10","discount":"5",
		 "vat":"21.00","surcharge":"5.2","withholding":"0"},
		{"description":"Alquiler","quantity":-1,"unit_price":999999999999.99,"discount":null,
		 "vat":21,"vat_exemption":"  Nota libre ","withholding":19},
		{"description":"Libro","quantity":1e2,"unit_price":0.000100000001,"vat":4.0,"surcharge":0.50},
		{"description":"Exportación","quantity":1,"unit_price":0,"vat":0,"vat_exemption":"E2","surcharge":0}
	]`
	want := []string{
		`"Tornillos M6" q=12.5 p=0.1 d=5 vat=21 ex="" re=5.2 irpf=0`,
		`"Alquiler" q=-1 p=999999999999.99 d=0 vat=21 ex="Nota libre" re=0 irpf=19`,
		`"Libro" q=100 p=0.000100000001 d=0 vat=4 ex="" re=0.5 irpf=0`,
		`"Exportación" q=1 p=0 d=0 vat=0 ex="E2" re=0 irpf=0`,
	}
	lines, err := ParseLines([]byte(raw))
	if err != nil {
		t.Fatalf("ParseLines: %v", err)
	}
	got := make([]string, len(lines))
	for i, l := range lines {
		got[i] = describe(l)
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Rates are replaced by the table values, so "21.00" groups with 21.
	if lines[0].VAT.Exponent() != 0 || lines[0].Surcharge.String() != "5.2" {
		t.Errorf("rates not canonical: vat %s (exp %d), surcharge %s", lines[0].VAT, lines[0].VAT.Exponent(), lines[0].Surcharge)
	}
}

// TestParseLinesRejects checks one rule per case; each error names the line and field.
func TestParseLinesRejects(t *testing.T) {
	const ok = `{"description":"ok","quantity":1,"unit_price":10,"vat":21}`
	wrongType := `must be a number or a decimal string like "12.50"`
	cases := []struct{ name, raw, want string }{
		{"description missing", `[{"quantity":1,"unit_price":10,"vat":21}]`,
			"line 1, description: required"},
		{"description blank", `[{"description":"  ","quantity":1,"unit_price":10,"vat":21}]`,
			"line 1, description: must not be blank"},
		{"description not a string", `[{"description":5,"quantity":1,"unit_price":10,"vat":21}]`,
			"line 1, description: must be a string"},
		{"description with a NUL", `[{"description":"Tornillos\u0000","quantity":1,"unit_price":10,"vat":21}]`,
			"line 1, description: holds a control character (U+0000)"},
		{"description with a line break", `[{"description":"Tornillos\r\nBcc: x","quantity":1,"unit_price":10,"vat":21}]`,
			"line 1, description: holds a line break or tab (U+000D); write it on one line"},
		{"description with a bidi override", `[{"description":"Total \u202e00.001","quantity":1,"unit_price":10,"vat":21}]`,
			"line 1, description: holds a text-direction mark (U+202E), which can make it read differently from what it says"},
		{"a line that rounds to nothing", `[{"description":"Tornillo","quantity":0.001,"unit_price":1,"vat":21}]`,
			"line 1, quantity: makes the line's amount 0.001, which rounds to 0.00: too small to invoice"},
		{"a line beyond what is stored exactly", `[{"description":"Todo","quantity":999999999999,"unit_price":10,"vat":21}]`,
			"line 1, quantity: makes the line's amount 9999999999990.00, beyond the 999999999999.99 an amount may be"},
		{"quantity missing", `[{"description":"x","unit_price":10,"vat":21}]`,
			"line 1, quantity: required"},
		{"quantity zero", `[` + ok + `,{"description":"x","quantity":0,"unit_price":10,"vat":21}]`,
			"line 2, quantity: must not be zero"},
		{"quantity zero as string", `[{"description":"x","quantity":"0.00","unit_price":10,"vat":21}]`,
			"line 1, quantity: must not be zero"},
		{"quantity boolean", `[{"description":"x","quantity":true,"unit_price":10,"vat":21}]`,
			"line 1, quantity: " + wrongType},
		{"quantity not a decimal string", `[{"description":"x","quantity":"abc","unit_price":10,"vat":21}]`,
			"line 1, quantity: " + wrongType},
		{"decimal comma", `[{"description":"x","quantity":"1,5","unit_price":10,"vat":21}]`,
			"line 1, quantity: " + wrongType},
		{"exponent in a string", `[{"description":"x","quantity":"1e3","unit_price":10,"vat":21}]`,
			"line 1, quantity: " + wrongType},
		{"unit_price missing", `[{"description":"x","quantity":1,"vat":21}]`,
			"line 1, unit_price: required"},
		{"unit_price null", `[{"description":"x","quantity":1,"unit_price":null,"vat":21}]`,
			"line 1, unit_price: required"},
		{"unit_price array", `[{"description":"x","quantity":1,"unit_price":[10],"vat":21}]`,
			"line 1, unit_price: " + wrongType},
		{"float noise", `[{"description":"x","quantity":1,"unit_price":0.30000000000000004,"vat":21}]`,
			"line 1, unit_price: at most 12 decimal places"},
		{"too large", `[{"description":"x","quantity":1,"unit_price":1000000000000,"vat":21}]`,
			"line 1, unit_price: out of range"},
		{"huge exponent", `[{"description":"x","quantity":1e999999999,"unit_price":10,"vat":21}]`,
			"line 1, quantity: out of range"},
		{"large exponent", `[{"description":"x","quantity":1e300,"unit_price":10,"vat":21}]`,
			"line 1, quantity: out of range"},
		{"tiny exponent", `[{"description":"x","quantity":1e-20,"unit_price":10,"vat":21}]`,
			"line 1, quantity: at most 12 decimal places"},
		{"discount negative", `[{"description":"x","quantity":1,"unit_price":10,"discount":-5,"vat":21}]`,
			"line 1, discount: must be between 0 and 100"},
		{"discount above 100", `[{"description":"x","quantity":1,"unit_price":10,"discount":"100.01","vat":21}]`,
			"line 1, discount: must be between 0 and 100"},
		{"discount not a number", `[{"description":"x","quantity":1,"unit_price":10,"discount":"ten","vat":21}]`,
			"line 1, discount: " + wrongType},
		{"vat missing", `[{"description":"x","quantity":1,"unit_price":10}]`,
			"line 1, vat: required"},
		{"vat not allowed", `[{"description":"x","quantity":1,"unit_price":10,"vat":7}]`,
			"line 1, vat: must be 21, 10, 4 or 0"},
		{"vat 0 without exención", `[{"description":"x","quantity":1,"unit_price":10,"vat":0}]`,
			"line 1, vat_exemption: required when VAT is 0 %"},
		{"vat 0 with blank exención", `[{"description":"x","quantity":1,"unit_price":10,"vat":"0","vat_exemption":" "}]`,
			"line 1, vat_exemption: required when VAT is 0 %"},
		{"exención not a string", `[{"description":"x","quantity":1,"unit_price":10,"vat":0,"vat_exemption":20}]`,
			"line 1, vat_exemption: must be a string"},
		{"surcharge not allowed", `[{"description":"x","quantity":1,"unit_price":10,"vat":21,"surcharge":4}]`,
			"line 1, surcharge: must be 5.2, 1.4 or 0.5"},
		{"surcharge with the wrong IVA", `[` + ok + `,` + ok + `,{"description":"x","quantity":1,"unit_price":10,"vat":21,"surcharge":1.4}]`,
			"line 3, surcharge: 1.4 % applies only with VAT 10 %"},
		{"surcharge with IVA 0", `[{"description":"x","quantity":1,"unit_price":10,"vat":0,"vat_exemption":"E1","surcharge":"5.20"}]`,
			"line 1, surcharge: 5.2 % applies only with VAT 21 %"},
		{"withholding not allowed", `[{"description":"x","quantity":1,"unit_price":10,"vat":21,"withholding":20}]`,
			"line 1, withholding: must be 15, 7, 19 or 1"},
		{"unknown key", `[{"description":"x","quantity":1,"price":10,"unit_price":10,"vat":21}]`,
			"line 1, price: unknown field"},
		{"duplicate key", `[{"description":"x","quantity":1,"quantity":-1,"unit_price":10,"vat":21}]`,
			"line 1, quantity: duplicate field"},
		{"line not an object", `[` + ok + `,42]`,
			"line 2: must be a JSON object"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lines, err := ParseLines([]byte(tc.raw))
			var lineErrs LineErrors
			if !errors.As(err, &lineErrs) {
				t.Fatalf("got lines %v, error %v; want LineErrors %q", lines, err, tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("error = %q, want %q", got, tc.want)
			}
			if lines != nil {
				t.Errorf("lines = %v, want nil on error", lines)
			}
		})
	}
}

// TestParseLinesReportsEveryError checks that all problems of all lines come
// back together, and that a malformed field is not also called "required".
func TestParseLinesReportsEveryError(t *testing.T) {
	raw := `[
		{"description":"ok","quantity":1,"unit_price":10,"vat":21},
		{"description":"","quantity":0,"unit_price":"abc","vat":21,"surcharge":1.4},
		{"description":"y","quantity":1,"unit_price":1,"vat":0,"colour":"red"},
		{"quantity":true,"unit_price":1,"vat":5}
	]`
	want := LineErrors{
		{Line: 2, Field: "unit_price", Message: `must be a number or a decimal string like "12.50"`, Key: "line.err.number"},
		{Line: 2, Field: "description", Message: "must not be blank", Key: "line.err.required"},
		{Line: 2, Field: "quantity", Message: "must not be zero", Key: "line.err.zero"},
		{Line: 2, Field: "surcharge", Message: "1.4 % applies only with VAT 10 %", Key: "line.err.surcharge_vat"},
		{Line: 3, Field: "colour", Message: "unknown field", Key: "line.err.unknown_field"},
		{Line: 3, Field: "vat_exemption", Message: "required when VAT is 0 %", Key: "line.err.exemption"},
		{Line: 4, Field: "quantity", Message: `must be a number or a decimal string like "12.50"`, Key: "line.err.number"},
		{Line: 4, Field: "description", Message: "required", Key: "line.err.required"},
		{Line: 4, Field: "vat", Message: "must be 21, 10, 4 or 0", Key: "line.err.vat"},
	}
	_, err := ParseLines([]byte(raw))
	var got LineErrors
	if !errors.As(err, &got) {
		t.Fatalf("error %v is not LineErrors", err)
	}
	keys := func(es LineErrors) (out []string) {
		for _, e := range es {
			out = append(out, e.Key)
		}
		return out
	}
	if got.Error() != want.Error() || !slices.Equal(keys(got), keys(want)) {
		t.Errorf("got\n%s %v\nwant\n%s %v", strings.ReplaceAll(got.Error(), "; ", "\n"), keys(got), strings.ReplaceAll(want.Error(), "; ", "\n"), keys(want))
	}
}

// TestParseLinesRejectsInput covers input that is not a usable array at all.
func TestParseLinesRejectsInput(t *testing.T) {
	cases := []struct{ name, raw, want string }{
		{"truncated", `[{"description":"x",`, "lines: malformed JSON: unexpected end of JSON input"},
		{"empty input", ``, "lines: malformed JSON: unexpected end of JSON input"},
		{"trailing garbage", `[{"description":"x","quantity":1,"unit_price":1,"vat":21}] x`,
			"lines: malformed JSON: invalid character 'x' after top-level value"},
		{"single quotes", `[{'description':'x'}]`,
			"lines: malformed JSON: invalid character '\\'' looking for beginning of object key string"},
		{"object", `{"description":"x","quantity":1,"unit_price":1,"vat":21}`, "lines: must be a JSON array"},
		{"null", `null`, "lines: must be a JSON array"},
		{"string", `"lines"`, "lines: must be a JSON array"},
		{"empty array", ` [ ] `, "an invoice needs at least one line"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lines, err := ParseLines([]byte(tc.raw))
			if err == nil {
				t.Fatalf("got lines %v, want error %q", lines, tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("error = %q, want %q", got, tc.want)
			}
			var lineErrs LineErrors
			if errors.As(err, &lineErrs) {
				t.Errorf("got LineErrors %v; input-level problems are plain errors", lineErrs)
			}
		})
	}
	if _, err := ParseLines([]byte(`[]`)); !errors.Is(err, ErrNoLines) {
		t.Errorf("empty array: error %v is not ErrNoLines", err)
	}
}
