package verifactu

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// RecordLegacyInvoices gives the invoices issued before the product kept
// registration records theirs: for each issuer NIF that has issued
// invoices but no record yet, a record of each issue, in the order they
// were chained, each stating the huella and link its invoice was sealed
// with. They were never sent (not_sent) and their invoices carry no
// VERI*FACTU legend; the next record chains after the last of them.
func RecordLegacyInvoices(app core.App) error {
	var issuers []string
	if err := app.DB().NewQuery(`SELECT DISTINCT issuer_tax_id FROM invoices WHERE chain_seq > 0 AND issuer_tax_id != ''
		AND issuer_tax_id NOT IN (SELECT issuer_tax_id FROM verifactu_records)`).Column(&issuers); err != nil {
		return err
	}
	for _, nif := range issuers {
		if err := recordLegacy(app, nif); err != nil {
			app.Logger().Error("VERI*FACTU: the records of the invoices issued before records were kept could not be made; verify-chain names what is wrong",
				"issuer", nif, "error", err)
		}
	}
	return nil
}

func recordLegacy(app core.App, nif string) error {
	return app.RunInTransaction(func(tx core.App) error {
		settings, err := loadRecordSettings(tx)
		if err != nil {
			return err
		}
		settings.Enabled = false // records of invoices issued while nothing was sent
		invoices, err := tx.FindRecordsByFilter(invoicing.Invoices, "chain_seq > 0 && issuer_tax_id = {:nif}", "chain_seq", 0, 0, dbx.Params{"nif": nif})
		if err != nil {
			return err
		}
		var prev *link
		for _, inv := range invoices {
			if got := prevHuella(prev); got != inv.GetString("prev_hash") {
				return fmt.Errorf("invoice %s chains to %q, not to the invoice before it (%q)", inv.GetString("number"), inv.GetString("prev_hash"), got)
			}
			r := recordOf(inv, KindAlta, prev, settings)
			issuer, recipient, err := invoicing.Parties(tx, inv)
			if err != nil {
				return err
			}
			alta, err := buildAlta(tx, inv, issuer, recipient, prev, system(issuer, settings.Installation), r.ID)
			if err != nil {
				return err
			}
			if alta.Huella != inv.GetString("hash") {
				return fmt.Errorf("invoice %s: its record's huella %s is not the invoice's %s", inv.GetString("number"), alta.Huella, inv.GetString("hash"))
			}
			if err := saveRecord(tx, r, alta, inv.GetDateTime("hashed_at")); err != nil {
				return err
			}
			prev = &link{Seq: r.Seq, Huella: alta.Huella, Issuer: nif, Number: inv.GetString("number"), IssueDate: inv.GetDateTime("issue_date").String()}
		}
		return nil
	})
}
