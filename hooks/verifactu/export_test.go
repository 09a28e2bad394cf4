package verifactu

import (
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/aeat"
)

// RequestOf builds the records of issued invoices, chained one after
// another, and the request that carries them: what the benchmark of a
// full request measures.
func RequestOf(app core.App, invoices []*core.Record) ([]byte, error) {
	settings, err := loadRecordSettings(app)
	if err != nil {
		return nil, err
	}
	records := make([][]byte, len(invoices))
	var prev *link
	for i, inv := range invoices {
		issuer, recipient, err := invoicing.Parties(app, inv)
		if err != nil {
			return nil, err
		}
		a, err := buildAlta(app, inv, issuer, recipient, prev, system(issuer, settings.Installation), inv.Id)
		if err != nil {
			return nil, err
		}
		if records[i], err = a.Marshal(); err != nil {
			return nil, err
		}
		prev = &link{Seq: i + 1, Huella: a.Huella, Issuer: a.IDFactura.IDEmisorFactura, Number: a.IDFactura.NumSerieFactura, IssueDate: inv.GetString("issue_date")}
	}
	issuer, err := issuerName(app, invoices[0].Id)
	if err != nil {
		return nil, err
	}
	return aeat.Request(aeat.Header{IssuerName: issuer, IssuerTaxID: invoices[0].GetString("issuer_tax_id")}, records)
}
