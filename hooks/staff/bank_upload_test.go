package staff_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"facturo/hooks/bank"
	"facturo/internal/apptest"
	"facturo/ui"
)

// TestBankUploadIsBounded: a statement over the limit, here over the
// router's own 32 MB too, gets the page saying so, whether the browser
// declares its length (refused before it is read) or not (cut where it
// passes the limit), and nothing is imported.
func TestBankUploadIsBounded(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf", b.CSRF("/app/bank"))
	part, _ := w.CreateFormFile("file", "year.n43")
	part.Write(bytes.Repeat([]byte("x"), 33<<20))
	w.Close()
	for _, declared := range []bool{true, false} {
		var r io.Reader = bytes.NewReader(body.Bytes())
		if !declared {
			r = io.MultiReader(r) // no length: sent in chunks
		}
		req, _ := http.NewRequest(http.MethodPost, b.Base+"/app/bank", r)
		req.Header.Set("Content-Type", w.FormDataContentType())
		p := b.Do(req)
		if p.Status != http.StatusRequestEntityTooLarge || !strings.Contains(p.Body, ui.T("es", "app.bank.too_large")) {
			t.Errorf("length declared %v: %d", declared, p.Status)
		}
	}
	if n, _ := app.CountRecords(bank.Movements); n != 0 {
		t.Fatalf("%d movements written", n)
	}
	// A statement within the limit still goes through the same form.
	if p := uploadStatement(t, b, []byte("not a statement"), false); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "neither a Norma 43") {
		t.Errorf("a small file: %d", p.Status)
	}
}
