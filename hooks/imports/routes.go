package imports

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// MaxUploadBytes bounds an uploaded import file: some 500,000 CSV lines.
// A larger import is split into several files, each all-or-nothing.
const MaxUploadBytes = 50 << 20

// maxUploadBytes is MaxUploadBytes, lowered by tests.
var maxUploadBytes int64 = MaxUploadBytes

// Register binds the import routes, for staff only.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/imports")
		g.Bind(apis.RequireSuperuserAuth())
		g.GET("/template.csv", HandleTemplate(CSV))
		g.GET("/template.xlsx", HandleTemplate(XLSX))
		// The upload's own limit, with its own message, replaces the
		// router's default one.
		g.POST("", HandleUpload).Unbind(apis.DefaultBodyLimitMiddlewareId)
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

// HandleUpload reads the uploaded file and starts its import as a job, or
// with ?wait=1 runs it and answers with its summary. The caller has checked
// that a staff member asks; its own body limit replaces the router's.
func HandleUpload(e *core.RequestEvent) error {
	tooLarge := apis.NewApiError(http.StatusRequestEntityTooLarge,
		"The file is larger than "+strconv.FormatInt(maxUploadBytes>>20, 10)+" MB: split it into smaller files (each is imported all or nothing).", nil)
	if e.Request.ContentLength > maxUploadBytes+1<<20 {
		return tooLarge
	}
	// The form's other fields and the multipart framing take a little more
	// than the file itself.
	e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, maxUploadBytes+1<<20)
	if err := e.Request.ParseMultipartForm(16 << 20); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return tooLarge
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
		return tooLarge
	}
	// The job outlives the request and its temporary files.
	content, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	if wait, _ := strconv.ParseBool(e.Request.URL.Query().Get("wait")); wait {
		summary, err := Import(e.App, bytes.NewReader(content), int64(len(content)), header.Filename, opts, nil)
		if err != nil {
			return err
		}
		return e.JSON(http.StatusOK, summary)
	}
	job := startJob(e.App, content, header.Filename, opts)
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
