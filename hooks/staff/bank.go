package staff

import (
	"io"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/bank"
	"facturo/hooks/invoicing"
	"facturo/ui"
)

// maxStatementBytes bounds an uploaded bank statement; a year of a busy
// account in Norma 43 is a few megabytes.
const maxStatementBytes = 20 << 20

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
			Amount:  ui.FormatMoney(p.Lang, decimal.NewFromFloat(m.GetFloat("amount")), m.GetString("currency")),
			Concept: strings.TrimSpace(m.GetString("concept") + " " + m.GetString("reference")),
		}
		for _, c := range pr.Candidates {
			owed := decimal.NewFromFloat(c.Total).Sub(decimal.NewFromFloat(c.PaidTotal))
			row.Candidates = append(row.Candidates, option{Value: c.ID, Label: c.Number + " · " + c.CustomerName + " · " + ui.FormatMoney(p.Lang, owed, c.Currency)})
		}
		bp.Proposals = append(bp.Proposals, row)
	}
	return render(e, status, "bank.html", p, bp)
}

// handleBankUpload imports a statement and shows what it did.
func handleBankUpload(e *core.RequestEvent, p page) error {
	e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, maxStatementBytes+1<<20)
	file, header, err := e.Request.FormFile("file")
	if err != nil {
		return renderBank(e, p, http.StatusBadRequest, nil, "", ui.T(p.Lang, "app.bank.no_file"))
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, maxStatementBytes+1))
	if err != nil {
		return err
	}
	if len(content) > maxStatementBytes {
		return renderBank(e, p, http.StatusRequestEntityTooLarge, nil, "", ui.T(p.Lang, "app.bank.too_large"))
	}
	summary, err := bank.Import(e.App, header.Filename, content, e.Request.FormValue("dry_run") == "true")
	if err != nil {
		return renderBank(e, p, http.StatusBadRequest, nil, "", problemText(err))
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
		return renderBank(e, p, http.StatusBadRequest, nil, "", problemText(err))
	}
	return e.Redirect(http.StatusSeeOther, "/app/bank?done="+action)
}
