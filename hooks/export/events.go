package export

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/ui"
)

// eventsTable is the timeline: one row per event, oldest first.
var eventsTable = table{name: "events", columns: []column{
	{key: "when", kind: moment, width: 20},
	{key: "number", kind: text, width: 18},
	{key: "customer", kind: text, width: 34},
	{key: "type", kind: text, width: 24},
	{key: "type_code", kind: text, width: 14},
	{key: "signal", kind: text, width: 9},
	{key: "who", kind: text, width: 28},
	{key: "ip", kind: text, width: 16},
	{key: "user_agent", kind: text, width: 40},
	{key: "details", kind: text, width: 60},
}}

// weakSignals are the events that suggest, without showing, that someone
// at the customer saw the invoice email; the signal column marks them weak.
//   - opened: the tracking pixel was fetched, which mail providers' image
//     proxies, security scanners and prefetchers do with nobody reading, and
//     which a reader who blocks images never does.
//   - read_receipt: the recipient's mail program says it displayed the
//     message; many send it by themselves, and it does not say who looked.
//   - auto_replied: a machine answered; the mailbox exists and took the
//     email, and nobody is known to have read it (often the opposite).
//
// Every other event is a fact: the firm's own acts, the mail servers'
// reports, or what a person did on the invoice's page or in the portal.
var weakSignals = []string{invoicing.EventOpened, invoicing.EventReadReceipt, invoicing.EventAutoReplied}

// eventRows reads the filters from and to (the days, in Spain), customer,
// type (one of the event types) and invoice (its id or number).
func eventRows(e *core.RequestEvent, lang string) (rowSource, error) {
	q := e.Request.URL.Query()
	f := invoicing.EventFilter{Customer: q.Get("customer"), Invoice: q.Get("invoice"), Type: q.Get("type")}
	if f.Type != "" && !slices.Contains(invoicing.EventTypes, f.Type) {
		return nil, badParam("type", "type must be one of "+strings.Join(invoicing.EventTypes, ", ")+".")
	}
	var err error
	if f.From, err = dateParam(q, "from"); err != nil {
		return nil, err
	}
	if f.To, err = dateParam(q, "to"); err != nil {
		return nil, err
	}
	weak := ui.T(lang, "export.signal.weak")
	return func(yield func([]any) error) error {
		var details bytes.Buffer
		return invoicing.EachEvent(e.App, f, func(ev invoicing.EventRow) error {
			signal := ""
			if slices.Contains(weakSignals, ev.Type) {
				signal = weak
			}
			details.Reset()
			if len(ev.Data) > 0 && json.Compact(&details, ev.Data) != nil {
				details.Reset()
				details.Write(ev.Data) // not JSON after all: shown as stored
			}
			return yield([]any{
				ev.Created, ev.InvoiceNumber, ev.CustomerName, ui.T(lang, "export.event."+ev.Type), ev.Type,
				signal, ev.ActorEmail, ev.IP, ev.UserAgent, details.String(),
			})
		})
	}, nil
}
