package staff

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/einvoice"
	"facturo/hooks/invoicing"
	"facturo/internal/clock"
	"facturo/internal/taxes"
	"facturo/ui"
)

// The invoice editor: /app/invoices/new and /app/invoices/{id}/edit. The
// form works without scripts (its lines are repeated fields, its buttons
// save, preview, issue, or issue and send); with them, each change asks
// POST /app/totals for the lines' amounts and totals, which the server
// works out with the issue's own arithmetic, and the customer and the
// lines' descriptions suggest customers and products as they are typed.

// editorLine is one line of the form with its amount and problems.
type editorLine struct {
	lineInput
	Amount string
	Errors lineProblems
}

// editorPage is the editor of an invoice, a quote or a recurring invoice.
type editorPage struct {
	page
	Kind                                              string // invoice, quote or recurring
	Action, Cancel                                    string
	ID, Number                                        string
	CustomerID, CustomerName                          string
	Series, IssueDate, DueDate, OperationDate         string
	ValidUntil, Notes, ExternalID, OrderReference     string
	Rectifies, RectificationCode, RectificationReason string
	Codes, SeriesOptions                              []string
	Lines                                             []editorLine
	Totals                                            totalsView
	Errors                                            map[string]string
	Error, Notice                                     string
	EInvoiceMissing                                   []string
	EInvoiceTitle                                     string
	Exemptions                                        []string
	Saved                                             bool
	// Recurring holds the fields only a recurring invoice has.
	Recurring *recurringFields
}

// exemptionReasons are the usual reasons a line bears no IVA, offered as
// the exemption field is typed; any other text may be written.
var exemptionReasons = []string{"art20", "art21", "art25", "art84", "art7"}

func newEditorPage(p page, kind string) editorPage {
	ep := editorPage{page: p, Kind: kind, Errors: map[string]string{}, Codes: invoicing.RectificationCodes}
	for _, r := range exemptionReasons {
		ep.Exemptions = append(ep.Exemptions, ui.T(p.Lang, "app.editor.exemption."+r))
	}
	return ep
}

// BlankLine is the line the editor's script adds.
func (ep editorPage) BlankLine() editorLine { return editorLine{lineInput: lineInput{VAT: "21"}} }

// setLines puts lines into the page with their amounts and problems.
func (ep *editorPage) setLines(in []lineInput, checked checkedLines, blanks int) {
	ep.Totals = viewTotals(ep.Lang, checked, len(in))
	ep.Lines = ep.Lines[:0]
	for i, l := range in {
		ep.Lines = append(ep.Lines, editorLine{lineInput: l, Amount: ep.Totals.Lines[i], Errors: ep.Totals.Errors[i]})
	}
	for range blanks {
		ep.Lines = append(ep.Lines, editorLine{lineInput: lineInput{VAT: "21"}})
	}
}

// seriesOptions are the series the firm uses, offered as the series is
// typed: its default ones and every series that has numbered an invoice.
func seriesOptions(app core.App) []string {
	var out []string
	if issuer, err := invoicing.LoadIssuer(app); err == nil {
		for _, f := range []string{"default_series", "rectifying_series"} {
			if s := issuer.GetString(f); s != "" {
				out = append(out, s)
			}
		}
	}
	var used []string
	_ = app.DB().Select("DISTINCT series").From(invoicing.SeriesCounters).OrderBy("series").Column(&used)
	for _, s := range used {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func dateInput(dt types.DateTime) string {
	if dt.IsZero() {
		return ""
	}
	return dt.Time().Format(time.DateOnly)
}

// handleInvoiceNew is the editor of a new invoice, for the customer the
// link names, if any.
func handleInvoiceNew(e *core.RequestEvent, p page) error {
	p = p.titled("app.editor.new_invoice", "invoices")
	ep := newEditorPage(p, "invoice")
	ep.Action, ep.Cancel = "/app/invoices/new", "/app/invoices?state=draft"
	ep.IssueDate = clock.Today().Format(time.DateOnly)
	ep.SeriesOptions = seriesOptions(e.App)
	if issuer, err := invoicing.LoadIssuer(e.App); err == nil {
		ep.Series = issuer.GetString("default_series")
	}
	if id := e.Request.URL.Query().Get("customer"); id != "" {
		if c, err := e.App.FindRecordById(invoicing.Customers, id); err == nil && !c.GetBool("archived") {
			ep.CustomerID, ep.CustomerName = c.Id, c.GetString("name")
			ep.DueDate = invoicing.DueDateFor(c, clock.Today()).Format(time.DateOnly)
		}
	}
	ep.setLines(nil, checkedLines{}, 3)
	return render(e, http.StatusOK, "editor.html", p, ep)
}

// handleInvoiceEdit is the editor of a draft; an issued invoice is shown
// instead, since it can no longer change.
func handleInvoiceEdit(e *core.RequestEvent, p page) error {
	inv, err := e.App.FindRecordById(invoicing.Invoices, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	if inv.GetString("status") != invoicing.StatusDraft {
		return e.Redirect(http.StatusSeeOther, "/app/invoices/"+inv.Id)
	}
	ep := invoiceEditor(e, p, inv)
	if e.Request.URL.Query().Get("done") == "saved" {
		ep.Notice = ui.T(p.Lang, "app.editor.saved")
	}
	return render(e, http.StatusOK, "editor.html", ep.page, ep)
}

// invoiceEditor is the editor showing a stored draft.
func invoiceEditor(e *core.RequestEvent, p page, inv *core.Record) editorPage {
	p = p.titled("app.editor.edit_invoice", "invoices")
	ep := newEditorPage(p, "invoice")
	ep.ID, ep.Saved = inv.Id, true
	ep.Action, ep.Cancel = "/app/invoices/"+inv.Id+"/edit", "/app/invoices/"+inv.Id
	ep.CustomerID = inv.GetString("customer")
	if c, err := e.App.FindRecordById(invoicing.Customers, ep.CustomerID); err == nil {
		ep.CustomerName = c.GetString("name")
	}
	ep.Series, ep.Notes = inv.GetString("series"), inv.GetString("notes")
	ep.ExternalID, ep.OrderReference = inv.GetString("external_id"), inv.GetString("order_reference")
	ep.IssueDate, ep.DueDate, ep.OperationDate = dateInput(inv.GetDateTime("issue_date")), dateInput(inv.GetDateTime("due_date")), dateInput(inv.GetDateTime("operation_date"))
	ep.RectificationCode, ep.RectificationReason = inv.GetString("rectification_code"), inv.GetString("rectification_reason")
	if id := inv.GetString("rectifies"); id != "" {
		if original, err := e.App.FindRecordById(invoicing.Invoices, id); err == nil {
			ep.Rectifies = original.GetString("number")
		}
	}
	ep.SeriesOptions = seriesOptions(e.App)
	var in []lineInput
	if lines, err := taxes.ParseLines([]byte(inv.GetString("lines"))); err == nil {
		in = lineInputs(p.Lang, lines)
	}
	ep.setLines(in, checkLines(p.Lang, in), 1)
	ep.checkEInvoice(e.App, inv)
	return ep
}

// checkEInvoice notes what the customer's preferred structured format
// still lacks, to be said before issuing.
func (ep *editorPage) checkEInvoice(app core.App, inv *core.Record) {
	if inv.GetString("customer") == "" || strings.TrimSpace(inv.GetString("lines")) == "[]" {
		return
	}
	c, err := einvoice.CheckInvoice(app, inv, "", ep.Lang)
	if err != nil || c.Format == "pdf" || c.Ready {
		return
	}
	ep.EInvoiceTitle = strings.ReplaceAll(ui.T(ep.Lang, "einvoice.draft_missing"), "{format}", ui.T(ep.Lang, "einvoice.format."+c.Format))
	for _, text := range c.Missing {
		ep.EInvoiceMissing = append(ep.EInvoiceMissing, text)
	}
}

// readDraftForm fills a draft record from the posted editor, and the page
// showing what was posted. It reports whether the form is right; the
// store's own rules run when the record is saved.
func readDraftForm(e *core.RequestEvent, ep *editorPage, inv *core.Record) bool {
	form := e.Request.PostForm
	value := func(name string) string { return strings.TrimSpace(form.Get(name)) }
	ep.CustomerID, ep.CustomerName = value("customer"), value("customer_name")
	ep.Series, ep.Notes = value("series"), strings.TrimSpace(form.Get("notes"))
	ep.ExternalID, ep.OrderReference = value("external_id"), value("order_reference")
	ep.IssueDate, ep.DueDate, ep.OperationDate = value("issue_date"), value("due_date"), value("operation_date")
	if inv.GetString("rectifies") != "" {
		ep.RectificationCode, ep.RectificationReason = value("rectification_code"), value("rectification_reason")
		inv.Set("rectification_code", ep.RectificationCode)
		inv.Set("rectification_reason", ep.RectificationReason)
	}
	ok := true
	customer := resolveCustomer(e.App, ep.CustomerID, ep.CustomerName)
	if customer == nil {
		ep.Errors["customer"] = ui.T(ep.Lang, "app.editor.err.customer")
		ok = false
	} else {
		ep.CustomerID, ep.CustomerName = customer.Id, customer.GetString("name")
		inv.Set("customer", customer.Id)
	}
	for field, v := range map[string]string{"issue_date": ep.IssueDate, "due_date": ep.DueDate, "operation_date": ep.OperationDate} {
		if v == "" {
			inv.Set(field, "")
			continue
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			ep.Errors[field] = ui.T(ep.Lang, "app.form.err.date")
			ok = false
			continue
		}
		inv.Set(field, d)
	}
	inv.Set("series", ep.Series)
	inv.Set("notes", ep.Notes)
	inv.Set("external_id", ep.ExternalID)
	inv.Set("order_reference", ep.OrderReference)
	in := linesFromForm(form)
	checked := checkLines(ep.Lang, in)
	ep.setLines(in, checked, 1)
	if !checked.ok() {
		ok = false
		ep.Error = checked.firstError(ep.Lang)
	}
	inv.Set("lines", checked.linesJSON())
	return ok
}

// resolveCustomer is the customer the editor names: by its id, or, when a
// form was sent without scripts, the one customer whose name or tax id is
// what was typed.
func resolveCustomer(app core.App, id, typed string) *core.Record {
	if id != "" {
		if c, err := app.FindRecordById(invoicing.Customers, id); err == nil {
			return c
		}
		return nil
	}
	if typed == "" {
		return nil
	}
	found := searchCustomers(app, typed, 2)
	if len(found) == 1 {
		return found[0]
	}
	return nil
}

// searchCustomers finds customers that are not archived by a part of their
// name, tax id or e-mail address, names first.
func searchCustomers(app core.App, q string, limit int) []*core.Record {
	q = strings.TrimSpace(q)
	filter, params := "archived != true", dbx.Params{}
	if q != "" {
		filter += " && (name ~ {:q} || tax_id ~ {:q} || email ~ {:q})"
		params["q"] = q
	}
	found, err := app.FindRecordsByFilter(invoicing.Customers, filter, "name", limit, 0, params)
	if err != nil {
		return nil
	}
	return found
}

// handleInvoiceSave saves the editor's draft (a new one, or the draft the
// path names), then previews, issues, or issues and sends it as the button
// pressed says. A refusal comes back on the form, beside the fields.
func handleInvoiceSave(e *core.RequestEvent, p page) error {
	var inv *core.Record
	var ep editorPage
	if id := e.Request.PathValue("id"); id != "" {
		stored, err := e.App.FindRecordById(invoicing.Invoices, id)
		if err != nil {
			return e.NotFoundError("", nil)
		}
		if stored.GetString("status") != invoicing.StatusDraft {
			return e.Redirect(http.StatusSeeOther, "/app/invoices/"+stored.Id)
		}
		inv = stored
		ep = invoiceEditor(e, p, inv)
	} else {
		col, err := e.App.FindCachedCollectionByNameOrId(invoicing.Invoices)
		if err != nil {
			return err
		}
		inv = core.NewRecord(col)
		ep = newEditorPage(p.titled("app.editor.new_invoice", "invoices"), "invoice")
		ep.Action, ep.Cancel = "/app/invoices/new", "/app/invoices?state=draft"
		ep.SeriesOptions = seriesOptions(e.App)
	}
	ep.Errors, ep.Error, ep.EInvoiceMissing = map[string]string{}, "", nil
	if !readDraftForm(e, &ep, inv) {
		if ep.Error == "" {
			ep.Error = ui.T(p.Lang, "app.form.fix")
		}
		return render(e, http.StatusBadRequest, "editor.html", ep.page, ep)
	}
	if err := e.App.Save(inv); err != nil {
		fields, whole := fieldProblems(p.Lang, err)
		for f, msg := range fields {
			ep.Errors[f] = msg
		}
		ep.Error = whole
		return render(e, http.StatusBadRequest, "editor.html", ep.page, ep)
	}
	actor := invoicing.ActorFromRequest(e)
	var err error
	switch action := e.Request.PostFormValue("action"); action {
	case "issue":
		_, err = invoicing.Issue(e.App, inv.Id, actor)
	case "issue_send":
		_, err = invoicing.IssueAndSend(e.App, inv.Id, actor)
	default:
		return e.Redirect(http.StatusSeeOther, "/app/invoices/"+inv.Id+"/edit?done=saved")
	}
	if err != nil {
		// The draft is saved; what stopped the issue is said on its form.
		inv, _ = e.App.FindRecordById(invoicing.Invoices, inv.Id)
		ep = invoiceEditor(e, p, inv)
		fields, whole := fieldProblems(p.Lang, err)
		for f, msg := range fields {
			ep.Errors[f] = msg
		}
		ep.Error = ui.T(p.Lang, "app.editor.not_issued") + " " + whole
		return render(e, http.StatusBadRequest, "editor.html", ep.page, ep)
	}
	return e.Redirect(http.StatusSeeOther, "/app/invoices/"+inv.Id+"?done="+e.Request.PostFormValue("action"))
}

// handleInvoicePreview draws the editor's draft as posted, without saving
// it, as a PDF marked as a draft; a form that is not right comes back with
// its problems.
func handleInvoicePreview(e *core.RequestEvent, p page) error {
	col, err := e.App.FindCachedCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		return err
	}
	inv := core.NewRecord(col)
	ep := newEditorPage(p.titled("app.editor.new_invoice", "invoices"), "invoice")
	ep.Action, ep.Cancel = "/app/invoices/new", "/app/invoices?state=draft"
	if id := e.Request.PostFormValue("id"); id != "" {
		if stored, err := e.App.FindRecordById(invoicing.Invoices, id); err == nil && stored.GetString("status") == invoicing.StatusDraft {
			inv.Set("rectifies", stored.GetString("rectifies"))
			ep.ID, ep.Action, ep.Saved = stored.Id, "/app/invoices/"+stored.Id+"/edit", true
		}
	}
	if !readDraftForm(e, &ep, inv) || inv.GetString("lines") == "[]" {
		if ep.Error == "" {
			ep.Error = ui.T(p.Lang, "app.editor.err.no_lines")
		}
		return render(e, http.StatusBadRequest, "editor.html", ep.page, ep)
	}
	doc, err := invoicing.RenderDraftPDF(e.App, inv)
	if err != nil {
		return err
	}
	return servePreview(e, doc, ui.T(p.Lang, "app.editor.preview_file"))
}

// handleDraftPreview draws a stored draft as a PDF marked as a draft.
func handleDraftPreview(e *core.RequestEvent, p page) error {
	inv, err := e.App.FindRecordById(invoicing.Invoices, e.Request.PathValue("id"))
	if err != nil || inv.GetString("status") != invoicing.StatusDraft {
		return e.NotFoundError("", nil)
	}
	if strings.TrimSpace(inv.GetString("lines")) == "[]" || inv.GetString("lines") == "" {
		return e.Redirect(http.StatusSeeOther, "/app/invoices/"+inv.Id+"/edit")
	}
	doc, err := invoicing.RenderDraftPDF(e.App, inv)
	if err != nil {
		return err
	}
	return servePreview(e, doc, ui.T(p.Lang, "app.editor.preview_file"))
}

// servePreview answers a preview PDF to be shown in the browser, never
// kept by a cache.
func servePreview(e *core.RequestEvent, doc []byte, name string) error {
	h := e.Response.Header()
	h.Set("Content-Disposition", `inline; filename="`+name+`"`)
	h.Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, "application/pdf", doc)
}

// totalsRequest is what the editor's script sends as it is typed into.
type totalsRequest struct {
	Customer       string      `json:"customer"`
	IssueDate      string      `json:"issue_date"`
	OrderReference string      `json:"order_reference"`
	Lines          []lineInput `json:"lines"`
}

// totalsAnswer is the editor's figures and hints.
type totalsAnswer struct {
	totalsView
	// DueDate is the due date the customer's terms give for the issue
	// date, for the editor to fill in while the clerk has not.
	DueDate string `json:"due_date,omitempty"`
	// EInvoice is what the customer's preferred structured format still
	// lacks, when it lacks anything.
	EInvoice *einvoiceHint `json:"einvoice,omitempty"`
}

type einvoiceHint struct {
	Title   string   `json:"title"`
	Missing []string `json:"missing"`
}

// maxTotalsBody bounds the editor's request: the lines of an invoice are
// at most 2 MB when stored.
const maxTotalsBody = 2 << 20

// handleTotals answers the editor's figures: each line's amount and the
// invoice's totals, computed by the server with the issue's arithmetic
// (internal/taxes), never by the page; each line's problems in the
// clerk's language; the due date the customer's terms give; and what the
// customer's structured format lacks.
func handleTotals(e *core.RequestEvent, p page) error {
	var req totalsRequest
	body := http.MaxBytesReader(e.Response, e.Request.Body, maxTotalsBody)
	if err := json.NewDecoder(body).Decode(&req); err != nil && err != io.EOF {
		return e.BadRequestError(ui.T(p.Lang, "app.editor.err.request"), nil)
	}
	if len(req.Lines) > maxEditorLines {
		req.Lines = req.Lines[:maxEditorLines]
	}
	checked := checkLines(p.Lang, req.Lines)
	answer := totalsAnswer{totalsView: viewTotals(p.Lang, checked, len(req.Lines))}
	if req.Customer == "" {
		return e.JSON(http.StatusOK, answer)
	}
	customer, err := e.App.FindRecordById(invoicing.Customers, req.Customer)
	if err != nil {
		return e.JSON(http.StatusOK, answer)
	}
	issue := clock.Today()
	if d, err := time.Parse(time.DateOnly, req.IssueDate); err == nil {
		issue = d
	}
	answer.DueDate = invoicing.DueDateFor(customer, issue).Format(time.DateOnly)
	if len(checked.Valid) > 0 {
		col, err := e.App.FindCachedCollectionByNameOrId(invoicing.Invoices)
		if err != nil {
			return err
		}
		draft := core.NewRecord(col)
		draft.Load(map[string]any{"customer": customer.Id, "status": invoicing.StatusDraft, "lines": checked.linesJSON(), "issue_date": issue, "order_reference": req.OrderReference})
		if c, err := einvoice.CheckInvoice(e.App, draft, "", p.Lang); err == nil && c.Format != "pdf" && !c.Ready {
			hint := &einvoiceHint{Title: strings.ReplaceAll(ui.T(p.Lang, "einvoice.draft_missing"), "{format}", ui.T(p.Lang, "einvoice.format."+c.Format))}
			for _, text := range c.Missing {
				hint.Missing = append(hint.Missing, text)
			}
			answer.EInvoice = hint
		}
	}
	return e.JSON(http.StatusOK, answer)
}

// customerHit is a customer the editor's picker offers.
type customerHit struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	TaxID   string `json:"tax_id"`
	Email   string `json:"email"`
	Terms   int    `json:"terms"`
	Details string `json:"details"`
}

// handleCustomerSearch answers the customer picker: up to eight customers
// that are not archived whose name, tax id or address holds what is typed.
func handleCustomerSearch(e *core.RequestEvent, p page) error {
	hits := []customerHit{}
	for _, c := range searchCustomers(e.App, e.Request.URL.Query().Get("q"), 8) {
		details := strings.Trim(c.GetString("tax_id")+" · "+c.GetString("city"), " ·")
		hits = append(hits, customerHit{ID: c.Id, Name: c.GetString("name"), TaxID: c.GetString("tax_id"), Email: c.GetString("email"), Terms: c.GetInt("payment_terms_days"), Details: details})
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, hits)
}

// invoiceDocumentActions are what staff do to an invoice as a document,
// from its page: duplicate it into a new draft (any invoice), delete a
// draft, issue and send a draft.
var invoiceDocumentActions = map[string]func(e *core.RequestEvent, p page, inv *core.Record) error{
	"duplicate": func(e *core.RequestEvent, p page, inv *core.Record) error {
		draft, err := invoicing.Duplicate(e.App, inv.Id)
		if err != nil {
			return renderInvoice(e, p, inv, http.StatusBadRequest, "", problemText(p.Lang, err))
		}
		return e.Redirect(http.StatusSeeOther, "/app/invoices/"+draft.Id+"/edit?done=saved")
	},
	"delete": func(e *core.RequestEvent, p page, inv *core.Record) error {
		if inv.GetString("status") != invoicing.StatusDraft {
			return renderInvoice(e, p, inv, http.StatusBadRequest, "", ui.T(p.Lang, "app.editor.err.delete_issued"))
		}
		if err := e.App.Delete(inv); err != nil {
			return renderInvoice(e, p, inv, http.StatusBadRequest, "", problemText(p.Lang, err))
		}
		return e.Redirect(http.StatusSeeOther, "/app/invoices?state=draft&"+url.Values{"done": {"deleted"}}.Encode())
	},
	"issue_send": func(e *core.RequestEvent, p page, inv *core.Record) error {
		if _, err := invoicing.IssueAndSend(e.App, inv.Id, invoicing.ActorFromRequest(e)); err != nil {
			inv, _ = e.App.FindRecordById(invoicing.Invoices, inv.Id)
			return renderInvoice(e, p, inv, http.StatusBadRequest, "", problemText(p.Lang, err))
		}
		return e.Redirect(http.StatusSeeOther, "/app/invoices/"+inv.Id+"?done=issue_send")
	},
}
