package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

const bankMovementID = "pbc_bank_movements"

// Bank movements are every line of every bank statement imported, kept once
// each (by key) so that importing a statement again pays nothing twice. For
// staff only (no API rules: superusers alone).
func init() {
	register(func(app core.App) error {
		c := core.NewBaseCollection("bank_movements", bankMovementID)
		c.Fields.Add(
			&core.TextField{Name: "key", Required: true, Max: 64, Help: "The movement's identity: a hash of what the bank says about it and its ordinal among identical movements of its statement"},
			text("statement", 300, "The statement file it came from"),
			&core.NumberField{Name: "line", OnlyInt: true, Help: "Its line in that file"},
			&core.DateField{Name: "booking_date"},
			&core.DateField{Name: "value_date"},
			money("amount", "Credits positive, debits negative"),
			text("currency", 3, ""),
			text("concept", 2000, "All concept and remittance text"),
			text("reference", 500, "The bank's references and the end-to-end id"),
			text("account", 64, "The account's IBAN, or the bank's id of it"),
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"matched", "proposed", "unmatched", "ignored", "confirmed", "rejected"}},
			&core.RelationField{Name: "invoice", CollectionId: invoiceID, MaxSelect: 50, Help: "Matched or confirmed: the invoices it paid; proposed: the candidates"},
			&core.RelationField{Name: "payment", CollectionId: paymentID, MaxSelect: 50, Help: "The payments recorded from it"},
			text("note", 500, "Why it was matched, proposed or left"),
		)
		c.Fields.Add(timestamps()...)
		c.AddIndex("idx_bank_movements_key", true, "key", "")
		c.AddIndex("idx_bank_movements_status", false, "status, created", "")
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, bankMovementID)
	})
}
