package verifactu_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/aeat"
	"facturo/internal/aeattest"
	"facturo/internal/apptest"
)

// setIssuerNIF changes the firm's NIF, as a firm that changes its legal
// form (or takes over another's invoicing) does.
func setIssuerNIF(t testing.TB, app core.App, nif string) {
	t.Helper()
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		t.Fatal(err)
	}
	issuer.Set("tax_id", nif)
	if err := app.Save(issuer); err != nil {
		t.Fatal(err)
	}
}

// TestEachIssuerNIFHasItsOwnChain issues under the firm's NIF, under a new
// one, and under the first again: the new NIF's records start a chain of
// their own (PrimerRegistro S), the first NIF's chain goes on where it
// stopped, and the sender sends each NIF's records in requests of their
// own, which the stand-in (refusing, as the AEAT does with 1108, a record
// whose issuer is not the request's) registers every one of.
func TestEachIssuerNIFHasItsOwnChain(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	s.SetWait(0)
	freeze(t)
	first := issueNew(t, app, apptest.CustomerA)
	setIssuerNIF(t, app, "A28015865")
	others := issueMany(t, app, 2)
	setIssuerNIF(t, app, "B12345674")
	last := issueNew(t, app, apptest.CustomerB)

	recordOf := func(inv *core.Record) (*core.Record, aeat.Record) {
		t.Helper()
		r := records(t, app, inv.Id)[0]
		parsed, err := aeat.ParseRecord([]byte(r.GetString("xml")))
		if err != nil {
			t.Fatal(err)
		}
		return r, parsed
	}
	firstRec, _ := recordOf(first)
	o1, p1 := recordOf(others[0])
	if o1.GetString("issuer_tax_id") != "A28015865" || o1.GetInt("seq") != 1 || o1.GetString("prev_hash") != "" ||
		p1.Alta.Encadenamiento.PrimerRegistro != "S" || p1.Alta.IDFactura.IDEmisorFactura != "A28015865" || others[0].GetString("prev_hash") != "" {
		t.Errorf("the new NIF's first record: no. %d, chained to %q, PrimerRegistro %q", o1.GetInt("seq"), o1.GetString("prev_hash"),
			p1.Alta.Encadenamiento.PrimerRegistro)
	}
	if o2, p2 := recordOf(others[1]); o2.GetInt("seq") != 2 || o2.GetString("prev_hash") != o1.GetString("huella") ||
		p2.Alta.Encadenamiento.RegistroAnterior.NumSerieFactura != others[0].GetString("number") {
		t.Errorf("the new NIF's second record: no. %d, chained to %q", o2.GetInt("seq"), o2.GetString("prev_hash"))
	}
	if l, p := recordOf(last); l.GetInt("seq") != firstRec.GetInt("seq")+1 || l.GetString("prev_hash") != firstRec.GetString("huella") ||
		p.Alta.Encadenamiento.RegistroAnterior.IDEmisorFactura != "B12345674" || last.GetString("prev_hash") != firstRec.GetString("huella") {
		t.Errorf("back under the first NIF, the record is no. %d chained to %q, not after %s", l.GetInt("seq"), l.GetString("prev_hash"),
			first.GetString("number"))
	}
	verifyOK(t, app)

	settle(t, sender(app))
	byIssuer := map[string]int{}
	for _, req := range registrations(s) {
		for _, rec := range req.Records {
			if rec.Issuer != req.Issuer {
				t.Errorf("a request of %s carries a record of %s", req.Issuer, rec.Issuer)
			}
		}
		byIssuer[req.Issuer] += len(req.Records)
	}
	if byIssuer["B12345674"] != 2 || byIssuer["A28015865"] != 2 || len(byIssuer) != 2 {
		t.Errorf("records sent by issuer: %v", byIssuer)
	}
	if got := statuses(t, app); got[verifactu.StatusAccepted] != 4 || got[verifactu.StatusRejected] != 0 {
		t.Errorf("after sending: %v", got)
	}
}
