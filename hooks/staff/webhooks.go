package staff

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/webhooks"
	"facturo/internal/clock"
	"facturo/ui"
)

type webhookRow struct {
	ID, URL, Events, Description, Secret string
	Active                               bool
	Delivered, Waiting, Failed           int
}

type deliveryRow struct {
	ID, When, URL, Type, Status, StatusLabel, Code, Error, Detail, Next string
	Attempts                                                            int
	CanRetry                                                            bool
}

type webhooksPage struct {
	page
	Hooks         []webhookRow
	Deliveries    []deliveryRow
	EventTypes    []option
	URL, Describe string
	Notice, Error string
	FilterHook    string
	FilterHookURL string
}

// handleWebhooks lists the firm's webhook endpoints, with their secrets
// for the ERP's signature check, and the latest deliveries with what each
// attempt got: the delivery log.
func handleWebhooks(e *core.RequestEvent, p page) error {
	var notice string
	if k := e.Request.URL.Query().Get("done"); k != "" {
		notice = ui.T(p.Lang, "app.webhooks.done."+k)
	}
	return renderWebhooks(e, p, http.StatusOK, notice, "", "", "", nil)
}

func renderWebhooks(e *core.RequestEvent, p page, status int, notice, problem, url, description string, chosen []string) error {
	p = p.titled("app.webhooks", "webhooks")
	wp := webhooksPage{page: p, Notice: notice, Error: problem, URL: url, Describe: description}
	for _, t := range webhooks.EventTypes {
		wp.EventTypes = append(wp.EventTypes, option{Value: t, Label: ui.T(p.Lang, "portal.event."+t), Selected: slices.Contains(chosen, t)})
	}
	hooks, err := e.App.FindRecordsByFilter(webhooks.Webhooks, "", "created", 200, 0)
	if err != nil {
		return err
	}
	urls := map[string]string{}
	for _, h := range hooks {
		row := webhookRow{
			ID: h.Id, URL: h.GetString("url"), Description: h.GetString("description"), Secret: h.GetString("secret"),
			Active: h.GetBool("active"), Events: ui.T(p.Lang, "app.webhooks.all_events"),
		}
		if events := h.GetStringSlice("events"); len(events) > 0 {
			var labels []string
			for _, t := range events {
				labels = append(labels, ui.T(p.Lang, "portal.event."+t))
			}
			row.Events = strings.Join(labels, ", ")
		}
		var counts []struct {
			Status string `db:"status"`
			N      int    `db:"n"`
		}
		if err := e.App.DB().Select("status", "COUNT(*) AS n").From(webhooks.Deliveries).
			Where(dbx.HashExp{"webhook": h.Id}).GroupBy("status").All(&counts); err != nil {
			return err
		}
		for _, c := range counts {
			switch c.Status {
			case webhooks.StatusDelivered:
				row.Delivered = c.N
			case webhooks.StatusFailed:
				row.Failed = c.N
			default:
				row.Waiting += c.N
			}
		}
		urls[h.Id] = row.URL
		wp.Hooks = append(wp.Hooks, row)
	}
	filter, params := "", dbx.Params{}
	if id := e.Request.URL.Query().Get("webhook"); urls[id] != "" {
		filter, params["id"] = "webhook = {:id}", id
		wp.FilterHook, wp.FilterHookURL = id, urls[id]
	}
	deliveries, err := e.App.FindRecordsByFilter(webhooks.Deliveries, filter, "-created", 100, 0, params)
	if err != nil {
		return err
	}
	stamp := func(r *core.Record, field string) string {
		t := r.GetDateTime(field).Time()
		if t.IsZero() {
			return ""
		}
		return ui.FormatMoment(p.Lang, t) + t.In(clock.Zone).Format(":05")
	}
	for _, d := range deliveries {
		st := d.GetString("status")
		row := deliveryRow{
			ID: d.Id, When: stamp(d, "created"), URL: urls[d.GetString("webhook")], Type: webhooks.TypeName(d.GetString("event_type")),
			Status: st, StatusLabel: ui.T(p.Lang, "app.webhooks.status."+st),
			Attempts: d.GetInt("attempts"), CanRetry: st == webhooks.StatusFailed || st == webhooks.StatusRetry,
		}
		row.Error, row.Detail = webhooks.Problem(p.Lang, d)
		if code := d.GetInt("last_status_code"); code != 0 {
			// HTTP's reason phrases are English: other readers get the code.
			row.Code = strconv.Itoa(code)
			if p.Lang == "en" {
				row.Code = strings.TrimSpace(row.Code + " " + http.StatusText(code))
			}
		}
		if st == webhooks.StatusRetry || st == webhooks.StatusPending {
			row.Next = stamp(d, "next_attempt_at")
		}
		wp.Deliveries = append(wp.Deliveries, row)
	}
	return render(e, status, "webhooks.html", p, wp)
}

// handleWebhookCreate registers an endpoint; the webhooks package checks
// the address and makes its secret.
func handleWebhookCreate(e *core.RequestEvent, p page) error {
	url := strings.TrimSpace(e.Request.PostFormValue("url"))
	description := strings.TrimSpace(e.Request.PostFormValue("description"))
	events := e.Request.PostForm["events"]
	col, err := e.App.FindCachedCollectionByNameOrId(webhooks.Webhooks)
	if err != nil {
		return err
	}
	h := core.NewRecord(col)
	h.Set("url", url)
	h.Set("events", events)
	h.Set("description", description)
	h.Set("active", true)
	if err := e.App.Save(h); err != nil {
		return renderWebhooks(e, p, http.StatusBadRequest, "", problemText(p.Lang, err), url, description, events)
	}
	return e.Redirect(http.StatusSeeOther, "/app/webhooks?done=created")
}

// handleWebhookAction pings an endpoint, or switches it on or off.
func handleWebhookAction(e *core.RequestEvent, p page) error {
	h, err := e.App.FindRecordById(webhooks.Webhooks, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	action := e.Request.PathValue("action")
	switch action {
	case "ping":
		_, err = webhooks.QueuePing(e.App, h.Id)
	case "activate", "deactivate":
		h.Set("active", action == "activate")
		err = e.App.Save(h)
	default:
		return e.NotFoundError("", nil)
	}
	if err != nil {
		return renderWebhooks(e, p, http.StatusBadRequest, "", problemText(p.Lang, err), "", "", nil)
	}
	return e.Redirect(http.StatusSeeOther, "/app/webhooks?done="+action)
}

// handleDeliveryRetry sends a delivery again now.
func handleDeliveryRetry(e *core.RequestEvent, p page) error {
	if _, err := webhooks.SendAgain(e.App, e.Request.PathValue("id")); err != nil {
		return renderWebhooks(e, p, http.StatusBadRequest, "", problemText(p.Lang, err), "", "", nil)
	}
	return e.Redirect(http.StatusSeeOther, "/app/webhooks?done=retry")
}
