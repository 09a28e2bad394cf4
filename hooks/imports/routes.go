package imports

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"facturo/hooks/invoicing"
)

// maxUploadBytes is MaxUploadBytes, lowered by tests.
var maxUploadBytes int64 = MaxUploadBytes

// formOverhead is what the form's other fields and the multipart framing
// may add to the file.
const formOverhead = 1 << 20

// Register binds the import routes, for staff only.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/imports")
		g.Bind(apis.RequireSuperuserAuth())
		g.GET("/template.csv", HandleTemplate(CSV))
		g.GET("/template.xlsx", HandleTemplate(XLSX))
		g.POST("", HandleUpload).Bind(BodyLimit())
		g.GET("/{id}", HandleJob)
		return se.Next()
	})
}

// HandleTemplate serves the import template in format; the staff
// workspace serves it too.
func HandleTemplate(format Format) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		var buf bytes.Buffer
		contentType := "text/csv; charset=utf-8"
		write := WriteTemplateCSV
		if format == XLSX {
			contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			write = WriteTemplateXLSX
		}
		if err := write(&buf); err != nil {
			return err
		}
		e.Response.Header().Set("Content-Disposition", `attachment; filename="facturo-import.`+string(format)+`"`)
		return e.Blob(http.StatusOK, contentType, buf.Bytes())
	}
}

// BodyLimit is the upload's body limit, in place of the router's: a body
// declared larger than the file's limit is refused before it is read, with
// a message that says what to do, and one that turns out larger is cut
// where it passes it (HandleUpload then says the same). The staff
// workspace's upload uses it too.
func BodyLimit() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       apis.DefaultBodyLimitMiddlewareId,
		Priority: apis.DefaultBodyLimitMiddlewarePriority,
		Func: func(e *core.RequestEvent) error {
			if e.Request.ContentLength > maxUploadBytes+formOverhead {
				return errTooLarge()
			}
			e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, maxUploadBytes+formOverhead)
			return e.Next()
		},
	}
}

func errTooLarge() error {
	return apis.NewApiError(http.StatusRequestEntityTooLarge,
		"The file is larger than "+megabytes(maxUploadBytes)+": split it into smaller files (each is imported all or nothing).", nil)
}

// errRefused answers a file refused by one of the limits on what an import
// reads, with the same message the import's summary gives.
func errRefused(reason string) error {
	return apis.NewBadRequestError(reason, validation.Errors{"file": validation.NewError("import_refused", reason)})
}

// HandleUpload reads the uploaded file and starts its import as a job, or
// with ?wait=1 runs it and answers with its summary. The caller has checked
// that a staff member asks, and bound BodyLimit. A file that passes one of
// the limits on what an import reads is refused with 400: at once when
// opening it shows it (its size, an XLSX file's parts and shared strings),
// and with ?wait=1 also when its rows do.
func HandleUpload(e *core.RequestEvent) error {
	if err := e.Request.ParseMultipartForm(16 << 20); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return errTooLarge()
		}
		return apis.NewBadRequestError("Send the file as multipart/form-data, in the field \"file\".", nil)
	}
	opts := Options{Actor: invoicing.ActorFromRequest(e)}
	for name, dst := range map[string]*bool{"dry_run": &opts.DryRun, "issue": &opts.Issue, "send": &opts.Send} {
		v := strings.TrimSpace(e.Request.FormValue(name))
		if v == "" {
			continue
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return apis.NewBadRequestError("Invalid "+name+": write true or false.", nil)
		}
		*dst = b
	}
	if opts.Send && !opts.Issue {
		return apis.NewBadRequestError("send needs issue: only issued invoices are emailed.", nil)
	}
	file, header, err := e.Request.FormFile("file")
	if err != nil {
		return apis.NewBadRequestError("Attach the file to import in the field \"file\".", nil)
	}
	defer file.Close()
	if header.Size > maxUploadBytes {
		return errTooLarge()
	}
	// The job outlives the request and its temporary files.
	content, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	src := openSource(bytes.NewReader(content), int64(len(content)), header.Filename)
	if reason := src.refusal(); reason != "" {
		return errRefused(reason)
	}
	if wait, _ := strconv.ParseBool(e.Request.URL.Query().Get("wait")); wait {
		summary, err := importSource(e.App, src, opts, nil)
		if err != nil {
			return err
		}
		if summary.refused != "" {
			return errRefused(summary.refused)
		}
		return e.JSON(http.StatusOK, summary)
	}
	job := startJob(e.App, src, opts)
	return e.JSON(http.StatusAccepted, map[string]string{"id": job.ID})
}

// HandleJob answers with a job's progress and, once done, its summary.
func HandleJob(e *core.RequestEvent) error {
	job, ok := jobsOf(e.App).get(e.Request.PathValue("id"))
	if !ok {
		return apis.NewNotFoundError("No import with this id; imports are kept for an hour.", nil)
	}
	return e.JSON(http.StatusOK, job.status())
}
