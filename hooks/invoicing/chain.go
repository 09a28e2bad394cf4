package invoicing

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/internal/huella"
	"facturo/internal/taxes"
)

// chainHead is the last link of the huella chain: its hash and position.
func chainHead(tx core.App) (hash string, seq int, err error) {
	var row struct {
		Hash string `db:"hash"`
		Seq  int    `db:"chain_seq"`
	}
	err = tx.DB().NewQuery("SELECT hash, chain_seq FROM invoices WHERE chain_seq > 0 ORDER BY chain_seq DESC LIMIT 1").One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	return row.Hash, row.Seq, err
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

// decimalField reads a money field stored with two decimals.
func decimalField(r *core.Record, name string) decimal.Decimal {
	return taxes.RoundCents(decimal.NewFromFloat(r.GetFloat(name)))
}
