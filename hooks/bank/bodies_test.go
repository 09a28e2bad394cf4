package bank_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"facturo/hooks/bank"
	"facturo/internal/apptest"
)

// post sends body to path as the staff, declaring its length or not.
func post(t *testing.T, url, contentType string, body []byte, declared bool) (int, string) {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	if !declared {
		r = io.MultiReader(r) // a reader of unknown length: the body is sent in chunks
	}
	req, _ := http.NewRequest(http.MethodPost, url, r)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", apptest.Tokens.Staff)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var e struct{ Message string }
	json.Unmarshal(b, &e)
	return res.StatusCode, e.Message
}

// TestBodiesAreBounded: a statement over 20 MB and a JSON body over 16 KB
// are refused with 413 and a message saying so, whether their length is
// declared (before reading them) or not (where they pass the limit).
func TestBodiesAreBounded(t *testing.T) {
	app := apptest.New(t)
	url := apptest.Serve(t, app)
	var form bytes.Buffer
	w := multipart.NewWriter(&form)
	f, _ := w.CreateFormFile("file", "year.n43")
	f.Write(bytes.Repeat([]byte("x"), bank.MaxStatementBytes+1))
	w.Close()
	for _, declared := range []bool{true, false} {
		status, message := post(t, url+"/api/bank/statements", w.FormDataContentType(), form.Bytes(), declared)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(message, "larger than 20 MB") {
			t.Errorf("a statement of 20 MB and a byte (length declared: %v): %d %q", declared, status, message)
		}
		// Without a declared length, the product's check of JSON bodies
		// (package invoicing) reads it first, and says it cannot.
		body := []byte(`{"invoice": "` + strings.Repeat("x", 20<<10) + `"}`)
		status, message = post(t, url+"/api/bank/movements/anything/confirm", "application/json", body, declared)
		if declared && (status != http.StatusRequestEntityTooLarge || !strings.Contains(message, "larger than 16 KB")) ||
			!declared && status != http.StatusRequestEntityTooLarge && status != http.StatusBadRequest {
			t.Errorf("a JSON body of 20 KB (length declared: %v): %d %q", declared, status, message)
		}
	}
	if n, _ := app.CountRecords(bank.Movements); n != 0 {
		t.Fatalf("%d movements written", n)
	}
}

// TestCommandPrintsTheSummaryOfARefusedStatement: amounts that cannot be
// stored exactly, and a file over the limit, are problems of the summary,
// which the command prints before it exits 1.
func TestCommandPrintsTheSummaryOfARefusedStatement(t *testing.T) {
	dir := t.TempDir()
	camt := strings.Replace(string(readFile(t, "statement.camt053.xml")), `<Amt Ccy="EUR">121.00</Amt>`, `<Amt Ccy="EUR">1e400</Amt>`, 1)
	for name, content := range map[string]string{
		"exponent.xml": camt,
		"nan.xml":      strings.Replace(camt, "1e400", "NaN", 1),
		"cents.xml":    strings.Replace(camt, "1e400", "121.005", 1),
		"huge.n43":     strings.Repeat("\n", bank.MaxStatementBytes+1),
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		stdout, err := runBank(t, "import", path)
		if err == nil {
			t.Errorf("%s: exit 0", name)
		}
		s := summaryLine(t, stdout)
		if len(s.Errors) != 1 || s.Movements != 0 {
			t.Fatalf("%s: %s", name, stdout)
		}
		if e := s.Errors[0]; name != "huge.n43" && (e.Line != 22 || !strings.Contains(e.Message, "the entry's amount (Amt)")) {
			t.Errorf("%s: %+v", name, e)
		} else if name == "huge.n43" && !strings.Contains(e.Message, "larger than 20 MB") {
			t.Errorf("%s: %+v", name, e)
		}
	}
}
