package staff

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/inbox"
	"facturo/internal/web"
	"facturo/ui"
)

type inboundRow struct {
	ID, When, Kind, From, Subject, Text, RecordURL string
}

type inboxPage struct {
	page
	Rows                 []inboundRow
	PreviousURL, NextURL string
}

// handleUnmatched lists the mail that came back and could not be tied to
// an invoice, newest first, each linked to its record (and the message as
// received) in the admin dashboard.
func handleUnmatched(e *core.RequestEvent, p page) error {
	p = p.titled("app.list.unmatched", "inbox")
	ip := inboxPage{page: p}
	paging := web.PageOf(e, listPageSize)
	records, err := inbox.Unmatched(e.App, paging.Limit(), paging.Offset())
	if err != nil {
		return err
	}
	for _, r := range records {
		created := r.GetDateTime("created").Time()
		text := r.GetString("text")
		if len(text) > 300 {
			text = text[:300] + "…"
		}
		ip.Rows = append(ip.Rows, inboundRow{
			ID: r.Id, When: ui.FormatMoment(p.Lang, created), Kind: ui.T(p.Lang, "app.inbound."+r.GetString("kind")),
			From: r.GetString("from"), Subject: r.GetString("subject"), Text: text,
			RecordURL: "/_/#/collections?collection=" + inbox.Inbound + "&recordId=" + r.Id,
		})
	}
	var shown int
	shown, ip.PreviousURL, ip.NextURL = paging.Links("/app/inbox", nil, len(ip.Rows))
	ip.Rows = ip.Rows[:shown]
	return render(e, http.StatusOK, "inbox.html", p, ip)
}
