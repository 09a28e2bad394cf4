package bank_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"

	"facturo/hooks/bank"
	"facturo/internal/apptest"
)

func upload(t *testing.T, url, token string, content []byte, dryRun string) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	f, _ := w.CreateFormFile("file", "nov.n43")
	f.Write(content)
	if dryRun != "" {
		w.WriteField("dry_run", dryRun)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, url+"/api/bank/statements", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(res.Body)
	return res.StatusCode, out.Bytes()
}

func TestRoutesAreForStaffOnly(t *testing.T) {
	app := apptest.New(t)
	url := apptest.Serve(t, app)
	statement := norma43(move{Cents: 12100, Concept: "BETA DISTRIBUCIONES", Ref: ""})
	for name, token := range map[string]string{"guest": "", "contact": apptest.Tokens.ContactA, "viewer": apptest.Tokens.ViewerA} {
		if status, _ := upload(t, url, token, statement, ""); status != 401 && status != 403 {
			t.Errorf("%s uploads: %d", name, status)
		}
		if r := apptest.Call(t, "GET", url+"/api/collections/bank_movements/records", token, ""); r.Status == 200 {
			t.Errorf("%s lists movements: %s", name, r.Body)
		}
	}
	if n, _ := app.CountRecords(bank.Movements); n != 0 {
		t.Fatalf("refused uploads wrote %d movements", n)
	}

	status, body := upload(t, url, apptest.Tokens.Staff, statement, "false")
	var s bank.Summary
	if status != 200 || json.Unmarshal(body, &s) != nil || s.Proposed != 1 {
		t.Fatalf("%d %s", status, body)
	}
	list := apptest.Call(t, "GET", url+"/api/collections/bank_movements/records?filter=status%3D'proposed'", apptest.Tokens.Staff, "")
	var page struct {
		Items []struct{ ID string }
	}
	if list.Status != 200 || json.Unmarshal(list.Body, &page) != nil || len(page.Items) != 1 {
		t.Fatalf("%d %s", list.Status, list.Body)
	}
	id := page.Items[0].ID
	for name, token := range map[string]string{"guest": "", "contact": apptest.Tokens.ContactB} {
		if r := apptest.Call(t, "POST", url+"/api/bank/movements/"+id+"/confirm", token, `{"invoice":"`+apptest.IssuedB+`"}`); r.Status != 401 && r.Status != 403 {
			t.Errorf("%s confirms: %d", name, r.Status)
		}
		if r := apptest.Call(t, "POST", url+"/api/bank/movements/"+id+"/reject", token, ""); r.Status != 401 && r.Status != 403 {
			t.Errorf("%s rejects: %d", name, r.Status)
		}
	}
	if r := apptest.Call(t, "POST", url+"/api/bank/movements/"+id+"/confirm", apptest.Tokens.Staff, `{}`); r.Status != 400 {
		t.Fatalf("confirm without invoice: %d %s", r.Status, r.Body)
	}
	if r := apptest.Call(t, "POST", url+"/api/bank/movements/"+id+"/confirm", apptest.Tokens.Staff, `{"invoice":"`+apptest.IssuedB+`"}`); r.Status != 200 {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	if _, state := owed(t, app, apptest.IssuedB); state != "paid" {
		t.Fatalf("IssuedB is %s", state)
	}
	if r := apptest.Call(t, "POST", url+"/api/bank/movements/"+id+"/reject", apptest.Tokens.Staff, ""); r.Status != 400 {
		t.Fatalf("rejecting a confirmed movement: %d", r.Status)
	}
}
