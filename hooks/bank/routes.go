package bank

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"facturo/hooks/invoicing"
)

// MaxStatementBytes bounds a statement, uploaded or read by the command: a
// year of a busy account's movements is a few megabytes.
const MaxStatementBytes = 20 << 20

// FormOverhead is what a statement upload's other fields and its multipart
// framing may add to the file.
const FormOverhead = 1 << 20

// maxJSONBytes bounds the body of the JSON routes, {"invoice": "<id>"}.
const maxJSONBytes = 16 << 10

// What a body over its route's limit is told.
var (
	statementTooLarge = "The statement is larger than " + strconv.Itoa(MaxStatementBytes>>20) + " MB: import it in parts."
	jsonTooLarge      = "The request body is larger than " + strconv.Itoa(maxJSONBytes>>10) + " KB: send {\"invoice\": \"<id>\"}."
)

// Register binds the reconciliation routes, for staff only. The movements
// themselves are read through the collection API (superusers only).
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/bank")
		g.Bind(apis.RequireSuperuserAuth())
		g.POST("/statements", handleStatement).Bind(bodyLimit(MaxStatementBytes+FormOverhead, statementTooLarge))
		jsonLimit := bodyLimit(maxJSONBytes, jsonTooLarge)
		g.POST("/movements/{id}/confirm", handleConfirm).Bind(jsonLimit)
		g.POST("/movements/{id}/reject", handleReject).Bind(jsonLimit)
		return se.Next()
	})
}

// bodyLimit replaces the router's body limit (32 MB) on a route: a body
// declared larger is refused with message before it is read, and one that
// turns out larger is cut where it passes the limit (the handler then
// answers 413 with the same message, see tooLarge).
func bodyLimit(limit int64, message string) *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       apis.DefaultBodyLimitMiddlewareId,
		Priority: apis.DefaultBodyLimitMiddlewarePriority,
		Func: func(e *core.RequestEvent) error {
			if e.Request.ContentLength > limit {
				return apis.NewApiError(http.StatusRequestEntityTooLarge, message, nil)
			}
			e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, limit)
			return e.Next()
		},
	}
}

// tooLarge is the 413 with message for a body that passed its route's
// limit while err was read, or nil when err is something else.
func tooLarge(err error, message string) error {
	var maxErr *http.MaxBytesError
	if !errors.As(err, &maxErr) {
		return nil
	}
	return apis.NewApiError(http.StatusRequestEntityTooLarge, message, nil)
}

// handleStatement imports the statement uploaded in the field "file" and
// answers with the summary; dry_run=true only tells what it would do.
func handleStatement(e *core.RequestEvent) error {
	// Up to 1 MB of the file is kept in memory, the rest in a temporary file
	// until it is read.
	if err := e.Request.ParseMultipartForm(1 << 20); err != nil {
		if err := tooLarge(err, statementTooLarge); err != nil {
			return err
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
	content, err := io.ReadAll(io.LimitReader(file, MaxStatementBytes+1))
	if err != nil {
		return err
	}
	if len(content) > MaxStatementBytes {
		return apis.NewApiError(http.StatusRequestEntityTooLarge, statementTooLarge, nil)
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
	err := e.BindBody(&body)
	if err := tooLarge(err, jsonTooLarge); err != nil {
		return err
	}
	if err != nil || strings.TrimSpace(body.Invoice) == "" {
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
