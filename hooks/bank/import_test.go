package bank_test

import (
	"maps"
	"reflect"
	"testing"

	"facturo/hooks/bank"
	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

func TestImportPaysProposesAndIsIdempotent(t *testing.T) {
	app := apptest.New(t)
	numA := number(t, app, apptest.IssuedA)  // owes 100.00 of 121.00
	flatA := numA[:1] + numA[2:6] + numA[7:] // as banks pass it on, without dashes
	statement := norma43(
		move{Cents: 10000, Concept: "TRANSFERENCIA ALFA COMERCIAL FRA " + flatA, Ref: ""},
		move{Cents: 12100, Concept: "TRANSFERENCIA DE BETA DISTRIBUCIONES SA", Ref: ""}, // IssuedB owes 121.00: a proposal
		move{Cents: -1000, Concept: "COMISION MANTENIMIENTO", Ref: ""},
		move{Cents: 99999, Concept: "INGRESO EN EFECTIVO", Ref: ""},
	)

	s, err := bank.Import(app, "nov.n43", statement, false)
	if err != nil {
		t.Fatal(err)
	}
	want := bank.Summary{Movements: 4, Matched: []bank.Match{{Invoice: numA, Amount: "100.00"}}, Proposed: 1, Unmatched: 1, Ignored: 1, Errors: []bank.LineError{}}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("summary %+v, want %+v", s, want)
	}
	if left, state := owed(t, app, apptest.IssuedA); !left.IsZero() || state != "paid" {
		t.Fatalf("IssuedA owes %s, %s", left, state)
	}
	if left, state := owed(t, app, apptest.IssuedB); left.String() != "121" || state != "unpaid" {
		t.Fatalf("the proposal paid IssuedB: owes %s, %s", left, state)
	}
	payments, err := app.FindRecordsByFilter(invoicing.Payments, "invoice = {:id}", "-created", 0, 0, map[string]any{"id": apptest.IssuedA})
	if err != nil || len(payments) != 2 || payments[0].GetFloat("amount") != 100 || payments[0].GetString("method") != "transfer" ||
		payments[0].GetString("paid_on")[:10] != apptest.Date(0) {
		t.Fatalf("payments %v %v", payments, err)
	}
	byStatus := map[string]int{}
	movements, _ := app.FindAllRecords(bank.Movements)
	for _, m := range movements {
		byStatus[m.GetString("status")]++
		if m.GetString("status") == bank.StatusMatched && (m.GetStringSlice("payment")[0] != payments[0].Id || m.GetStringSlice("invoice")[0] != apptest.IssuedA) {
			t.Errorf("matched movement links %v %v", m.GetStringSlice("invoice"), m.GetStringSlice("payment"))
		}
		if m.GetString("status") == bank.StatusProposed && m.GetStringSlice("invoice")[0] != apptest.IssuedB {
			t.Errorf("the proposal names %v", m.GetStringSlice("invoice"))
		}
	}
	if !maps.Equal(byStatus, map[string]int{"matched": 1, "proposed": 1, "ignored": 1, "unmatched": 1}) {
		t.Fatalf("statuses %v", byStatus)
	}

	// The same statement again, under another name: nothing new.
	before := counts(t, app)
	s, err = bank.Import(app, "nov-again.n43", statement, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := (bank.Summary{Movements: 4, Known: 4, Matched: []bank.Match{}, Errors: []bank.LineError{}}); !reflect.DeepEqual(s, want) {
		t.Fatalf("re-import %+v", s)
	}
	if after := counts(t, app); !maps.Equal(before, after) {
		t.Fatalf("re-import wrote: %v → %v", before, after)
	}
}

func TestIdenticalTransfersAreTwoMovements(t *testing.T) {
	app := apptest.New(t)
	numB := number(t, app, apptest.IssuedB) // owes 121.00
	statement := norma43(move{Cents: 5000, Concept: "PAGO " + numB, Ref: ""}, move{Cents: 5000, Concept: "PAGO " + numB, Ref: ""})
	s, err := bank.Import(app, "twice.n43", statement, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Matched) != 2 || s.Known != 0 {
		t.Fatalf("%+v", s)
	}
	if left, state := owed(t, app, apptest.IssuedB); left.String() != "21" || state != "partial" {
		t.Fatalf("IssuedB owes %s, %s", left, state)
	}
	// A later statement repeating both is known; one with a third is not.
	s, _ = bank.Import(app, "thrice.n43", norma43(move{Cents: 5000, Concept: "PAGO " + numB, Ref: ""}, move{Cents: 5000, Concept: "PAGO " + numB, Ref: ""}, move{Cents: 2100, Concept: "PAGO " + numB, Ref: ""}), false)
	if s.Known != 2 || len(s.Matched) != 1 || s.Matched[0].Amount != "21.00" {
		t.Fatalf("%+v", s)
	}
}

func TestSplitPaymentsAndExcess(t *testing.T) {
	app := apptest.New(t)
	c1 := issue(t, app, apptest.CustomerA, "100") // 121.00
	c2 := issue(t, app, apptest.CustomerA, "50")  // 60.50
	numB := number(t, app, apptest.IssuedB)
	statement := norma43(
		move{Cents: 18150, Concept: "FRAS " + c1.GetString("number") + " " + c2.GetString("number"), Ref: ""}, // exactly both
		move{Cents: 50000, Concept: "PAGO " + numB, Ref: ""},                                                  // more than the 121.00 owed
	)
	s, err := bank.Import(app, "split.n43", statement, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []bank.Match{{Invoice: c1.GetString("number"), Amount: "121.00"}, {Invoice: c2.GetString("number"), Amount: "60.50"}}
	if !reflect.DeepEqual(s.Matched, want) || s.Proposed != 1 {
		t.Fatalf("%+v", s)
	}
	for _, id := range []string{c1.Id, c2.Id} {
		if _, state := owed(t, app, id); state != "paid" {
			t.Fatalf("%s is %s", id, state)
		}
	}
	if _, state := owed(t, app, apptest.IssuedB); state != "unpaid" {
		t.Fatalf("an excess payment was recorded: %s", state)
	}
}

func TestDryRunWritesNothingAndTellsTheSame(t *testing.T) {
	app := apptest.New(t)
	statement := norma43(move{Cents: 10000, Concept: "FRA " + number(t, app, apptest.IssuedA), Ref: ""}, move{Cents: 12100, Concept: "BETA DISTRIBUCIONES", Ref: ""}, move{Cents: -500, Concept: "COMISION", Ref: ""})
	before := counts(t, app)
	dry, err := bank.Import(app, "nov.n43", statement, true)
	if err != nil {
		t.Fatal(err)
	}
	if after := counts(t, app); !maps.Equal(before, after) {
		t.Fatalf("the dry run wrote: %v → %v", before, after)
	}
	if _, state := owed(t, app, apptest.IssuedA); state != "partial" {
		t.Fatalf("the dry run paid: %s", state)
	}
	real, err := bank.Import(app, "nov.n43", statement, false)
	if err != nil {
		t.Fatal(err)
	}
	if !dry.DryRun || real.DryRun || len(dry.Matched) != 1 {
		t.Fatalf("dry %+v real %+v", dry, real)
	}
	dry.DryRun = false
	if !reflect.DeepEqual(dry, real) {
		t.Fatalf("the dry run said %+v, the real one did %+v", dry, real)
	}
}

func TestBrokenStatementsWriteNothing(t *testing.T) {
	app := apptest.New(t)
	before := counts(t, app)
	for _, file := range []string{"short.n43", "badcode.n43", "badamount.n43", "baddate.n43", "badtotals.n43",
		"truncated.camt053.xml", "noamt.camt053.xml", "baddate.camt053.xml"} {
		s, err := bank.Import(app, file, readFile(t, file), false)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Errors) == 0 || s.Errors[0].Line == 0 || s.Movements != 0 || len(s.Matched) != 0 {
			t.Errorf("%s: %+v", file, s)
		}
	}
	if after := counts(t, app); !maps.Equal(before, after) {
		t.Fatalf("broken statements wrote: %v → %v", before, after)
	}
}

func TestConfirmAndReject(t *testing.T) {
	app := apptest.New(t)
	c1 := issue(t, app, apptest.CustomerA, "50") // 60.50
	if _, err := bank.Import(app, "p.n43", norma43(move{Cents: 12100, Concept: "BETA DISTRIBUCIONES", Ref: ""}, move{Cents: 6050, Concept: "TRANSFERENCIA", Ref: ""}, move{Cents: 777, Concept: "?", Ref: ""}), false); err != nil {
		t.Fatal(err)
	}
	proposals, err := bank.Proposed(app, 0)
	if err != nil || len(proposals) != 2 {
		t.Fatalf("%v %v", proposals, err)
	}
	if c := proposals[0].Candidates; len(c) != 1 || c[0].ID != apptest.IssuedB || c[0].Total != 121 {
		t.Fatalf("candidates %+v", c)
	}
	if c := proposals[1].Candidates; len(c) != 1 || c[0].ID != c1.Id {
		t.Fatalf("candidates %+v", c)
	}

	m, err := bank.Confirm(app, proposals[0].Movement.Id, apptest.IssuedB, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatal(err)
	}
	if m.GetString("status") != bank.StatusConfirmed || len(m.GetStringSlice("payment")) != 1 {
		t.Fatalf("%v", m)
	}
	if _, state := owed(t, app, apptest.IssuedB); state != "paid" {
		t.Fatalf("IssuedB is %s", state)
	}
	if _, err := bank.Confirm(app, proposals[0].Movement.Id, apptest.IssuedB, invoicing.Actor{}); err == nil {
		t.Fatal("a confirmed movement was confirmed again")
	}

	r, err := bank.Reject(app, proposals[1].Movement.Id, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil || r.GetString("status") != bank.StatusRejected {
		t.Fatalf("%v %v", r, err)
	}
	if _, state := owed(t, app, c1.Id); state != "unpaid" {
		t.Fatalf("a rejected proposal paid: %s", state)
	}
	if rest, _ := bank.Proposed(app, 0); len(rest) != 0 {
		t.Fatalf("still proposed: %d", len(rest))
	}
}
