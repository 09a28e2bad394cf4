package invoicing

import (
	"slices"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/taxes"
	"facturo/internal/web"
	"facturo/ui"
)

// RectificationCodes are the legal grounds of a factura rectificativa
// (art. 80 Ley 37/1992, as VeriFactu codes them): R1 error in law or art.
// 80.1, .2 and .6; R2 art. 80.3 (insolvency); R3 art. 80.4 (bad debt); R4 other
// causes; R5 corrections of simplified invoices.
var RectificationCodes = []string{"R1", "R2", "R3", "R4", "R5"}

// Rectify creates a draft factura rectificativa of an issued invoice, in the
// rectifying series, with the original's lines negated for staff to adjust.
func Rectify(app core.App, invoiceID, code, reason string) (*core.Record, error) {
	if !slices.Contains(RectificationCodes, code) {
		return nil, web.Refuse(apis.NewBadRequestError("The rectification code must be one of R1, R2, R3, R4, R5.",
			validation.Errors{"code": validation.NewError("validation_invalid_code", "must be R1…R5")}), "invoicing.err.rectify_code", nil)
	}
	if strings.TrimSpace(reason) == "" {
		return nil, web.Refuse(apis.NewBadRequestError("Say why the invoice is rectified.",
			validation.Errors{"reason": validation.NewError("validation_required", "is required")}), "invoicing.err.rectify_reason", nil)
	}
	var draft *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		original, err := findInvoice(tx, invoiceID)
		if err != nil {
			return err
		}
		switch original.GetString("status") {
		case StatusDraft:
			return web.Refuse(apis.NewBadRequestError("A draft is not rectified; edit it instead.", nil), "invoicing.err.rectify_draft", nil)
		case StatusVoided:
			return web.Refuse(apis.NewBadRequestError("Invoice "+original.GetString("number")+" is voided; there is nothing to rectify.", nil), "invoicing.err.rectify_voided", ui.Args{"number": original.GetString("number")})
		}
		if code == "R3" {
			customer, err := tx.FindRecordById(Customers, original.GetString("customer"))
			if err != nil {
				return err
			}
			if err := checkBadDebtRecipient(customer); err != nil {
				return err
			}
		}
		lines, err := taxes.ParseLines([]byte(original.GetString("lines")))
		if err != nil {
			return err
		}
		negated, err := taxes.MarshalLines(taxes.Negate(lines))
		if err != nil {
			return err
		}
		draft = core.NewRecord(original.Collection())
		draft.Set("customer", original.GetString("customer"))
		draft.Set("currency", original.GetString("currency"))
		draft.Set("rectifies", original.Id)
		draft.Set("rectification_code", code)
		draft.Set("rectification_reason", strings.TrimSpace(reason))
		draft.Set("lines", string(negated))
		return tx.Save(draft)
	})
	return draft, err
}
