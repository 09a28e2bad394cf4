package imports

import (
	"bytes"
	"errors"
	"facturo/ui"
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
				return errTooLarge(requestLang(e))
			}
			e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, maxUploadBytes+formOverhead)
			return e.Next()
		},
	}
}

func errTooLarge(lang string) error {
	problem := ui.Errorf("import.err.upload_too_large", ui.Args{"limit": megabytes(maxUploadBytes)})
	return apis.NewApiError(http.StatusRequestEntityTooLarge, problem.In(lang), problem)
}

// errRefused answers a file refused by one of the limits on what an import
// reads, with the same message the import's summary gives.
func errRefused(lang string, problem error) error {
	reason := ui.Message(lang, problem)
	return apis.NewBadRequestError(reason, validation.Errors{"file": validation.NewError("import_refused", reason)})
}

// badRequest answers 400 with a message in lang that keeps its key.
func badRequest(lang string, problem *ui.Error) error {
	return apis.NewBadRequestError(problem.In(lang), problem)
}

// requestLang is the language of an upload's messages: the query's "lang"
// (the workspace sends its page's), then the Accept-Language header's,
// then English, as PocketBase's own API messages are.
func requestLang(e *core.RequestEvent) string {
	return ui.Pick(e.Request.URL.Query().Get("lang"), ui.AcceptLanguage(e.Request.Header.Get("Accept-Language")), ui.FallbackLang)
}

// HandleUpload reads the uploaded file and starts its import as a job, or
// with ?wait=1 runs it and answers with its summary. The caller has checked
// that a staff member asks, and bound BodyLimit. A file that passes one of
// the limits on what an import reads is refused with 400: at once when
// opening it shows it (its size, an XLSX file's parts and shared strings),
// and with ?wait=1 also when its rows do.
func HandleUpload(e *core.RequestEvent) error {
	lang := requestLang(e)
	if err := e.Request.ParseMultipartForm(16 << 20); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return errTooLarge(lang)
		}
		return badRequest(lang, ui.Errorf("import.err.multipart", nil))
	}
	opts := Options{Actor: invoicing.ActorFromRequest(e), Lang: lang}
	for name, dst := range map[string]*bool{"dry_run": &opts.DryRun, "issue": &opts.Issue, "send": &opts.Send} {
		v := strings.TrimSpace(e.Request.FormValue(name))
		if v == "" {
			continue
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return badRequest(lang, ui.Errorf("import.err.flag", ui.Args{"name": name}))
		}
		*dst = b
	}
	if opts.Send && !opts.Issue {
		return badRequest(lang, ErrSendWithoutIssue)
	}
	file, header, err := e.Request.FormFile("file")
	if err != nil {
		return badRequest(lang, ui.Errorf("import.err.no_file", nil))
	}
	defer file.Close()
	if header.Size > maxUploadBytes {
		return errTooLarge(lang)
	}
	// The job outlives the request and its temporary files.
	content, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	src := openSource(bytes.NewReader(content), int64(len(content)), header.Filename)
	if problem := src.refusal(); problem != nil {
		return errRefused(lang, problem)
	}
	if wait, _ := strconv.ParseBool(e.Request.URL.Query().Get("wait")); wait {
		summary, err := importSource(e.App, src, opts, nil)
		if err != nil {
			return err
		}
		if summary.refused != nil {
			return errRefused(lang, summary.refused)
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
		return apis.NewNotFoundError(ui.T(requestLang(e), "import.err.no_job"), nil)
	}
	return e.JSON(http.StatusOK, job.status())
}
