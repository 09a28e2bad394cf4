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
	return joinFields(
		"IDEmisorFactura", r.IssuerTaxID,
		"NumSerieFactura", r.Number,
		"FechaExpedicionFactura", FormatDate(r.IssueDate),
		"TipoFactura", r.Type,
		"CuotaTotal", FormatAmount(r.TaxTotal),
		"ImporteTotal", FormatAmount(r.Total),
		"Huella", r.PrevHash,
		"FechaHoraHusoGenRegistro", FormatTimestamp(r.GeneratedAt),
	)
}

// Hash is the huella of r: 64 upper-case hex digits.
func (r Record) Hash() string { return hashString(r.FieldString()) }

// FieldString is the exact string that is hashed for c.
func (c Cancellation) FieldString() string {
	return joinFields(
		"IDEmisorFacturaAnulada", c.IssuerTaxID,
		"NumSerieFacturaAnulada", c.Number,
		"FechaExpedicionFacturaAnulada", FormatDate(c.IssueDate),
		"Huella", c.PrevHash,
		"FechaHoraHusoGenRegistro", FormatTimestamp(c.GeneratedAt),
	)
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
