package webhooks

import (
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"facturo/ui"
)

// The ways a delivery fails, as its last_problem field records them.
const (
	ProblemStatus      = "status"      // the endpoint answered an error status
	ProblemRedirect    = "redirect"    // it answered a redirect, which is not followed
	ProblemGone        = "gone"        // it answered 410 Gone: the webhook was deactivated
	ProblemUnreachable = "unreachable" // no answer: the server could not be reached
	ProblemTimeout     = "timeout"     // no answer in time
	ProblemRequest     = "request"     // the request could not be made (the address)
	ProblemInterrupted = "interrupted" // the product stopped while sending; sent again
)

// detailLength is how much of the endpoint's or the network's own words a
// page quotes after the sentence.
const detailLength = 300

// Problem is what went wrong on a delivery's last attempt, for a reader of
// lang: a sentence of the catalogue, and the detail it comes with (the
// start of what the endpoint answered, or the network's error), in the
// words they were said in, to be shown quoted. Both are empty when nothing
// went wrong. A delivery recorded before its problem was, is read from its
// status code.
func Problem(lang string, d *core.Record) (sentence, detail string) {
	code, problem := d.GetInt("last_status_code"), d.GetString("last_problem")
	if d.GetString("status") == StatusDelivered || problem == "" && code == 0 && d.GetString("last_error") == "" {
		return "", ""
	}
	if problem == "" {
		switch {
		case code == 0:
			problem = ProblemUnreachable
		case code >= 300 && code < 400:
			problem = ProblemRedirect
		case code == 410:
			problem = ProblemGone
		default:
			problem = ProblemStatus
		}
	}
	switch problem {
	case ProblemStatus, ProblemRedirect, ProblemGone:
		detail = d.GetString("last_response")
	case ProblemUnreachable, ProblemTimeout, ProblemRequest:
		detail = d.GetString("last_error")
	}
	detail = strings.Join(strings.Fields(detail), " ")
	if r := []rune(detail); len(r) > detailLength {
		detail = string(r[:detailLength]) + "…"
	}
	return ui.Tf(lang, "app.webhooks.problem."+problem, ui.Args{"code": strconv.Itoa(code)}), detail
}
