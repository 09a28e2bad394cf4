package bank

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// maxStatementBytes bounds an uploaded statement: a year of a busy
// account's movements is a few megabytes.
const maxStatementBytes = 20 << 20

// Register binds the reconciliation routes, for staff only. The movements
// themselves are read through the collection API (superusers only).
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/bank")
		g.Bind(apis.RequireSuperuserAuth())
		g.POST("/statements", handleStatement).Bind(apis.BodyLimit(maxStatementBytes + 1<<20))
		g.POST("/movements/{id}/confirm", handleConfirm)
		g.POST("/movements/{id}/reject", handleReject)
		return se.Next()
	})
}

// handleStatement imports the statement uploaded in the field "file" and
// answers with the summary; dry_run=true only tells what it would do.
func handleStatement(e *core.RequestEvent) error {
	if err := e.Request.ParseMultipartForm(8 << 20); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return apis.NewApiError(http.StatusRequestEntityTooLarge, "The statement is larger than 20 MB: import it in parts.", nil)
		}
		return apis.NewBadRequestError("Send the statement as multipart/form-data, in the field \"file\".", nil)
	}
	dryRun := false
	if v := strings.TrimSpace(e.Request.FormValue("dry_run")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return apis.NewBadRequestError("Invalid dry_run: write true or false.", nil)
		}
		dryRun = b
	}
	file, header, err := e.Request.FormFile("file")
	if err != nil {
		return apis.NewBadRequestError("Attach the statement in the field \"file\".", nil)
	}
	defer file.Close()
	content, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	summary, err := Import(e.App, header.Filename, content, dryRun)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, summary)
}

func handleConfirm(e *core.RequestEvent) error {
	var body struct {
		Invoice string `json:"invoice"`
	}
	if err := e.BindBody(&body); err != nil || strings.TrimSpace(body.Invoice) == "" {
		return apis.NewBadRequestError("Name the invoice the movement pays: {\"invoice\": \"<id>\"}.", nil)
	}
	m, err := Confirm(e.App, e.Request.PathValue("id"), strings.TrimSpace(body.Invoice), invoicing.ActorFromRequest(e))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, m)
}

func handleReject(e *core.RequestEvent) error {
	m, err := Reject(e.App, e.Request.PathValue("id"), invoicing.ActorFromRequest(e))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, m)
}
