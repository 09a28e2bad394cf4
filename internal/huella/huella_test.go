package huella

import (
	"encoding/json"
	"facturo/internal/toolcheck"
	"os"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// aeatVectors are the worked examples of AEAT's huella specification, kept in
// the shared test data next to the project.
type aeatVectors struct {
	Cases []struct {
		Kind   string            `json:"kind"`
		Input  string            `json:"input"`
		Fields map[string]string `json:"fields"`
		Hash   string            `json:"hash"`
	} `json:"cases"`
}

func loadVectors(t *testing.T) aeatVectors {
	t.Helper()
	path := toolcheck.SharedPath("testdata", "verifactu", "aeat-hash-vectors.json")
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("AEAT vectors not found at %s (the shared test data sits beside the repository)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var v aeatVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) == 0 {
		t.Fatal("no cases in the AEAT vectors")
	}
	return v
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("02-01-2006", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustTimestamp(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestHuellaMatchesAEATExamples(t *testing.T) {
	for _, c := range loadVectors(t).Cases {
		f := c.Fields
		var gotString, gotHash string
		switch c.Kind {
		case "alta":
			r := Record{
				IssuerTaxID: f["IDEmisorFactura"],
				Number:      f["NumSerieFactura"],
				IssueDate:   mustDate(t, f["FechaExpedicionFactura"]),
				Type:        f["TipoFactura"],
				TaxTotal:    decimal.RequireFromString(f["CuotaTotal"]),
				Total:       decimal.RequireFromString(f["ImporteTotal"]),
				PrevHash:    f["Huella"],
				GeneratedAt: mustTimestamp(t, f["FechaHoraHusoGenRegistro"]),
			}
			gotString, gotHash = r.FieldString(), r.Hash()
		case "anulacion":
			c := Cancellation{
				IssuerTaxID: f["IDEmisorFacturaAnulada"],
				Number:      f["NumSerieFacturaAnulada"],
				IssueDate:   mustDate(t, f["FechaExpedicionFacturaAnulada"]),
				PrevHash:    f["Huella"],
				GeneratedAt: mustTimestamp(t, f["FechaHoraHusoGenRegistro"]),
			}
			gotString, gotHash = c.FieldString(), c.Hash()
		default:
			t.Fatalf("unknown case kind %q", c.Kind)
		}
		if gotString != c.Input {
			t.Errorf("%s field string:\n got %s\nwant %s", c.Kind, gotString, c.Input)
		}
		if gotHash != c.Hash {
			t.Errorf("%s %s: hash %s, want %s", c.Kind, f["NumSerieFactura"]+f["NumSerieFacturaAnulada"], gotHash, c.Hash)
		}
	}
}

// TestFieldsAsWrittenMatchAEATExamples hashes the examples from their texts,
// as a record read back from its XML is hashed.
func TestFieldsAsWrittenMatchAEATExamples(t *testing.T) {
	for _, c := range loadVectors(t).Cases {
		f := c.Fields
		var got string
		switch c.Kind {
		case "alta":
			got = AltaFields{IssuerTaxID: f["IDEmisorFactura"], Number: f["NumSerieFactura"], IssueDate: f["FechaExpedicionFactura"],
				Type: f["TipoFactura"], TaxTotal: f["CuotaTotal"], Total: f["ImporteTotal"], PrevHash: f["Huella"],
				GeneratedAt: f["FechaHoraHusoGenRegistro"]}.Hash()
		case "anulacion":
			got = CancellationFields{IssuerTaxID: f["IDEmisorFacturaAnulada"], Number: f["NumSerieFacturaAnulada"],
				IssueDate: f["FechaExpedicionFacturaAnulada"], PrevHash: f["Huella"], GeneratedAt: f["FechaHoraHusoGenRegistro"]}.Hash()
		}
		if got != c.Hash {
			t.Errorf("%s: hash %s, want %s", c.Kind, got, c.Hash)
		}
	}
}

func TestTimestampIsMadridTimeWithItsOffset(t *testing.T) {
	winter := time.Date(2026, 1, 15, 9, 30, 5, 0, time.UTC)
	summer := time.Date(2026, 7, 15, 9, 30, 5, 0, time.UTC)
	if got := FormatTimestamp(winter); got != "2026-01-15T10:30:05+01:00" {
		t.Errorf("winter: %s", got)
	}
	if got := FormatTimestamp(summer); got != "2026-07-15T11:30:05+02:00" {
		t.Errorf("summer: %s", got)
	}
}

func TestAmountsKeepTwoDecimals(t *testing.T) {
	for in, want := range map[string]string{"12.3": "12.30", "0": "0.00", "-1.005": "-1.01", "1234567.891": "1234567.89"} {
		if got := FormatAmount(decimal.RequireFromString(in)); got != want {
			t.Errorf("FormatAmount(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestQRURL(t *testing.T) {
	q := QR{
		IssuerTaxID: "89890001K",
		Number:      "12345678&G33",
		IssueDate:   time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC),
		Total:       decimal.RequireFromString("241.4"),
		VeriFactu:   true,
	}
	want := "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K&numserie=12345678%26G33&fecha=01-09-2024&importe=241.40"
	if got := q.URL(); got != want {
		t.Errorf("VERI*FACTU URL:\n got %s\nwant %s", got, want)
	}
	q.VeriFactu, q.Testing = false, true
	want = "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQRNoVerifactu?nif=89890001K&numserie=12345678%26G33&fecha=01-09-2024&importe=241.40"
	if got := q.URL(); got != want {
		t.Errorf("non-VERI*FACTU testing URL:\n got %s\nwant %s", got, want)
	}
}
