package verifactu

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/aeat"
	"facturo/internal/huella"
	"facturo/internal/taxes"
	"facturo/internal/taxid"
	"facturo/ui"
)

// link is a record as the next one in its chain refers to it.
type link struct {
	Seq       int    `db:"seq"`
	Huella    string `db:"huella"`
	Issuer    string `db:"issuer_tax_id"`
	Number    string `db:"number"`
	IssueDate string `db:"issue_date"`
}

func (l *link) previous() *aeat.Previous {
	if l == nil {
		return nil
	}
	return &aeat.Previous{IDEmisorFactura: l.Issuer, NumSerieFactura: l.Number,
		FechaExpedicionFactura: huella.FormatDate(parseDate(l.IssueDate)), Huella: l.Huella}
}

// buildAlta is the registration record of an issued invoice's issue,
// chained after prev, with the huella invoicing sealed it with.
func buildAlta(app core.App, inv *core.Record, issuer, recipient invoicing.Party, prev *link, sys aeat.System, ref string) (*aeat.Alta, error) {
	rows, descriptions, err := frozenLines(inv)
	if err != nil {
		return nil, err
	}
	return buildAltaOf(app, inv, issuer, recipient, rows, descriptions, prev, sys, ref)
}

// frozenLines are the frozen breakdown and the lines' descriptions of an
// issued invoice: all a record needs of its lines, which were validated and
// totalled at issue and are sealed by its content hash.
func frozenLines(inv *core.Record) ([]taxRow, []string, error) {
	var frozen struct {
		VAT []taxRow `json:"vat"`
	}
	if err := json.Unmarshal([]byte(inv.GetString("taxes")), &frozen); err != nil {
		return nil, nil, fmt.Errorf("invoice %s: its tax breakdown: %w", inv.GetString("number"), err)
	}
	var lines []struct {
		Description string `json:"description"`
	}
	if err := json.Unmarshal([]byte(inv.GetString("lines")), &lines); err != nil {
		return nil, nil, fmt.Errorf("invoice %s: its lines: %w", inv.GetString("number"), err)
	}
	descriptions := make([]string, len(lines))
	for i, l := range lines {
		descriptions[i] = l.Description
	}
	return frozen.VAT, descriptions, nil
}

// issuedLines are the breakdown and descriptions of the lines an invoice
// is being issued with, as the issue computed them.
func issuedLines(lines []taxes.Line, t taxes.Totals) ([]taxRow, []string) {
	rows := make([]taxRow, len(t.Taxes))
	for i, r := range t.Taxes {
		rows[i] = taxRow{VAT: r.VAT, Base: r.Base, Tax: r.Tax, Surcharge: r.Surcharge, SurchargeAmount: r.SurchargeAmount, VATExemption: r.VATExemption}
	}
	descriptions := make([]string, len(lines))
	for i, l := range lines {
		descriptions[i] = l.Description
	}
	return rows, descriptions
}

// buildAltaOf is buildAlta with the lines' breakdown and descriptions.
func buildAltaOf(app core.App, inv *core.Record, issuer, recipient invoicing.Party, rows []taxRow, descriptions []string, prev *link, sys aeat.System, ref string) (*aeat.Alta, error) {
	h := invoicing.HuellaRecord(inv)
	a := &aeat.Alta{
		IDVersion:                aeat.Version,
		IDFactura:                invoiceID(inv),
		RefExterna:               ref,
		NombreRazonEmisor:        aeat.Text(issuer.Name, 120),
		TipoFactura:              h.Type,
		CuotaTotal:               huella.FormatAmount(h.TaxTotal),
		ImporteTotal:             huella.FormatAmount(h.Total),
		Encadenamiento:           aeat.Link(prev.previous()),
		SistemaInformatico:       sys,
		FechaHoraHusoGenRegistro: huella.FormatTimestamp(h.GeneratedAt),
	}
	if op := inv.GetDateTime("operation_date"); !op.IsZero() && !op.Time().Equal(inv.GetDateTime("issue_date").Time()) {
		a.FechaOperacion = huella.FormatDate(op.Time())
	}
	if h.Total.Abs().GreaterThanOrEqual(decimal.NewFromInt(100_000_000)) {
		a.Macrodato = "S"
	}
	if originalID := inv.GetString("rectifies"); originalID != "" {
		original, err := app.FindRecordById(invoicing.Invoices, originalID)
		if err != nil {
			return nil, err
		}
		// The product's facturas rectificativas state the difference (por
		// diferencias): their lines are what changes.
		a.TipoRectificativa = "I"
		a.FacturasRectificadas = &aeat.Rectified{IDFacturaRectificada: []aeat.InvoiceID{invoiceID(original)}}
		a.DescripcionOperacion = aeat.Text("Rectificación de la factura "+original.GetString("number")+": "+inv.GetString("rectification_reason"), 500)
	} else {
		a.DescripcionOperacion = describeLines(descriptions)
	}
	// A correction of a simplified invoice (R5) names no recipient, as the
	// simplified invoice did not (error 1190); every other names it (1189).
	if party, ok := recipientParty(recipient); ok && a.TipoFactura != "R5" {
		a.Destinatarios = &aeat.Recipients{IDDestinatario: []aeat.Party{party}}
	}
	details, err := breakdown(rows)
	if err != nil {
		return nil, fmt.Errorf("invoice %s: %w", inv.GetString("number"), err)
	}
	a.Desglose = aeat.Breakdown{DetalleDesglose: details}
	a.Seal()
	return a, nil
}

// buildAnulacion is the cancellation record of a voided invoice, chained
// after prev. Without a registered issue record (its alta was never sent,
// or refused), the AEAT is told so (SinRegistroPrevio S).
func buildAnulacion(inv *core.Record, prev *link, sys aeat.System, ref string, generated string, noPrevious bool) *aeat.Anulacion {
	id := invoiceID(inv)
	c := &aeat.Anulacion{
		IDVersion: aeat.Version,
		IDFactura: aeat.CancelledID{IDEmisorFacturaAnulada: id.IDEmisorFactura, NumSerieFacturaAnulada: id.NumSerieFactura,
			FechaExpedicionFacturaAnulada: id.FechaExpedicionFactura},
		RefExterna:               ref,
		Encadenamiento:           aeat.Link(prev.previous()),
		SistemaInformatico:       sys,
		FechaHoraHusoGenRegistro: generated,
	}
	if noPrevious {
		c.SinRegistroPrevio = "S"
	}
	c.Seal()
	return c
}

func invoiceID(inv *core.Record) aeat.InvoiceID {
	return aeat.InvoiceID{IDEmisorFactura: inv.GetString("issuer_tax_id"), NumSerieFactura: inv.GetString("number"),
		FechaExpedicionFactura: huella.FormatDate(inv.GetDateTime("issue_date").Time())}
}

// describeLines is the DescripcionOperacion of an invoice: what its lines
// bill, each once, as far as 500 characters go.
func describeLines(lines []string) string {
	var seen []string
	for _, l := range lines {
		d := strings.TrimSpace(l)
		if d != "" && !slices.Contains(seen, d) {
			seen = append(seen, d)
		}
	}
	return aeat.Text(strings.Join(seen, "; "), 500)
}

// euVAT are the prefixes of VAT numbers of the other EU member states (and
// of Northern Ireland), which the records state as NIF-IVA (IDType 02).
var euVAT = []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU",
	"LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"}

// recipientParty is the invoice's customer as the records name it: by NIF
// when Spanish, else by its VAT number (an EU customer) or the identifier
// of its country. A customer without a tax id is not named (ok false).
func recipientParty(r invoicing.Party) (aeat.Party, bool) {
	id := taxid.Normalize(r.TaxID)
	if id == "" {
		return aeat.Party{}, false
	}
	p := aeat.Party{NombreRazon: aeat.Text(r.Name, 120)}
	country := strings.ToUpper(r.Country)
	if country == "" || country == "ES" {
		if nif, err := taxid.SpanishNIF(id); err == nil {
			p.NIF = nif
			return p, true
		}
		country = "ES"
	}
	vatPrefix := country
	if country == "GR" {
		vatPrefix = "EL"
	}
	if slices.Contains(euVAT, vatPrefix) {
		if !strings.HasPrefix(id, vatPrefix) && !(country == "GR" && strings.HasPrefix(id, "GR")) {
			id = vatPrefix + id
		}
		p.IDOtro = &aeat.OtherID{CodigoPais: country, IDType: "02", ID: aeat.Text(id, 20)}
		return p, true
	}
	idType := "04" // an identifier of the country of residence
	if country == "ES" {
		idType = "07" // a Spanish customer whose id is no NIF: not in the census
	}
	p.IDOtro = &aeat.OtherID{CodigoPais: country, IDType: idType, ID: aeat.Text(id, 20)}
	return p, true
}

// Classifications of a line without VAT, as its exemption reason tells
// them: E1–E6 exempt under articles 20 to 25 of Ley 37/1992 (E6 any other
// cause), N1 not subject (articles 7 and 14), N2 not subject by the rules
// of place of supply (articles 68 to 70), S2 subject with the reverse
// charge (inversión del sujeto pasivo, article 84).
var (
	explicitCode = regexp.MustCompile(`(?i)^\s*(E[1-6]|N[12]|S2)\b`)
	articleRules = []struct {
		re   *regexp.Regexp
		code string
	}{
		{regexp.MustCompile(`(?i)inversi[oó]n del sujeto pasivo|\bISP\b|reverse charge|art(\.|[ií]culo)?\s*84\b`), "S2"},
		{regexp.MustCompile(`(?i)(reglas de localizaci[oó]n|art(\.|[ií]culo)?\s*(68|69|70)\b)`), "N2"},
		{regexp.MustCompile(`(?i)no sujet[oa]|not subject|art(\.|[ií]culo)?\s*(7|14)\b`), "N1"},
		{regexp.MustCompile(`(?i)art(\.|[ií]culo)?\s*20\b`), "E1"},
		{regexp.MustCompile(`(?i)export|art(\.|[ií]culo)?\s*21\b`), "E2"},
		{regexp.MustCompile(`(?i)art(\.|[ií]culo)?\s*22\b`), "E3"},
		{regexp.MustCompile(`(?i)art(\.|[ií]culo)?\s*(23|24)\b`), "E4"},
		{regexp.MustCompile(`(?i)intracomunitari|art(\.|[ií]culo)?\s*25\b`), "E5"},
	}
)

// Classify is the VERI*FACTU classification of a line without VAT from its
// exemption reason: the code when the reason starts with one (E1…E6, N1,
// N2, S2), else what the article or wording it cites means, else E6
// (exempt for another cause).
func Classify(reason string) string {
	if code, ok := classified.Load(reason); ok {
		return code.(string)
	}
	code := "E6"
	if m := explicitCode.FindStringSubmatch(reason); m != nil {
		code = strings.ToUpper(m[1])
	} else {
		for _, r := range articleRules {
			if r.re.MatchString(reason) {
				code = r.code
				break
			}
		}
	}
	classified.Store(reason, code)
	return code
}

// classified keeps each exemption reason's classification: a firm writes
// the same few reasons on thousands of invoices.
var classified sync.Map

// Classifications are the codes a line without VAT may be given.
var Classifications = []string{"E1", "E2", "E3", "E4", "E5", "E6", "N1", "N2", "S2"}

// breakdown is the invoice's Desglose from its exact totals: a detail per
// VAT rate (with its recargo de equivalencia, regime 18), and per
// classification of the lines without VAT, those of one classification
// added up.
// taxRow is a row of an invoice's frozen breakdown, as setTotals stores
// it (taxes.TaxRow's JSON).
type taxRow struct {
	VAT             decimal.Decimal `json:"vat"`
	Base            decimal.Decimal `json:"base"`
	Tax             decimal.Decimal `json:"tax"`
	Surcharge       decimal.Decimal `json:"surcharge"`
	SurchargeAmount decimal.Decimal `json:"surcharge_amount"`
	VATExemption    string          `json:"vat_exemption"`
}

func breakdown(rows []taxRow) ([]aeat.Detail, error) {
	var details []aeat.Detail
	index := map[string]int{}
	for _, row := range rows {
		d := aeat.Detail{Impuesto: "01", ClaveRegimen: "01"}
		key := ""
		switch {
		case row.VAT.IsPositive():
			d.CalificacionOperacion = "S1"
			d.TipoImpositivo = row.VAT.String()
			d.CuotaRepercutida = huella.FormatAmount(row.Tax)
			if row.Surcharge.IsPositive() {
				d.ClaveRegimen = "18"
				d.TipoRecargoEquivalencia = row.Surcharge.String()
				d.CuotaRecargoEquivalencia = huella.FormatAmount(row.SurchargeAmount)
			}
			key = "S1|" + d.TipoImpositivo + "|" + d.TipoRecargoEquivalencia
		default:
			code := Classify(row.VATExemption)
			key = code
			switch {
			case code == "S2":
				d.CalificacionOperacion, d.TipoImpositivo, d.CuotaRepercutida = "S2", "0", "0.00"
			case code == "N1" || code == "N2":
				d.CalificacionOperacion = code
			default:
				d.OperacionExenta = code
				if code == "E2" || code == "E3" {
					d.ClaveRegimen = "02" // exports
				}
			}
		}
		if i, ok := index[key]; ok {
			details[i].BaseImponibleOimporteNoSujeto = addAmounts(details[i].BaseImponibleOimporteNoSujeto, row.Base)
			continue
		}
		d.BaseImponibleOimporteNoSujeto = huella.FormatAmount(row.Base)
		index[key] = len(details)
		details = append(details, d)
	}
	if len(details) == 0 || len(details) > aeat.MaxDetails {
		return nil, fmt.Errorf("its tax breakdown has %d kinds of line; a record holds 1 to %d", len(details), aeat.MaxDetails)
	}
	return details, nil
}

func addAmounts(a string, b decimal.Decimal) string {
	return huella.FormatAmount(decimal.RequireFromString(a).Add(b))
}

// withClassification is a record's breakdown with the details at given
// positions classified anew: a correction of how lines without VAT were
// classified.
func withClassification(details []aeat.Detail, changes map[int]string) ([]aeat.Detail, error) {
	out := slices.Clone(details)
	for i, code := range changes {
		if i < 0 || i >= len(out) {
			return nil, ui.Errorf("verifactu.err.no_detail", ui.Args{"n": strconv.Itoa(i + 1)})
		}
		d := &out[i]
		if d.CalificacionOperacion == "S1" {
			return nil, ui.Errorf("verifactu.err.detail_bears_vat", ui.Args{"n": strconv.Itoa(i + 1)})
		}
		if !slices.Contains(Classifications, code) {
			return nil, ui.Errorf("verifactu.err.classification_code", ui.Args{"code": code, "codes": strings.Join(Classifications, ", ")})
		}
		d.CalificacionOperacion, d.OperacionExenta, d.TipoImpositivo, d.CuotaRepercutida, d.ClaveRegimen = "", "", "", "", "01"
		switch {
		case code == "S2":
			d.CalificacionOperacion, d.TipoImpositivo, d.CuotaRepercutida = "S2", "0", "0.00"
		case code == "N1" || code == "N2":
			d.CalificacionOperacion = code
		default:
			d.OperacionExenta = code
			if code == "E2" || code == "E3" {
				d.ClaveRegimen = "02"
			}
		}
	}
	return out, nil
}
