package invoicing

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// stateDefaults are the values a new invoice starts with; a client may send
// them explicitly, but nothing else.
var stateDefaults = map[string]string{
	"status":   StatusDraft,
	"delivery": "not_sent",
	"response": "none",
	"payment":  "unpaid",
}

// bindGuards binds the record hooks that keep the rules true for every
// writer: REST, the admin dashboard and Go code alike.
func bindGuards(app core.App) {
	app.OnRecordCreate(Invoices).BindFunc(guardInvoiceSave)
	app.OnRecordUpdate(Invoices).BindFunc(guardInvoiceSave)
	app.OnRecordDelete(Invoices).BindFunc(guardInvoiceDelete)

	// The timeline and the payments are append-only, written by this package.
	app.OnRecordCreate(Events, Payments, SeriesCounters).BindFunc(requireSystemSave)
	app.OnRecordUpdate(Events).BindFunc(func(e *core.RecordEvent) error {
		return refuseUnlessClearingRefs(e, "events are never changed", "actor")
	})
	app.OnRecordUpdate(Payments).BindFunc(func(e *core.RecordEvent) error {
		return refuseUnlessClearingRefs(e, "payments are never changed; record a correcting payment instead")
	})
	app.OnRecordUpdate(SeriesCounters).BindFunc(requireSystemSave)
	app.OnRecordDelete(Events, Payments, SeriesCounters).BindFunc(func(e *core.RecordEvent) error {
		return apis.NewBadRequestError("Records of "+e.Record.Collection().Name+" are never deleted.", nil)
	})

	app.OnRecordCreate(Issuer).BindFunc(guardSingleIssuer)
	app.OnRecordDelete(Issuer).BindFunc(func(e *core.RecordEvent) error {
		return apis.NewBadRequestError("The issuer profile cannot be deleted; edit it instead.", nil)
	})
	app.OnRecordCreateRequest(Invoices).BindFunc(refuseUnreadableDates)
	app.OnRecordUpdateRequest(Invoices).BindFunc(refuseUnreadableDates)
	app.OnRecordCreate(Customers).BindFunc(setCustomerDefaults)
	app.OnRecordCreateRequest(Customers).BindFunc(defaultPaymentTerms)
	app.OnRecordCreate(Contacts).BindFunc(setContactDefaults)
}

// guardInvoiceSave freezes issued invoices, keeps system fields for the
// system, and keeps a draft's totals in step with its lines.
func guardInvoiceSave(e *core.RecordEvent) error {
	r := e.Record
	stored, err := storedVersion(e.App, r)
	if err != nil {
		return err
	}
	keepCounts(r, stored)
	isDraft, err := checkInvoiceChange(stored, r, isSystem(e.Context))
	if err != nil {
		return err
	}
	if isDraft {
		if err := prepareDraft(e.App, r); err != nil {
			return err
		}
	}
	return e.Next()
}

// checkInvoiceChange is the invoice guard: whether r may replace stored
// (nil for a new invoice), saved by the system's own functions or not. It
// runs for every write of an invoice: the record hooks' saves, and the
// batched SQL of RecordPayments. It tells whether r is a draft whose
// defaults and totals the save must still prepare.
func checkInvoiceChange(stored, r *core.Record, system bool) (isDraft bool, err error) {
	if stored != nil && stored.GetString("status") != StatusDraft {
		changed := changedFields(r, stored, frozenFields)
		// The PDF is drawn once, just after the issue commits.
		if system && stored.GetString("pdf") == "" && slices.Equal(changed, []string{"pdf"}) {
			changed = nil
		}
		if len(changed) > 0 {
			return false, frozenError(stored, changed)
		}
		if err := guardStatusChange(stored, r); err != nil {
			return false, err
		}
		if !system {
			if changed := changedStateFields(r, stored); len(changed) > 0 {
				return false, systemFieldsError(changed)
			}
		}
		return false, nil
	}

	if !system {
		if changed := append(changedFields(r, stored, issueFields), changedStateFields(r, stored)...); len(changed) > 0 {
			return false, systemFieldsError(changed)
		}
		if changed := changedFields(r, stored, totalFields); len(changed) > 0 {
			return false, apis.NewBadRequestError("Totals are computed from the lines.", fieldErrors(changed, "computed", "is computed from the lines"))
		}
	}
	// Issue has validated and totalled the invoice it is issuing.
	return !(system && r.GetString("status") == StatusIssued), nil
}

// keepCounts gives a save the stored counts of the invoice's history rows
// (zero for a new invoice): only the SQL that appends those rows moves them,
// and a record loaded before an append must not write an older count back.
func keepCounts(r, stored *core.Record) {
	for _, f := range counterFields {
		if stored == nil {
			r.Set(f, 0)
		} else {
			r.Set(f, stored.GetInt(f))
		}
	}
}

// changedStateFields are the state fields a save changes, leaving out a
// contact reference that PocketBase clears because the contact was deleted,
// and, on a new record, the states every invoice starts with.
func changedStateFields(r, stored *core.Record) []string {
	var changed []string
	for _, name := range changedFields(r, stored, stateFields) {
		if stored == nil && r.GetString(name) == stateDefaults[name] {
			continue
		}
		if name == "response_by" && r.GetString(name) == "" {
			continue
		}
		changed = append(changed, name)
	}
	return changed
}

// guardStatusChange allows an issued invoice only two moves: to rectified,
// when a factura rectificativa corrects it, or to voided, when it was
// issued by mistake. Neither goes back, nor on.
func guardStatusChange(stored, r *core.Record) error {
	from, to := stored.GetString("status"), r.GetString("status")
	if from == to || (from == StatusIssued && (to == StatusRectified || to == StatusVoided)) {
		return nil
	}
	return apis.NewBadRequestError("An invoice cannot go from "+from+" to "+to+".", nil)
}

func guardInvoiceDelete(e *core.RecordEvent) error {
	stored, err := storedVersion(e.App, e.Record)
	if err != nil {
		return err
	}
	if stored.GetString("status") != StatusDraft {
		return apis.NewBadRequestError("Invoice "+stored.GetString("number")+
			" is issued and can never be deleted; correct it with a factura rectificativa (POST /api/invoices/{id}/rectify).", nil)
	}
	return e.Next()
}

func frozenError(r *core.Record, changed []string) error {
	return apis.NewBadRequestError(
		"Invoice "+r.GetString("number")+" is issued and frozen ("+strings.Join(changed, ", ")+
			"); correct it with a factura rectificativa (POST /api/invoices/{id}/rectify).",
		fieldErrors(changed, "frozen", "cannot change once the invoice is issued"))
}

func systemFieldsError(changed []string) error {
	return apis.NewBadRequestError(
		"Only the system sets "+strings.Join(changed, ", ")+".",
		fieldErrors(changed, "system_field", "is set by the system"))
}

func fieldErrors(fields []string, code, message string) validation.Errors {
	errs := validation.Errors{}
	for _, f := range fields {
		errs[f] = validation.NewError("validation_"+code, message)
	}
	return errs
}

func requireSystemSave(e *core.RecordEvent) error {
	if !isSystem(e.Context) {
		return apis.NewBadRequestError("Records of "+e.Record.Collection().Name+" are written only by the invoicing functions.", nil)
	}
	return e.Next()
}

// refuseUnlessClearingRefs refuses every update except PocketBase clearing
// the given relation fields after the record they pointed to was deleted.
func refuseUnlessClearingRefs(e *core.RecordEvent, message string, refs ...string) error {
	r := e.Record
	stored, err := storedVersion(e.App, r)
	if err != nil {
		return err
	}
	for _, f := range r.Collection().Fields {
		name := f.GetName()
		if name == "updated" || sameValue(stored.GetRaw(name), r.GetRaw(name)) {
			continue
		}
		if slices.Contains(refs, name) && r.GetString(name) == "" {
			continue
		}
		return apis.NewBadRequestError(message+".", nil)
	}
	return e.Next()
}

func guardSingleIssuer(e *core.RecordEvent) error {
	n, err := e.App.CountRecords(Issuer)
	if err != nil {
		return err
	}
	if n > 0 {
		return apis.NewBadRequestError("There is one issuer profile; edit it instead of adding another.", nil)
	}
	return e.Next()
}

func setCustomerDefaults(e *core.RecordEvent) error {
	r := e.Record
	if r.GetString("country") == "" {
		r.Set("country", "ES")
	}
	if r.GetString("language") == "" {
		r.Set("language", FirmLanguage(e.App))
	}
	return e.Next()
}

// defaultPaymentTerms gives customers created without terms (or with the
// dashboard's empty field) the usual 30 days.
func defaultPaymentTerms(e *core.RecordRequestEvent) error {
	if strings.TrimSpace(sentValues(e.RequestEvent)["payment_terms_days"]) == "" {
		e.Record.Set("payment_terms_days", 30)
	}
	return e.Next()
}

func setContactDefaults(e *core.RecordEvent) error {
	r := e.Record
	if r.GetString("role") == "" {
		r.Set("role", "viewer")
	}
	if r.GetString("language") == "" {
		if customer, err := e.App.FindRecordById(Customers, r.GetString("customer")); err == nil {
			r.Set("language", customer.GetString("language"))
		}
	}
	return e.Next()
}

// refuseUnreadableDates answers 400 for a date PocketBase cannot read, which
// it would otherwise store as empty: a typo in a due date must not silently
// become "issue date plus terms". PocketBase has already turned the body
// into typed values by now (an unreadable date and an empty one both look
// empty), so the dates are read from the request as sent.
func refuseUnreadableDates(e *core.RecordRequestEvent) error {
	sent := sentValues(e.RequestEvent)
	for _, field := range []string{"issue_date", "operation_date", "due_date"} {
		value := strings.TrimSpace(sent[field])
		if value == "" {
			continue
		}
		if d, err := types.ParseDateTime(value); err != nil || d.IsZero() {
			return apis.NewBadRequestError("Invalid "+field+": write a date such as 2026-11-27.",
				validation.Errors{field: validation.NewError("validation_invalid_date", "must be a date such as 2026-11-27")})
		}
	}
	return e.Next()
}

// sentValues are the string and number fields of a JSON or form request
// body as the client sent them (the last value of a repeated form field).
func sentValues(e *core.RequestEvent) map[string]string {
	out := map[string]string{}
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") {
		raw, err := io.ReadAll(e.Request.Body)
		if err != nil {
			return out
		}
		var body map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if dec.Decode(&body) == nil {
			for k, v := range body {
				switch x := v.(type) {
				case string:
					out[k] = x
				case json.Number:
					out[k] = x.String()
				}
			}
		}
		return out
	}
	if e.Request.MultipartForm != nil {
		for k, vs := range e.Request.MultipartForm.Value {
			if len(vs) > 0 {
				out[k] = vs[len(vs)-1]
			}
		}
	} else if e.Request.PostForm != nil {
		for k, vs := range e.Request.PostForm {
			if len(vs) > 0 {
				out[k] = vs[len(vs)-1]
			}
		}
	}
	return out
}
