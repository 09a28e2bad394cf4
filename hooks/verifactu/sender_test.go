package verifactu_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/aeattest"
	"facturo/internal/apptest"
)

// issueMany issues n invoices, each in its own transaction as staff would.
func issueMany(t testing.TB, app core.App, n int) []*core.Record {
	t.Helper()
	out := make([]*core.Record, n)
	for i := range out {
		out[i] = issueNew(t, app, []string{apptest.CustomerA, apptest.CustomerB}[i%2])
	}
	return out
}

func registrations(s *aeattest.Server) []aeattest.Request {
	var out []aeattest.Request
	for _, r := range s.Received() {
		if r.Operation == "RegFactuSistemaFacturacion" {
			out = append(out, r)
		}
	}
	return out
}

func events(t testing.TB, app core.App, typ string) []*core.Record {
	t.Helper()
	evs, err := app.FindRecordsByFilter(invoicing.Events, "type = {:t}", "created", 0, 0, map[string]any{"t": typ})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestRecordsGoInBatchesAndTheWaitIsHonoured issues 1,500 invoices with
// sending on: they go as 1,000, then, once the AEAT's 60 s have passed by
// the product's clock (and not a second before), the other 500. Then 1,000
// more made during the next wait go at once: 1,000 records waiting may
// always go.
func TestRecordsGoInBatchesAndTheWaitIsHonoured(t *testing.T) {
	if testing.Short() {
		t.Skip("issues 2,500 invoices")
	}
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	clk := freeze(t)
	invoices := issueMany(t, app, 1500)
	snd := sender(app)

	if next := step(t, snd); next.After(clk.now) {
		t.Fatalf("the first request waits until %v", next)
	}
	next := step(t, snd)
	if want := clk.now.Add(60 * time.Second); !next.Equal(want) {
		t.Fatalf("with 500 records left the sender steps again at %v, want %v (TiempoEsperaEnvio 60)", next, want)
	}
	if got := len(registrations(s)); got != 1 {
		t.Fatalf("%d requests before the wait ended, want 1", got)
	}
	clk.advance(59 * time.Second)
	if next := step(t, snd); !next.Equal(clk.now.Add(time.Second)) || len(registrations(s)) != 1 {
		t.Fatalf("a second early, the sender sent or waits until %v", next)
	}
	clk.advance(time.Second)
	step(t, snd)
	regs := registrations(s)
	if len(regs) != 2 || len(regs[0].Records) != 1000 || len(regs[1].Records) != 500 {
		t.Fatalf("requests of %v records, want 1000 and 500", recordCounts(regs))
	}
	// In chain order, one issuer each, no Incidencia.
	first := records(t, app, invoices[0].Id)[0]
	if regs[0].Records[0].RefExterna != first.Id || regs[0].Incidencia || regs[0].Issuer != "B12345674" {
		t.Errorf("the first request: %+v", regs[0].Records[0])
	}
	if got := statuses(t, app); got[verifactu.StatusAccepted] != 1500 {
		t.Errorf("after sending: %v", got)
	}
	if evs := events(t, app, invoicing.EventAEATAccepted); len(evs) != 1500 {
		t.Errorf("%d aeat_accepted events, want 1500", len(evs))
	}
	r, _ := app.FindRecordById(verifactu.Records, first.Id)
	if r.GetString("csv") == "" || r.GetInt("attempts") != 1 || r.GetDateTime("answered_at").IsZero() {
		t.Errorf("an accepted record: csv %q, %d attempts, answered %v", r.GetString("csv"), r.GetInt("attempts"), r.GetDateTime("answered_at"))
	}

	issueMany(t, app, 1000)
	if next := step(t, snd); next.After(clk.now) {
		t.Fatalf("1,000 records wait, yet the sender waits until %v", next)
	}
	if regs := registrations(s); len(regs) != 3 || len(regs[2].Records) != 1000 {
		t.Errorf("requests of %v records, want a third of 1000 before the wait ended", recordCounts(regs))
	}
}

func recordCounts(regs []aeattest.Request) []int {
	var n []int
	for _, r := range regs {
		n = append(n, len(r.Records))
	}
	return n
}

// TestAnOutageQueuesAndTheRecordsGoLateWithIncidencia takes the stand-in
// down: issuing goes on, the records wait, the sender tries again later
// (not before), and once the service is back they go in a request marked
// Incidencia S; a record made after the outage goes without it.
func TestAnOutageQueuesAndTheRecordsGoLateWithIncidencia(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	s.SetWait(0)
	clk := freeze(t)
	snd := sender(app)
	s.SetDown(true)
	before := issueMany(t, app, 2)
	retry := step(t, snd)
	if !retry.Equal(clk.now.Add(time.Minute)) {
		t.Fatalf("after a failed attempt the sender tries again at %v, want a minute later", retry)
	}
	during := issueNew(t, app, apptest.CustomerA) // issuing never waits for the AEAT
	for _, inv := range append(before, during) {
		r := records(t, app, inv.Id)[0]
		if r.GetString("status") != verifactu.StatusPending || !r.GetBool("incidencia") {
			t.Errorf("%s during the outage: %s, incidencia %v", inv.GetString("number"), r.GetString("status"), r.GetBool("incidencia"))
		}
	}
	st, _ := verifactu.LoadStatus(app)
	if st.OutageSince.IsZero() || !strings.Contains(st.LastError, "503") || st.Pending != 3 {
		t.Errorf("the status during the outage: %+v", st)
	}
	if next := step(t, snd); !next.Equal(retry) || records(t, app, before[0].Id)[0].GetInt("attempts") != 1 {
		t.Errorf("before the retry the sender sent again, or waits until %v", next)
	}
	clk.advance(time.Minute)
	if next := step(t, snd); !next.Equal(clk.now.Add(2 * time.Minute)) {
		t.Errorf("after a second failure the sender tries again at %v, want two minutes later", next)
	}
	s.SetDown(false)
	clk.advance(2 * time.Minute)
	settle(t, snd)
	regs := registrations(s)
	last := regs[len(regs)-1]
	if !last.Incidencia || len(last.Records) != 3 {
		t.Fatalf("the request after the outage: incidencia %v, %d records", last.Incidencia, len(last.Records))
	}
	if h := s.Holds("B12345674", during.GetString("number")); h == nil || !h.Incidencia {
		t.Errorf("the AEAT holds %+v", h)
	}
	st, _ = verifactu.LoadStatus(app)
	if !st.OutageSince.IsZero() || st.LastError != "" || st.Accepted != 3 {
		t.Errorf("the status after the outage: %+v", st)
	}
	after := issueNew(t, app, apptest.CustomerB)
	settle(t, snd)
	regs = registrations(s)
	if last := regs[len(regs)-1]; last.Incidencia || last.Records[0].Number != after.GetString("number") {
		t.Errorf("a record made after the outage went with incidencia %v", last.Incidencia)
	}
}

// TestALostAnswerLeadsToAQueryNotADuplicate loses the answer to a request
// (the stand-in registers the records, then answers only after the client
// gave up): the sender does not send them again but asks the AEAT what it
// holds, and records them as registered; a record sent when the server
// stopped, which the AEAT never got, is sent again, late.
func TestALostAnswerLeadsToAQueryNotADuplicate(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	s.SetWait(0)
	clk := freeze(t)
	snd := &verifactu.Sender{App: app, Timeout: 2 * time.Second}
	lost := issueMany(t, app, 2)
	s.Then(aeattest.Timeout(time.Minute))
	retry := step(t, snd)
	s.Processed()
	for _, inv := range lost {
		if r := records(t, app, inv.Id)[0]; r.GetString("status") != verifactu.StatusSent || !r.GetDateTime("answered_at").IsZero() {
			t.Fatalf("after a lost answer a record is %s", r.GetString("status"))
		}
	}
	// A record the server was sending when it stopped.
	crashed := issueNew(t, app, apptest.CustomerB)
	if _, err := app.DB().NewQuery("UPDATE verifactu_records SET status = 'sent', attempts = 1 WHERE invoice = {:id}").Bind(map[string]any{"id": crashed.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	clk.now = retry
	settle(t, snd)
	var ops []string
	for _, r := range s.Received() {
		ops = append(ops, fmt.Sprintf("%s/%d", r.Operation, len(r.Records)))
	}
	want := "RegFactuSistemaFacturacion/2 ConsultaFactuSistemaFacturacion/0 RegFactuSistemaFacturacion/1"
	if strings.Join(ops, " ") != want {
		t.Fatalf("the stand-in received %v, want %s", ops, want)
	}
	regs := registrations(s)
	if regs[1].Records[0].Number != crashed.GetString("number") || !regs[1].Incidencia {
		t.Errorf("sent again: %+v, incidencia %v", regs[1].Records, regs[1].Incidencia)
	}
	if got := statuses(t, app); got[verifactu.StatusAccepted] != 3 || got[verifactu.StatusRejected] != 0 {
		t.Errorf("after asking: %v", got)
	}
	for _, inv := range lost {
		evs, _ := app.FindRecordsByFilter(invoicing.Events, "invoice = {:id} && type = 'aeat_accepted'", "", 0, 0, map[string]any{"id": inv.Id})
		if len(evs) != 1 || !strings.Contains(evs[0].GetString("data"), `"via":"query"`) {
			t.Errorf("%s: %d aeat_accepted events", inv.GetString("number"), len(evs))
		}
	}
}

// TestARejectionShowsAndItsSubsanacionIsAccepted has the AEAT refuse one
// record of a request: it is rejected, on its invoice's timeline for staff,
// and among what needs action with the AEAT's words; its correction, sent
// as a subsanación after the refusal, is accepted and leaves the list.
func TestARejectionShowsAndItsSubsanacionIsAccepted(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	s.SetWait(0)
	freeze(t)
	invs := issueMany(t, app, 3)
	s.Then(aeattest.Incorrect(1, "1193"))
	settle(t, sender(app))
	refused := records(t, app, invs[1].Id)[0]
	if refused.GetString("status") != verifactu.StatusRejected || refused.GetString("error_code") != "1193" ||
		!strings.Contains(refused.GetString("error_text"), "Destinatarios") || refused.GetString("csv") != "" {
		t.Fatalf("the refused record: %s %s %q", refused.GetString("status"), refused.GetString("error_code"), refused.GetString("error_text"))
	}
	if got := statuses(t, app); got[verifactu.StatusAccepted] != 2 {
		t.Errorf("the others: %v", got)
	}
	ev := events(t, app, invoicing.EventAEATRejected)
	if len(ev) != 1 || ev[0].GetString("invoice") != invs[1].Id || !strings.Contains(ev[0].GetString("data"), "1193") {
		t.Fatalf("aeat_rejected events: %v", ev)
	}
	if n, _ := verifactu.CountNeedsAction(app); n != 1 {
		t.Errorf("%d records need action, want 1", n)
	}
	if verifactu.Advice("alta", "rejected", "1193") != "recipient" {
		t.Error("no advice about the recipient")
	}

	base := apptest.Serve(t, app)
	res := apptest.Call(t, "POST", base+"/api/verifactu/records/"+refused.Id+"/correct", apptest.Tokens.ContactA, `{}`)
	if res.Status != 403 && res.Status != 401 {
		t.Errorf("a contact corrected a record: %d", res.Status)
	}
	res = apptest.Call(t, "POST", base+"/api/verifactu/records/"+refused.Id+"/correct", apptest.Tokens.Staff, `{"recipient_name":"Beta Distribuciones SA"}`)
	if res.Status != 201 {
		t.Fatalf("correcting: %d %s", res.Status, res.Body)
	}
	if res := apptest.Call(t, "POST", base+"/api/verifactu/records/"+refused.Id+"/correct", apptest.Tokens.Staff, `{}`); res.Status != 400 {
		t.Errorf("correcting twice: %d %s", res.Status, res.Body)
	}
	settle(t, sender(app))
	rs := records(t, app, invs[1].Id)
	if len(rs) != 2 || rs[1].GetString("status") != verifactu.StatusAccepted || !rs[1].GetBool("subsanacion") || rs[1].GetString("corrects") != refused.Id {
		t.Fatalf("the subsanación: %v", rs)
	}
	regs := registrations(s)
	sub := regs[len(regs)-1].Records[0]
	if sub.Subsanacion != "S" || sub.RechazoPrevio != "S" {
		t.Errorf("the subsanación went as Subsanacion %q RechazoPrevio %q", sub.Subsanacion, sub.RechazoPrevio)
	}
	if h := s.Holds("B12345674", invs[1].GetString("number")); h == nil || !h.Corrected || h.Huella != rs[1].GetString("huella") {
		t.Errorf("the AEAT holds %+v", h)
	}
	if n, _ := verifactu.CountNeedsAction(app); n != 0 {
		t.Errorf("%d records still need action", n)
	}
	verifyOK(t, app)
}

// TestAcceptedWithErrorsDuplicatesAndFaults: a record accepted with errors
// needs review until staff mark it reviewed; a duplicate of what the AEAT
// holds is taken as registered; a SOAP fault refuses the request as a
// whole, which is not a rejection of its records: they are sent again.
func TestAcceptedWithErrorsDuplicatesAndFaults(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	s.SetWait(0)
	clk := freeze(t)
	snd := sender(app)
	invs := issueMany(t, app, 3)
	s.Then(aeattest.Fault())
	retry := step(t, snd)
	if got := statuses(t, app); got[verifactu.StatusPending] != 3 || len(events(t, app, invoicing.EventAEATRejected)) != 0 {
		t.Fatalf("after a fault: %v", got)
	}
	if st, _ := verifactu.LoadStatus(app); !strings.Contains(st.LastError, "4111") || !st.OutageSince.IsZero() {
		t.Errorf("after a fault: last error %q, outage since %v", st.LastError, st.OutageSince)
	}
	clk.now = retry
	s.Then(aeattest.WithErrors(0, "2004"), aeattest.Duplicate(0))
	settle(t, snd)
	first := records(t, app, invs[0].Id)[0]
	if first.GetString("status") != verifactu.StatusAcceptedWithErrors || first.GetString("error_code") != "2004" || first.GetString("csv") == "" {
		t.Fatalf("accepted with errors: %s %s", first.GetString("status"), first.GetString("error_code"))
	}
	if n, _ := verifactu.CountNeedsAction(app); n != 1 {
		t.Errorf("%d records need action, want 1", n)
	}
	if verifactu.Advice("alta", verifactu.StatusAcceptedWithErrors, "2004") != "nothing" {
		t.Error("2004 asks for a correction")
	}
	if _, err := verifactu.Review(app, first.Id); err != nil {
		t.Fatal(err)
	}
	if n, _ := verifactu.CountNeedsAction(app); n != 0 {
		t.Errorf("%d records need action after the review", n)
	}
	if _, err := verifactu.Review(app, records(t, app, invs[1].Id)[0].Id); err == nil {
		t.Error("an accepted record was marked reviewed")
	}

	// The same record again: the AEAT holds it.
	if _, err := app.DB().NewQuery("UPDATE verifactu_records SET status = 'pending' WHERE invoice = {:id}").Bind(map[string]any{"id": invs[2].Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	settle(t, snd)
	dup := records(t, app, invs[2].Id)[0]
	if dup.GetString("status") != verifactu.StatusAccepted || dup.GetString("error_code") != "3000" {
		t.Errorf("a duplicate: %s %s", dup.GetString("status"), dup.GetString("error_code"))
	}
}

// TestNoCertificateNoSending: sending on without a certificate, records
// wait and the status says why; issuing goes on.
func TestNoCertificateNoSending(t *testing.T) {
	app := apptest.New(t)
	settings, _ := verifactu.LoadSettings(app)
	settings.Set("enabled", true)
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	issueNew(t, app, apptest.CustomerA)
	if next := step(t, sender(app)); !next.IsZero() {
		t.Errorf("without a certificate the sender steps again at %v", next)
	}
	st, _ := verifactu.LoadStatus(app)
	if st.Pending != 1 || st.Certificate != nil || !strings.Contains(st.Text, "certificate") {
		t.Errorf("the status: %+v", st)
	}
}

// TestConcurrentIssuesKeepTheChainWhileTheSenderSends issues 50 invoices at
// once over HTTP with sending on, while the sender sends: numbers stay
// gapless, every record chains to the one before it, and every record
// reaches the stand-in once. Run it with -race too.
func TestConcurrentIssuesKeepTheChainWhileTheSenderSends(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	s.SetWait(0)
	base := apptest.Serve(t, app)
	const n = 50
	ids := make([]string, n)
	for i := range ids {
		ids[i] = newDraft(t, app, apptest.CustomerB, apptest.IssuedLines, nil).Id
	}
	worker := verifactu.StartSender(app)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			if res := apptest.Call(t, "POST", base+"/api/invoices/"+id+"/issue", apptest.Tokens.Staff, ""); res.Status != 200 {
				t.Errorf("issue %s: %d %s", id, res.Status, res.Body)
			}
		})
	}
	wg.Wait()
	deadline := time.Now().Add(time.Minute)
	for statuses(t, app)[verifactu.StatusAccepted] < n && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	worker.Stop()
	if got := statuses(t, app); got[verifactu.StatusAccepted] != n {
		t.Fatalf("records after a minute: %v", got)
	}
	if report := verifyOK(t, app); report.Checked != n+2 || report.Records != n+2 {
		t.Errorf("verify-chain checked %d invoices and %d records", report.Checked, report.Records)
	}
	sent := map[string]int{}
	for _, r := range registrations(s) {
		for _, rec := range r.Records {
			sent[rec.RefExterna]++
		}
	}
	for ref, times := range sent {
		if times != 1 {
			t.Errorf("record %s went %d times", ref, times)
		}
	}
	if len(sent) != n {
		t.Errorf("%d records reached the stand-in, want %d", len(sent), n)
	}
}

// TestACorrectionOfARecordAcceptedWithErrors goes as a subsanación without
// RechazoPrevio (the AEAT holds the record it corrects), is accepted in
// its place, and leaves the list of what needs action.
func TestACorrectionOfARecordAcceptedWithErrors(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	s.SetWait(0)
	freeze(t)
	inv := issueNew(t, app, apptest.CustomerA)
	s.Then(aeattest.WithErrors(0, "2004"))
	settle(t, sender(app))
	original := records(t, app, inv.Id)[0]
	if original.GetString("status") != verifactu.StatusAcceptedWithErrors {
		t.Fatalf("the record: %s", original.GetString("status"))
	}
	if n, _ := verifactu.CountNeedsAction(app); n != 1 {
		t.Errorf("%d records need action, want 1", n)
	}
	if _, err := verifactu.Correct(app, original.Id, verifactu.Correction{Description: "Consultoría de marzo"}); err != nil {
		t.Fatal(err)
	}
	settle(t, sender(app))
	regs := registrations(s)
	sub := regs[len(regs)-1].Records[0]
	if sub.Subsanacion != "S" || sub.RechazoPrevio != "" || sub.Number != inv.GetString("number") {
		t.Errorf("the subsanación went as Subsanacion %q RechazoPrevio %q", sub.Subsanacion, sub.RechazoPrevio)
	}
	rs := records(t, app, inv.Id)
	if len(rs) != 2 || rs[1].GetString("status") != verifactu.StatusAccepted || rs[1].GetString("corrects") != original.Id {
		t.Fatalf("the subsanación: %v", rs)
	}
	if h := s.Holds("B12345674", inv.GetString("number")); h == nil || !h.Corrected || h.State != "Correcto" || h.Huella != rs[1].GetString("huella") {
		t.Errorf("the AEAT holds %+v", h)
	}
	if n, _ := verifactu.CountNeedsAction(app); n != 0 {
		t.Errorf("%d records still need action", n)
	}
	verifyOK(t, app)
}
