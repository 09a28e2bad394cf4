package invoicing

import (
	"database/sql"
	"errors"
	"facturo/internal/money"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/internal/huella"
)

// Registry keeps the chain of registration records that VERI*FACTU asks
// for: one chain per issuer NIF, in which every issue, every cancellation
// of an invoice voided and every correction of a record is a link, each
// record's huella chaining to the one before it. An issued invoice's hash
// is the huella of the record of its issue, and its prev_hash the huella
// that record chains to, which may be a cancellation's. The VERI*FACTU
// package keeps the records and registers itself here (SetRegistry);
// without it the chain is the issued invoices alone.
type Registry interface {
	// ChainHead is the huella the issuer's next record chains to: the last
	// record's, "" when the issuer has none. It runs inside the issuing
	// transaction, which writes that next record (OnIssuing).
	ChainHead(tx core.App, issuerTaxID string) (string, error)
	// CheckChain checks the chains of records, and the records against the
	// invoices, for verify-chain: it counts the records and lists
	// everything that no longer matches.
	CheckChain(app core.App) (records int, problems []Problem, err error)
	// QR says how an issued invoice's tax QR code and legend read.
	QR(app core.App, inv *core.Record) (QRMode, error)
}

// QRMode is how an issued invoice shows its QR code: whether its records
// go to the AEAT under VERI*FACTU (the QR points at the VERI*FACTU service
// and the legend is printed), and whether they go to the AEAT's test
// environment (the QR points at the test service).
type QRMode struct {
	VeriFactu bool
	Testing   bool
}

const storeRegistry = "facturo.invoicing.registry"

// SetRegistry makes r the keeper of the chain of registration records.
func SetRegistry(app core.App, r Registry) { app.Store().Set(storeRegistry, r) }

func registry(app core.App) Registry {
	r, _ := app.Store().Get(storeRegistry).(Registry)
	return r
}

// chainHead is the huella an issuer's next invoice chains to, from the
// registry when there is one, else the issuer's last issued invoice; and
// the position of the last issued invoice in the invoices' own sequence.
func chainHead(tx core.App, issuerTaxID string) (hash string, seq int, err error) {
	if err := tx.DB().NewQuery("SELECT COALESCE(MAX(chain_seq), 0) FROM invoices WHERE chain_seq > 0").Row(&seq); err != nil {
		return "", 0, err
	}
	if r := registry(tx); r != nil {
		hash, err = r.ChainHead(tx, issuerTaxID)
		return hash, seq, err
	}
	err = tx.DB().NewQuery("SELECT hash FROM invoices WHERE chain_seq > 0 AND issuer_tax_id = {:nif} ORDER BY chain_seq DESC LIMIT 1").
		Bind(dbx.Params{"nif": issuerTaxID}).Row(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", seq, nil
	}
	return hash, seq, err
}

// invoiceType is the VeriFactu TipoFactura: F1 for an ordinary invoice, the
// rectification code (R1…R5) for a factura rectificativa.
func invoiceType(inv *core.Record) string {
	if code := inv.GetString("rectification_code"); code != "" {
		return code
	}
	return "F1"
}

// huellaRecord is the registration record of an issued invoice, read back
// from its stored fields.
func huellaRecord(inv *core.Record) huella.Record {
	tax := decimalField(inv, "tax_total").Add(decimalField(inv, "surcharge_total"))
	return huella.Record{
		IssuerTaxID: inv.GetString("issuer_tax_id"),
		Number:      inv.GetString("number"),
		IssueDate:   inv.GetDateTime("issue_date").Time(),
		Type:        invoiceType(inv),
		TaxTotal:    tax,
		// ImporteTotal is what the invoice charges before IRPF is withheld:
		// the withholding is the customer's payment to the tax agency.
		Total:       decimalField(inv, "subtotal").Add(tax),
		PrevHash:    inv.GetString("prev_hash"),
		GeneratedAt: inv.GetDateTime("hashed_at").Time(),
	}
}

// HuellaRecord is the data of an issued invoice's registration record that
// enters its huella, read from its frozen fields: what the VERI*FACTU
// record of its issue states.
func HuellaRecord(inv *core.Record) huella.Record { return huellaRecord(inv) }

// decimalField reads a money field stored with two decimals.
func decimalField(r *core.Record, name string) decimal.Decimal {
	return money.FromStored(r.GetFloat(name))
}
