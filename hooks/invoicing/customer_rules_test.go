package invoicing_test

import (
	"encoding/json"
	"errors"
	"testing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// fieldError is one field's entry in a PocketBase 400 answer, whose
// messages PocketBase ends with a full stop.
type fieldError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func answerFields(t *testing.T, body string) map[string]fieldError {
	t.Helper()
	var answer struct {
		Status int                   `json:"status"`
		Data   map[string]fieldError `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &answer); err != nil {
		t.Fatalf("not a PocketBase error: %s", body)
	}
	return answer.Data
}

func TestARESTCustomerWithABadNIFIsRefusedAndNothingWritten(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	before := count(t, app, invoicing.Customers)

	res := call(t, "POST", base+records(invoicing.Customers), apptest.Tokens.Staff,
		`{"name":"Gamma S.L.","tax_id":"12345678A","email":"billing@gamma.example"}`)
	if res.status != 400 {
		t.Fatalf("create with a bad NIF: %d %s", res.status, res.body)
	}
	got := answerFields(t, res.body)
	if len(got) != 1 || got["tax_id"].Code != "validation_invalid_tax_id" ||
		got["tax_id"].Message != "NIF 12345678A: the control letter should be Z." {
		t.Errorf("the answer names %v, want tax_id alone with what is wrong", got)
	}
	if after := count(t, app, invoicing.Customers); after != before {
		t.Errorf("%d customers after the refusal, want %d", after, before)
	}

	// The schema's own errors come in the same answer.
	res = call(t, "POST", base+records(invoicing.Customers), apptest.Tokens.Staff, `{"tax_id":"B1234567X"}`)
	got = answerFields(t, res.body)
	if res.status != 400 || got["tax_id"].Message != "CIF B1234567X: the control digit should be 4." || got["name"].Code == "" {
		t.Errorf("create without a name and with a bad CIF: %d %s", res.status, res.body)
	}
}

func TestAValidTaxIDIsStoredNormalised(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)

	res := call(t, "POST", base+records(invoicing.Customers), apptest.Tokens.Staff,
		`{"name":"Gamma S.L.","tax_id":" es b-6471.7838 "}`)
	if res.status != 200 {
		t.Fatalf("create with a spaced, lower-case VAT number: %d %s", res.status, res.body)
	}
	var created struct {
		ID    string `json:"id"`
		TaxID string `json:"tax_id"`
	}
	if err := json.Unmarshal([]byte(res.body), &created); err != nil {
		t.Fatal(err)
	}
	if got := find(t, app, invoicing.Customers, created.ID).GetString("tax_id"); got != "ESB64717838" || created.TaxID != got {
		t.Errorf("stored %q, answered %q, want ESB64717838", got, created.TaxID)
	}

	// A customer abroad is checked by its own country's rules.
	res = call(t, "POST", base+records(invoicing.Customers), apptest.Tokens.Staff,
		`{"name":"Delta Lda.","tax_id":"501 964 843","country":"PT"}`)
	if res.status != 200 {
		t.Errorf("a Portuguese customer's NIF: %d %s", res.status, res.body)
	}
	res = call(t, "POST", base+records(invoicing.Customers), apptest.Tokens.Staff,
		`{"name":"Delta B.V.","tax_id":"501 964 843","country":"NL"}`)
	if got := answerFields(t, res.body)["tax_id"].Message; res.status != 400 ||
		got != "501964843: a Dutch VAT number is NL followed by 9 digits, B and 2 digits." {
		t.Errorf("the same number for a Dutch customer: %d %s", res.status, res.body)
	}
}

func TestEditingATaxIDIsCheckedThroughEveryDoor(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	url := base + records(invoicing.Customers) + "/" + apptest.CustomerA

	res := call(t, "PATCH", url, apptest.Tokens.Staff, `{"tax_id":"B87654324"}`)
	if got := answerFields(t, res.body)["tax_id"].Message; res.status != 400 || got != "CIF B87654324: the control digit should be 3." {
		t.Errorf("REST update with a bad CIF: %d %s", res.status, res.body)
	}
	res = form(t, "PATCH", url, map[string]string{"name": "Alfa Comercial S.L.", "tax_id": "X1234567A", "country": "ES"})
	if got := answerFields(t, res.body)["tax_id"].Message; res.status != 400 || got != "NIE X1234567A: the control letter should be L." {
		t.Errorf("dashboard update with a bad NIE: %d %s", res.status, res.body)
	}
	// Moving the customer abroad checks its id against the new country.
	res = call(t, "PATCH", url, apptest.Tokens.Staff, `{"country":"FR"}`)
	if res.status != 400 || answerFields(t, res.body)["tax_id"].Code != "validation_invalid_tax_id" {
		t.Errorf("moving a customer with a Spanish CIF to France: %d %s", res.status, res.body)
	}
	if got := find(t, app, invoicing.Customers, apptest.CustomerA); got.GetString("tax_id") != "B87654323" || got.GetString("country") != "ES" {
		t.Errorf("after the refusals the customer has %q in %q", got.GetString("tax_id"), got.GetString("country"))
	}

	customer := find(t, app, invoicing.Customers, apptest.CustomerA)
	customer.Set("tax_id", "B87654320")
	err := app.Save(customer)
	var errs validation.Errors
	if !errors.As(err, &errs) || errs["tax_id"] == nil || errs["tax_id"].Error() != "CIF B87654320: the control digit should be 3" {
		t.Errorf("app.Save with a bad CIF: %v", err)
	}
	if got := find(t, app, invoicing.Customers, apptest.CustomerA).GetString("tax_id"); got != "B87654323" {
		t.Errorf("app.Save stored %q after refusing it", got)
	}

	customer = find(t, app, invoicing.Customers, apptest.CustomerA)
	customer.Set("tax_id", "x 5253868-r")
	if err := app.Save(customer); err != nil {
		t.Fatalf("app.Save with a valid NIE: %v", err)
	}
	if got := find(t, app, invoicing.Customers, apptest.CustomerA).GetString("tax_id"); got != "X5253868R" {
		t.Errorf("app.Save stored %q, want X5253868R", got)
	}
}

// TestAnUncheckedStoredIDStaysUntilEdited: ids stored before they were
// checked must not block the system's own saves of the customer.
func TestAnUncheckedStoredIDStaysUntilEdited(t *testing.T) {
	app := apptest.New(t)
	customer := find(t, app, invoicing.Customers, apptest.CustomerB)
	customer.Set("tax_id", "b-1234567 x")
	if err := app.SaveNoValidate(customer); err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.FlagBouncing(app, apptest.CustomerB, "550 no such user"); err != nil {
		t.Errorf("flagging a bounce on a customer with an old, unchecked id: %v", err)
	}
	customer = find(t, app, invoicing.Customers, apptest.CustomerB)
	if !customer.GetBool("email_bouncing") || customer.GetString("tax_id") != "b-1234567 x" {
		t.Errorf("bouncing %v, tax id %q", customer.GetBool("email_bouncing"), customer.GetString("tax_id"))
	}
	customer.Set("tax_id", "b-1234567 y")
	if err := app.Save(customer); err == nil {
		t.Error("an edit of the old id saved another invalid one")
	}
}

func TestTheIssuerNIFIsASpanishOneStoredBare(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		t.Fatal(err)
	}
	url := base + records(invoicing.Issuer) + "/" + issuer.Id

	for _, bad := range []struct{ id, want string }{
		{"B12345675", "CIF B12345675: the control digit should be 4."},
		{"DE811125440", "DE811125440: a Spanish tax id is a NIF (8 digits and a letter), a NIE (X, Y or Z, 7 digits and a letter) " +
			"or a CIF (a letter, 7 digits and a control digit or letter)."},
	} {
		res := call(t, "PATCH", url, apptest.Tokens.Staff, `{"tax_id":"`+bad.id+`"}`)
		if got := answerFields(t, res.body)["tax_id"].Message; res.status != 400 || got != bad.want {
			t.Errorf("issuer NIF %s: %d %s", bad.id, res.status, res.body)
		}
	}
	res := call(t, "PATCH", url, apptest.Tokens.Staff, `{"tax_id":"es a-28015865"}`)
	if res.status != 200 {
		t.Fatalf("issuer NIF in its VAT form: %d %s", res.status, res.body)
	}
	if got := find(t, app, invoicing.Issuer, issuer.Id).GetString("tax_id"); got != "A28015865" {
		t.Errorf("the issuer's NIF was stored as %q, want A28015865", got)
	}

	issuer = find(t, app, invoicing.Issuer, issuer.Id)
	issuer.Set("tax_id", "12345678A")
	if err := app.Save(issuer); err == nil {
		t.Error("app.Save accepted a bad NIF for the issuer")
	}
}

// Customers created without a tax id keep being accepted: the field is
// optional in the schema.
func TestAnEmptyTaxIDIsLeftToTheSchema(t *testing.T) {
	app := apptest.New(t)
	c, err := app.FindCollectionByNameOrId(invoicing.Customers)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	r.Set("name", "Épsilon S.L.")
	r.Set("tax_id", " - ")
	if err := app.Save(r); err != nil {
		t.Fatalf("a customer without a tax id: %v", err)
	}
	if got := r.GetString("tax_id"); got != "" {
		t.Errorf("stored tax id %q, want empty", got)
	}
}
