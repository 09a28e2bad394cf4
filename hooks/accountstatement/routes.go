package accountstatement

import (
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/interest"
)

// Register binds the statement's download route.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/customers/{id}/statement.pdf", HandleDownload)
		return se.Next()
	})
}

// HandleDownload serves the statement of the customer {id} to staff, or to
// a contact of that customer; anyone else gets a 403 (not signed in) or a
// 404 (another customer, whose existence this route does not admit). The
// workspace and the portal serve it too, from their sessions.
func HandleDownload(e *core.RequestEvent) error {
	if e.Auth == nil {
		return apis.NewForbiddenError("Sign in to download a statement.", nil)
	}
	id := e.Request.PathValue("id")
	isContact := e.Auth.Collection().Name == invoicing.Contacts
	if !e.HasSuperuserAuth() && !(isContact && e.Auth.GetString("customer") == id) {
		return apis.NewNotFoundError("No customer with id "+id+".", nil)
	}
	customer, err := e.App.FindRecordById(invoicing.Customers, id)
	if err != nil {
		return apis.NewNotFoundError("No customer with id "+id+".", nil)
	}
	q := e.Request.URL.Query()
	lang := q.Get("lang")
	if !knownLanguage(lang) {
		return apis.NewBadRequestError("lang must be es or en.", nil)
	}
	asOf, err := interest.ParseAsOf(q.Get("as_of"))
	if err != nil {
		return err
	}
	doc, err := StatementPDF(e.App, id, asOf, lang)
	if err != nil {
		return apis.NewApiError(http.StatusConflict, "The statement cannot be made up: "+err.Error()+".", nil)
	}
	h := e.Response.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+FileName(customer.GetString("name"), asOf)+`"`)
	h.Set("Content-Length", strconv.Itoa(len(doc)))
	h.Set("Cache-Control", "private, no-store")
	e.Response.WriteHeader(http.StatusOK)
	_, err = e.Response.Write(doc)
	return err
}
