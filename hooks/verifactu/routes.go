package verifactu

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/clock"
)

// bindRoutes adds the staff routes: where sending stands, send now, and
// what staff do about a record the AEAT refused or accepted with errors.
func bindRoutes(se *core.ServeEvent) {
	g := se.Router.Group("/api/verifactu")
	g.Bind(apis.RequireSuperuserAuth())
	g.GET("/status", func(e *core.RequestEvent) error {
		s, err := LoadStatus(e.App)
		if err != nil {
			return err
		}
		return e.JSON(http.StatusOK, statusJSON(s))
	})
	g.POST("/send", func(e *core.RequestEvent) error {
		if err := SendNow(e.App); err != nil {
			return err
		}
		s, err := LoadStatus(e.App)
		if err != nil {
			return err
		}
		return e.JSON(http.StatusAccepted, statusJSON(s))
	})
	g.POST("/records/{id}/correct", func(e *core.RequestEvent) error {
		var c Correction
		if err := invoicing.DecodeBody(e, &c); err != nil {
			return err
		}
		r, err := Correct(e.App, e.Request.PathValue("id"), c)
		if err != nil {
			return err
		}
		return e.JSON(http.StatusCreated, r)
	})
	g.POST("/records/{id}/review", func(e *core.RequestEvent) error {
		var body struct{}
		if err := invoicing.DecodeBody(e, &body); err != nil {
			return err
		}
		r, err := Review(e.App, e.Request.PathValue("id"))
		if err != nil {
			return err
		}
		return e.JSON(http.StatusOK, r)
	})
}

// Summary is the status command's JSON line: records waiting (to be sent,
// or for an answer), what the AEAT answered, when the next request may go
// (null when it may now) and the last failure.
type Summary struct {
	Pending            int     `json:"pending"`
	Accepted           int     `json:"accepted"`
	AcceptedWithErrors int     `json:"accepted_with_errors"`
	Rejected           int     `json:"rejected"`
	NextSendAt         *string `json:"next_send_at"`
	LastError          string  `json:"last_error"`
}

// SummaryOf is the summary of a status.
func SummaryOf(s Status) Summary {
	out := Summary{Pending: s.Pending + s.Sent, Accepted: s.Accepted, AcceptedWithErrors: s.AcceptedWithErrors, Rejected: s.Rejected, LastError: s.LastError}
	if next := s.NextSend(clock.Now()); !next.IsZero() {
		text := next.UTC().Format(time.RFC3339)
		out.NextSendAt = &text
	}
	return out
}

// statusJSON is the status route's answer: the summary and the rest.
func statusJSON(s Status) map[string]any {
	sum := SummaryOf(s)
	out := map[string]any{
		"pending": sum.Pending, "accepted": sum.Accepted, "accepted_with_errors": sum.AcceptedWithErrors, "rejected": sum.Rejected,
		"next_send_at": sum.NextSendAt, "last_error": sum.LastError,
		"enabled": s.Enabled, "environment": s.Environment, "endpoint": s.Endpoint, "not_sent": s.NotSent, "awaiting_answer": s.Sent,
		"needs_action": s.NeedsAction, "status": s.Text, "certificate_error": s.CertificateError,
	}
	if c := s.Certificate; c != nil {
		out["certificate"] = map[string]any{"holder": c.Holder, "tax_id": c.TaxID, "organization": c.Organization, "entity_seal": c.EntitySeal,
			"not_after": c.NotAfter.UTC().Format(time.RFC3339), "expires_soon": c.ExpiresSoon, "expired": c.Expired}
	}
	return out
}
