// Package huella implements the parts of Spain's VeriFactu rules that an
// invoice record carries: the huella (the SHA-256 fingerprint that chains each
// invoice record to the previous one) and the tax-agency QR verification URL.
//
// The field strings follow AEAT's "Detalle de las especificaciones técnicas
// para generación de la huella o hash de los registros de facturación".
package huella

import (
	"crypto/sha256"
	"encoding/hex"
	"facturo/internal/clock"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Record is the data of an invoice registration record (registro de alta) that
// enters its huella.
type Record struct {
	IssuerTaxID string          // IDEmisorFactura: the issuer's NIF
	Number      string          // NumSerieFactura: series and number
	IssueDate   time.Time       // FechaExpedicionFactura (only the civil date counts)
	Type        string          // TipoFactura: F1, or R1…R5 for a factura rectificativa
	TaxTotal    decimal.Decimal // CuotaTotal: VAT plus recargo de equivalencia
	Total       decimal.Decimal // ImporteTotal
	PrevHash    string          // Huella of the previous record; empty for the first one
	GeneratedAt time.Time       // FechaHoraHusoGenRegistro
}

// Cancellation is the data of a cancellation record (registro de anulación).
type Cancellation struct {
	IssuerTaxID string
	Number      string
	IssueDate   time.Time
	PrevHash    string
	GeneratedAt time.Time
}

// FieldString is the exact string that is hashed for r.
func (r Record) FieldString() string {
	return AltaFields{
		IssuerTaxID: r.IssuerTaxID, Number: r.Number, IssueDate: FormatDate(r.IssueDate), Type: r.Type,
		TaxTotal: FormatAmount(r.TaxTotal), Total: FormatAmount(r.Total), PrevHash: r.PrevHash,
		GeneratedAt: FormatTimestamp(r.GeneratedAt),
	}.FieldString()
}

// AltaFields are the fields of a registration record that enter its huella,
// as the record's XML writes them: a record read back from its XML is
// hashed from its own texts.
type AltaFields struct {
	IssuerTaxID, Number, IssueDate, Type, TaxTotal, Total, PrevHash, GeneratedAt string
}

// FieldString is the exact string that is hashed for f.
func (f AltaFields) FieldString() string {
	return joinFields(
		"IDEmisorFactura", f.IssuerTaxID,
		"NumSerieFactura", f.Number,
		"FechaExpedicionFactura", f.IssueDate,
		"TipoFactura", f.Type,
		"CuotaTotal", f.TaxTotal,
		"ImporteTotal", f.Total,
		"Huella", f.PrevHash,
		"FechaHoraHusoGenRegistro", f.GeneratedAt,
	)
}

// Hash is the huella of f.
func (f AltaFields) Hash() string { return hashString(f.FieldString()) }

// CancellationFields are the fields of a cancellation record that enter its
// huella, as its XML writes them.
type CancellationFields struct {
	IssuerTaxID, Number, IssueDate, PrevHash, GeneratedAt string
}

// FieldString is the exact string that is hashed for f.
func (f CancellationFields) FieldString() string {
	return joinFields(
		"IDEmisorFacturaAnulada", f.IssuerTaxID,
		"NumSerieFacturaAnulada", f.Number,
		"FechaExpedicionFacturaAnulada", f.IssueDate,
		"Huella", f.PrevHash,
		"FechaHoraHusoGenRegistro", f.GeneratedAt,
	)
}

// Hash is the huella of f.
func (f CancellationFields) Hash() string { return hashString(f.FieldString()) }

// Hash is the huella of r: 64 upper-case hex digits.
func (r Record) Hash() string { return hashString(r.FieldString()) }

// FieldString is the exact string that is hashed for c.
func (c Cancellation) FieldString() string {
	return CancellationFields{
		IssuerTaxID: c.IssuerTaxID, Number: c.Number, IssueDate: FormatDate(c.IssueDate),
		PrevHash: c.PrevHash, GeneratedAt: FormatTimestamp(c.GeneratedAt),
	}.FieldString()
}

// Hash is the huella of c: 64 upper-case hex digits.
func (c Cancellation) Hash() string { return hashString(c.FieldString()) }

// FormatDate writes a civil date as AEAT wants it: dd-mm-yyyy.
func FormatDate(t time.Time) string { return t.Format("02-01-2006") }

// FormatAmount writes an amount with a point and two decimals, as in the
// registration record; "12.35" and "12.350" would give different huellas.
func FormatAmount(d decimal.Decimal) string { return d.StringFixed(2) }

// FormatTimestamp writes t in Madrid time with its offset, to the second
// (2024-01-01T19:20:30+01:00).
func FormatTimestamp(t time.Time) string {
	return t.In(clock.Zone).Format("2006-01-02T15:04:05-07:00")
}

// joinFields writes name=value pairs joined by "&"; values are trimmed of
// surrounding blanks, as the specification requires.
func joinFields(pairs ...string) string {
	var b strings.Builder
	for i := 0; i < len(pairs); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(pairs[i])
		b.WriteByte('=')
		b.WriteString(strings.TrimSpace(pairs[i+1]))
	}
	return b.String()
}

func hashString(s string) string {
	sum := sha256.Sum256([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
