package imports_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"facturo/hooks/imports"
	"facturo/internal/apptest"
)

// upload posts a file to the import route as a form, with its fields.
func upload(t *testing.T, url, token, name string, content []byte, fields map[string]string) apptest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(content)
	w.Close()
	req, err := http.NewRequest(http.MethodPost, url, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return apptest.Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

func TestRoutesAreForStaffOnly(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	before := countAll(t, app)
	template := apptest.Call(t, http.MethodGet, base+"/api/imports/template.csv", apptest.Tokens.Staff, "").Body
	for _, who := range []struct {
		token string
		want  int
	}{{"", http.StatusUnauthorized}, {apptest.Tokens.ContactA, http.StatusForbidden}, {apptest.Tokens.ViewerA, http.StatusForbidden}} {
		for _, path := range []string{"/api/imports/template.csv", "/api/imports/template.xlsx", "/api/imports/someid"} {
			if res := apptest.Call(t, http.MethodGet, base+path, who.token, ""); res.Status != who.want {
				t.Errorf("GET %s as %q: %d, want %d", path, who.token, res.Status, who.want)
			}
		}
		if res := upload(t, base+"/api/imports?wait=1", who.token, "t.csv", template, nil); res.Status != who.want {
			t.Errorf("POST as %q: %d, want %d", who.token, res.Status, who.want)
		}
	}
	if after := countAll(t, app); after["invoices"] != before["invoices"] || after["customers"] != before["customers"] {
		t.Fatalf("a refused upload wrote: %v → %v", before, after)
	}
}

// TestTemplatesImportCleanly downloads both templates and imports each
// into its own fresh app.
func TestTemplatesImportCleanly(t *testing.T) {
	for _, name := range []string{"template.csv", "template.xlsx"} {
		app := apptest.New(t)
		base := apptest.Serve(t, app)
		res := apptest.Call(t, http.MethodGet, base+"/api/imports/"+name, apptest.Tokens.Staff, "")
		if res.Status != http.StatusOK || len(res.Body) == 0 {
			t.Fatalf("%s: %d", name, res.Status)
		}
		res = upload(t, base+"/api/imports?wait=1", apptest.Tokens.Staff, name, res.Body, nil)
		var s imports.Summary
		if err := json.Unmarshal(res.Body, &s); err != nil || res.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", name, res.Status, res.Body)
		}
		if len(s.Errors) != 0 || s.Invoices != 2 || s.Lines != 3 || s.CustomersCreated != 1 || s.Created != 2 {
			t.Fatalf("%s: %s", name, res.Body)
		}
		// One invoice has a 10 % line, the other IRPF withheld.
		first, second := byExternalID(t, app, "EJEMPLO-0001"), byExternalID(t, app, "EJEMPLO-0002")
		if !bytes.Contains([]byte(first.GetString("taxes")), []byte(`"vat":10`)) || second.GetFloat("withholding_total") != 90 {
			t.Fatalf("%s: taxes %s, withholding %v", name, first.GetString("taxes"), second.GetFloat("withholding_total"))
		}
	}
}

func TestUploadRunsAsAJob(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	res := upload(t, base+"/api/imports", apptest.Tokens.Staff, "f.xlsx", xlsxOf(t, generate(50, 3)), map[string]string{"dry_run": "false"})
	var started struct{ ID string }
	if err := json.Unmarshal(res.Body, &started); err != nil || res.Status != http.StatusAccepted || started.ID == "" {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	var status imports.JobStatus
	for deadline := time.Now().Add(60 * time.Second); ; {
		res := apptest.Call(t, http.MethodGet, base+"/api/imports/"+started.ID, apptest.Tokens.Staff, "")
		if err := json.Unmarshal(res.Body, &status); err != nil || res.Status != http.StatusOK {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
		if status.Status != imports.JobRunning || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status.Status != imports.JobDone || status.Summary == nil || status.Summary.Created != 50 || status.Done != status.Total {
		t.Fatalf("status %+v, summary %+v", status, status.Summary)
	}
	if res := apptest.Call(t, http.MethodGet, base+"/api/imports/nosuchjob", apptest.Tokens.Staff, ""); res.Status != http.StatusNotFound {
		t.Fatalf("an unknown job: %d", res.Status)
	}
}

func TestUploadErrors(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	defer imports.SetMaxUpload(1 << 20)()
	big := bytes.Repeat([]byte("x"), 3<<20)
	res := upload(t, base+"/api/imports?wait=1", apptest.Tokens.Staff, "big.csv", big, nil)
	if res.Status != http.StatusRequestEntityTooLarge || !bytes.Contains(res.Body, []byte("larger than 1 MB")) {
		t.Fatalf("a large file: %d %s", res.Status, res.Body)
	}
	template := apptest.Call(t, http.MethodGet, base+"/api/imports/template.csv", apptest.Tokens.Staff, "").Body
	for fields, words := range map[[2]string]string{
		{"send", "true"}:   "needs issue",
		{"issue", "maybe"}: "Invalid issue",
	} {
		res := upload(t, base+"/api/imports?wait=1", apptest.Tokens.Staff, "t.csv", template, map[string]string{fields[0]: fields[1]})
		if res.Status != http.StatusBadRequest || !bytes.Contains(res.Body, []byte(words)) {
			t.Errorf("%v: %d %s", fields, res.Status, res.Body)
		}
	}
	if res := apptest.Call(t, http.MethodPost, base+"/api/imports?wait=1", apptest.Tokens.Staff, `{"file":"x"}`); res.Status != http.StatusBadRequest {
		t.Errorf("a JSON body: %d %s", res.Status, res.Body)
	}
	// Asked in Spanish, as the workspace's page asks, the same answers are.
	res = upload(t, base+"/api/imports?wait=1&lang=es", apptest.Tokens.Staff, "big.csv", big, nil)
	if res.Status != http.StatusRequestEntityTooLarge || !bytes.Contains(res.Body, []byte("El archivo ocupa más de 1 MB")) {
		t.Errorf("a large file, in Spanish: %d %s", res.Status, res.Body)
	}
	res = upload(t, base+"/api/imports?wait=1&lang=es", apptest.Tokens.Staff, "t.csv", template, map[string]string{"send": "true"})
	if res.Status != http.StatusBadRequest || !bytes.Contains(res.Body, []byte("xige emitir: solo se envían")) {
		t.Errorf("send without issue, in Spanish: %d %s", res.Status, res.Body)
	}
	bad := []byte(strings.Replace(string(template), ",21,", ",22,", 1))
	res = upload(t, base+"/api/imports?wait=1&lang=es", apptest.Tokens.Staff, "t.csv", bad, map[string]string{"dry_run": "true"})
	if res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte("El IVA debe ser 21, 10, 4 o 0 %")) {
		t.Errorf("a wrong VAT rate, in Spanish: %d %s", res.Status, res.Body)
	}
}
