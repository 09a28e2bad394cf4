package staff

import (
	"errors"
	"facturo/internal/money"
	"io"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"facturo/hooks/bank"
	"facturo/hooks/invoicing"
	"facturo/ui"
)

type proposalRow struct {
	ID, Date, Amount, Concept string
	Candidates                []option
}

type bankPage struct {
	page
	Summary   *bank.Summary
	Proposals []proposalRow
	Notice    string
	Error     string
}

// handleBank is the reconciliation page: upload a statement, see what it
// matched, and confirm or reject what it only proposed.
func handleBank(e *core.RequestEvent, p page) error {
	var notice string
	if k := e.Request.URL.Query().Get("done"); k != "" {
		notice = ui.T(p.Lang, "app.bank.done."+k)
	}
	return renderBank(e, p, http.StatusOK, nil, notice, "")
}

func renderBank(e *core.RequestEvent, p page, status int, summary *bank.Summary, notice, problem string) error {
	p = p.titled("app.bank", "bank")
	bp := bankPage{page: p, Summary: summary, Notice: notice, Error: problem}
	proposals, err := bank.Proposed(e.App, 200)
	if err != nil {
		return err
	}
	for _, pr := range proposals {
		m := pr.Movement
		row := proposalRow{
			ID: m.Id, Date: ui.FormatDate(p.Lang, m.GetDateTime("booking_date").Time()),
			Amount:  ui.FormatMoney(p.Lang, money.FromStored(m.GetFloat("amount")), m.GetString("currency")),
			Concept: strings.TrimSpace(m.GetString("concept") + " " + m.GetString("reference")),
		}
		for _, c := range pr.Candidates {
			owed := money.FromStored(c.Total).Sub(money.FromStored(c.PaidTotal))
			row.Candidates = append(row.Candidates, option{Value: c.ID, Label: c.Number + " · " + c.CustomerName + " · " + ui.FormatMoney(p.Lang, owed, c.Currency)})
		}
		bp.Proposals = append(bp.Proposals, row)
	}
	return render(e, status, "bank.html", p, bp)
}

// statementBodyLimit replaces the router's body limit (32 MB) on the
// statement upload. The form is read before the page's handler, by the
// check of its token, so the bound comes first: a body declared larger is
// refused before it is read, and a signed-in staff member's form is read
// here (little of it in memory), so that a body that turns out larger gets
// the page with the reason rather than a refused token.
func statementBodyLimit() *hook.Handler[*core.RequestEvent] {
	const limit = bank.MaxStatementBytes + bank.FormOverhead
	return &hook.Handler[*core.RequestEvent]{
		Id:       apis.DefaultBodyLimitMiddlewareId,
		Priority: apis.DefaultBodyLimitMiddlewarePriority,
		Func: func(e *core.RequestEvent) error {
			staff := site.SignedIn(e)
			if staff == nil {
				return e.Next() // refused by staffRoute, which reads no body
			}
			tooLarge := func() error {
				p := newPage(e, staff, "")
				return renderBank(e, p, http.StatusRequestEntityTooLarge, nil, "", ui.T(p.Lang, "app.bank.too_large"))
			}
			if e.Request.ContentLength > limit {
				return tooLarge()
			}
			e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, limit)
			var maxErr *http.MaxBytesError
			if err := e.Request.ParseMultipartForm(1 << 20); errors.As(err, &maxErr) {
				return tooLarge()
			}
			return e.Next()
		},
	}
}

// handleBankUpload imports a statement and shows what it did; its body was
// bounded by statementBodyLimit.
func handleBankUpload(e *core.RequestEvent, p page) error {
	file, header, err := e.Request.FormFile("file")
	if err != nil {
		return renderBank(e, p, http.StatusBadRequest, nil, "", ui.T(p.Lang, "app.bank.no_file"))
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, bank.MaxStatementBytes+1))
	if err != nil {
		return err
	}
	if len(content) > bank.MaxStatementBytes {
		return renderBank(e, p, http.StatusRequestEntityTooLarge, nil, "", ui.T(p.Lang, "app.bank.too_large"))
	}
	summary, err := bank.Import(e.App, header.Filename, content, e.Request.FormValue("dry_run") == "true")
	if err != nil {
		return renderBank(e, p, http.StatusBadRequest, nil, "", problemText(p.Lang, err))
	}
	status := http.StatusOK
	if len(summary.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return renderBank(e, p, status, &summary, "", "")
}

// handleMovementAction confirms a proposal with the invoice staff chose, or
// rejects it.
func handleMovementAction(e *core.RequestEvent, p page) error {
	id, actor := e.Request.PathValue("id"), invoicing.ActorFromRequest(e)
	var err error
	action := e.Request.PathValue("action")
	switch action {
	case "confirm":
		_, err = bank.Confirm(e.App, id, e.Request.PostFormValue("invoice"), actor)
	case "reject":
		_, err = bank.Reject(e.App, id, actor)
	default:
		return e.NotFoundError("", nil)
	}
	if err != nil {
		return renderBank(e, p, http.StatusBadRequest, nil, "", problemText(p.Lang, err))
	}
	return e.Redirect(http.StatusSeeOther, "/app/bank?done="+action)
}
