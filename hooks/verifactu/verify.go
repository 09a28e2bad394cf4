package verifactu

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/aeat"
)

// checkPage is how many records are read at a time.
const checkPage = 1000

// checkedRecord is a record with the invoice it is about, as checkChain
// reads them.
type checkedRecord struct {
	ID          string `db:"id"`
	Invoice     string `db:"invoice"`
	Kind        string `db:"kind"`
	Issuer      string `db:"issuer_tax_id"`
	Number      string `db:"number"`
	Seq         int    `db:"seq"`
	PrevHash    string `db:"prev_hash"`
	Huella      string `db:"huella"`
	XML         string `db:"xml"`
	Subsanacion bool   `db:"subsanacion"`
	// The invoice, empty when it is gone.
	InvoiceID     string `db:"invoice_id"`
	InvoiceNumber string `db:"invoice_number"`
	InvoiceStatus string `db:"invoice_status"`
	InvoiceHash   string `db:"invoice_hash"`
	InvoicePrev   string `db:"invoice_prev"`
	InvoiceIssuer string `db:"invoice_issuer"`
}

// checkChain checks every issuer's chain of records from its first: each
// record follows the one before it (position and huella), its XML still
// gives the huella it states and chains as it says, and it speaks of its
// invoice; the record of an invoice's issue states the invoice's own huella
// and link. Then every issued invoice must have the record of its issue,
// and every voided one its cancellation.
func checkChain(app core.App) (int, []invoicing.Problem, error) {
	var problems []invoicing.Problem
	add := func(r checkedRecord, what string) {
		p := invoicing.Problem{InvoiceID: r.Invoice, Number: r.Number, What: what}
		if r.InvoiceNumber != "" {
			p.Number = r.InvoiceNumber
		}
		problems = append(problems, p)
	}
	var issuers []string
	if err := app.DB().NewQuery("SELECT DISTINCT issuer_tax_id FROM verifactu_records ORDER BY issuer_tax_id").Column(&issuers); err != nil {
		return 0, nil, err
	}
	n := 0
	for _, nif := range issuers {
		prevSeq, prevHash := 0, ""
		for {
			var page []checkedRecord
			if err := app.DB().NewQuery(`SELECT r.id, r.invoice, r.kind, r.issuer_tax_id, r.number, r.seq, r.prev_hash, r.huella, r.xml, r.subsanacion,
				COALESCE(i.id, '') AS invoice_id, COALESCE(i.number, '') AS invoice_number, COALESCE(i.status, '') AS invoice_status,
				COALESCE(i.hash, '') AS invoice_hash, COALESCE(i.prev_hash, '') AS invoice_prev, COALESCE(i.issuer_tax_id, '') AS invoice_issuer
				FROM verifactu_records r LEFT JOIN invoices i ON i.id = r.invoice
				WHERE r.issuer_tax_id = {:nif} AND r.seq > {:after} ORDER BY r.seq LIMIT {:page}`).
				Bind(dbx.Params{"nif": nif, "after": prevSeq, "page": checkPage}).All(&page); err != nil {
				return n, nil, err
			}
			for _, r := range page {
				n++
				what := fmt.Sprintf("its %s record (no. %d of %s's chain)", r.Kind, r.Seq, nif)
				if r.Seq != prevSeq+1 {
					add(r, fmt.Sprintf("records %d to %d of %s's chain before its %s record are missing", prevSeq+1, r.Seq-1, nif, r.Kind))
				}
				if r.PrevHash != prevHash {
					add(r, what+" does not chain to the record before it")
				}
				for _, p := range checkXML(r) {
					add(r, what+" "+p)
				}
				switch {
				case r.InvoiceID == "":
					add(r, what+" speaks of an invoice that no longer exists")
				case r.InvoiceNumber != r.Number || r.InvoiceIssuer != r.Issuer:
					add(r, fmt.Sprintf("%s is about %s of %s, but the invoice is %s of %s", what, r.Number, r.Issuer, r.InvoiceNumber, r.InvoiceIssuer))
				case r.Kind == KindAlta && !r.Subsanacion:
					if r.InvoiceHash != r.Huella {
						add(r, what+" states another huella than the invoice's")
					}
					if r.InvoicePrev != r.PrevHash {
						add(r, "its previous huella does not match the record before it in the chain of "+nif)
					}
				case r.Kind == KindAnulacion && r.InvoiceStatus != invoicing.StatusVoided:
					add(r, what+" cancels it, but it is "+r.InvoiceStatus)
				}
				prevSeq, prevHash = r.Seq, r.Huella
			}
			if len(page) < checkPage {
				break
			}
		}
	}
	var missing []struct {
		ID     string `db:"id"`
		Number string `db:"number"`
		Status string `db:"status"`
		Kind   string `db:"kind"`
	}
	if err := app.DB().NewQuery(`SELECT i.id, i.number, i.status, 'alta' AS kind FROM invoices i WHERE i.status != 'draft' AND i.chain_seq > 0
			AND NOT EXISTS (SELECT 1 FROM verifactu_records r WHERE r.invoice = i.id AND r.kind = 'alta' AND r.subsanacion = FALSE)
		UNION ALL SELECT i.id, i.number, i.status, 'anulacion' FROM invoices i WHERE i.status = 'voided'
			AND NOT EXISTS (SELECT 1 FROM verifactu_records r WHERE r.invoice = i.id AND r.kind = 'anulacion')`).All(&missing); err != nil {
		return n, nil, err
	}
	for _, m := range missing {
		what := "it has no record of its issue"
		if m.Kind == KindAnulacion {
			what = "it is voided but has no cancellation record"
		}
		problems = append(problems, invoicing.Problem{InvoiceID: m.ID, Number: m.Number, What: what})
	}
	return n, problems, nil
}

// checkXML says what is wrong with a record's XML against the record.
func checkXML(r checkedRecord) []string {
	rec, err := aeat.ParseRecord([]byte(r.XML))
	if err != nil {
		return []string{"has an XML that no longer reads: " + err.Error()}
	}
	var problems []string
	if got := rec.Recomputed(); got != r.Huella || rec.Huella() != r.Huella {
		problems = append(problems, "has an XML that no longer gives its huella: the record was changed")
	}
	if rec.Chain().PrevHash() != r.PrevHash {
		problems = append(problems, "has an XML that chains to another record than it says")
	}
	number := ""
	if rec.Alta != nil {
		number = rec.Alta.IDFactura.NumSerieFactura
	} else {
		number = rec.Anulacion.IDFactura.NumSerieFacturaAnulada
	}
	if number != r.Number || (rec.Alta != nil) != (r.Kind == KindAlta) {
		problems = append(problems, "has an XML about another invoice or act")
	}
	return problems
}
