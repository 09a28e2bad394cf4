package staff_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"facturo/hooks/products"
	"facturo/internal/apptest"
)

// TestProductsAreKeptAndSuggestedToTheEditor: a product with a recargo
// that does not go with its IVA is refused beside the field, in the
// clerk's language; a good one is saved, listed, and offered to a line's
// description with the values the line takes; an inactive one is not.
func TestProductsAreKeptAndSuggestedToTheEditor(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	csrf := b.CSRF("/app/products/new")
	form := url.Values{"csrf": {csrf}, "name": {"Camiseta estampada"}, "code": {"CAM-1"}, "unit": {"ud"}, "unit_price": {"12,50"},
		"vat": {"10"}, "surcharge": {"5.2"}, "active": {"true"}}
	p := b.Post("/app/products/new?lang=es", form)
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "El recargo del 5,2 % solo va con IVA del 21 %.") {
		t.Fatalf("a recargo with the wrong IVA: %d", p.Status)
	}
	form.Set("vat", "21")
	p = b.Post("/app/products/new", form)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("saving: %d %s", p.Status, p.Body)
	}
	if list := b.Get("/app/products?lang=es").Body; !strings.Contains(list, "Camiseta estampada") || !strings.Contains(list, "12,50 €") {
		t.Error("the list does not show the product")
	}
	var hits []map[string]string
	_ = json.Unmarshal([]byte(b.Get("/app/products/search?lang=es&q=camis").Body), &hits)
	if len(hits) != 1 || hits[0]["unit_price"] != "12,5" || hits[0]["vat"] != "21" || hits[0]["surcharge"] != "5.2" || hits[0]["withholding"] != "" {
		t.Fatalf("the suggestion: %v", hits)
	}
	r, _ := app.FindFirstRecordByData(products.Collection, "code", "CAM-1")
	r.Set("active", false)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	hits = nil
	_ = json.Unmarshal([]byte(b.Get("/app/products/search?q=camis").Body), &hits)
	if len(hits) != 0 {
		t.Errorf("an inactive product is suggested: %v", hits)
	}
}

// TestTheProductsPageImportsAFileOrListsItsProblems: uploading a file
// with problems lists them by row and column and writes nothing; the
// template imports.
func TestTheProductsPageImportsAFileOrListsItsProblems(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	upload := func(name, content string, dryRun bool) apptest.Page {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("csrf", b.CSRF("/app/products"))
		if dryRun {
			w.WriteField("dry_run", "true")
		}
		fw, _ := w.CreateFormFile("file", name)
		fw.Write([]byte(content))
		w.Close()
		req, _ := http.NewRequest(http.MethodPost, base+"/app/products/import?lang=en", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return b.Do(req)
	}
	p := upload("p.csv", "name,unit_price,vat\nHora,45,22\n", false)
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, `<td class="num">2</td><td data-label="Column">vat</td><td data-label="Problem">must be 21, 10, 4 or 0</td>`) {
		t.Fatalf("a file with a bad VAT: %d", p.Status)
	}
	if n, _ := app.CountRecords(products.Collection); n != 0 {
		t.Fatal("a refused file wrote products")
	}
	p = upload("productos.csv", string(products.TemplateCSV()), false)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Products imported.") {
		t.Fatalf("the template: %d", p.Status)
	}
	if n, _ := app.CountRecords(products.Collection); n != 2 {
		t.Errorf("%d products after importing the template", n)
	}
}
