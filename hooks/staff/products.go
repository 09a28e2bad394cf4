package staff

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/imports"
	"facturo/hooks/products"
	"facturo/internal/numtext"
	"facturo/ui"
)

// The catalogue at /app/products: its list with a search, a form per
// product, and the import of a CSV or XLSX file of products.

type productRow struct {
	ID, Code, Name, Unit, Price, VAT, Extras string
	Active                                   bool
}

type productsPage struct {
	page
	Query    string
	Inactive bool
	Rows     []productRow
	Import   *products.Summary
	Notice   string
	Error    string
}

func productRowOf(lang string, p products.Product) productRow {
	row := productRow{ID: p.ID, Code: p.Code, Name: p.Name, Unit: p.Unit, Active: p.Active,
		Price: ui.FormatMoney(lang, p.UnitPrice, "EUR"), VAT: ui.FormatPercent(lang, p.VAT)}
	var extras []string
	if p.Surcharge.IsPositive() {
		extras = append(extras, ui.T(lang, "app.editor.surcharge")+" "+ui.FormatPercent(lang, p.Surcharge))
	}
	if p.Withholding.IsPositive() {
		extras = append(extras, ui.T(lang, "app.editor.withholding")+" "+ui.FormatPercent(lang, p.Withholding))
	}
	if p.VATExemption != "" {
		extras = append(extras, p.VATExemption)
	}
	row.Extras = strings.Join(extras, " · ")
	return row
}

func productsList(e *core.RequestEvent, p page) (productsPage, error) {
	pp := productsPage{page: p.titled("app.products", "products"), Query: strings.TrimSpace(e.Request.URL.Query().Get("q")), Inactive: e.Request.URL.Query().Get("inactive") == "1"}
	filter, params := "active = true", dbx.Params{}
	if pp.Inactive {
		filter = "active = false"
	}
	if pp.Query != "" {
		filter, params["q"] = filter+" && (name ~ {:q} || code ~ {:q} || description ~ {:q})", pp.Query
	}
	records, err := e.App.FindRecordsByFilter(products.Collection, filter, "name", 1000, 0, params)
	if err != nil {
		return pp, err
	}
	for _, r := range records {
		pp.Rows = append(pp.Rows, productRowOf(p.Lang, products.Of(r)))
	}
	if k := e.Request.URL.Query().Get("done"); k != "" {
		pp.Notice = ui.T(p.Lang, "app.products.done."+k)
	}
	return pp, nil
}

func handleProducts(e *core.RequestEvent, p page) error {
	pp, err := productsList(e, p)
	if err != nil {
		return err
	}
	return render(e, http.StatusOK, "products.html", pp.page, pp)
}

// handleProductsImport imports the uploaded file and shows the catalogue
// with what the import did, or every problem by row and column.
func handleProductsImport(e *core.RequestEvent, p page) error {
	pp, err := productsList(e, p)
	if err != nil {
		return err
	}
	file, header, err := e.Request.FormFile("file")
	if err != nil {
		pp.Error = ui.T(p.Lang, "app.products.import.no_file")
		return render(e, http.StatusBadRequest, "products.html", pp.page, pp)
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, imports.MaxUploadBytes+1))
	if err != nil {
		return err
	}
	if len(content) > imports.MaxUploadBytes {
		pp.Error = ui.T(p.Lang, "app.products.import.too_large")
		return render(e, http.StatusRequestEntityTooLarge, "products.html", pp.page, pp)
	}
	dryRun := e.Request.PostFormValue("dry_run") == "true"
	summary, err := products.Import(e.App, bytes.NewReader(content), int64(len(content)), header.Filename, dryRun)
	if err != nil {
		return err
	}
	pp, err = productsList(e, p)
	if err != nil {
		return err
	}
	pp.Import = summary
	status := http.StatusOK
	if len(summary.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return render(e, status, "products.html", pp.page, pp)
}

func handleProductsTemplate(e *core.RequestEvent, _ page) error {
	e.Response.Header().Set("Content-Disposition", `attachment; filename="productos.csv"`)
	return e.Blob(http.StatusOK, "text/csv; charset=utf-8", products.TemplateCSV())
}

// productForm is one product as its form shows it.
type productForm struct {
	page
	ID, Code, Name, Description, Unit, UnitPrice string
	VAT, VATExemption, Surcharge, Withholding    string
	Active                                       bool
	Errors                                       map[string]string
	Error, Notice                                string
	Exemptions                                   []string
}

func productFormOf(p page, r *core.Record) productForm {
	f := productForm{page: p, Errors: map[string]string{}, VAT: "21", Active: true}
	for _, reason := range exemptionReasons {
		f.Exemptions = append(f.Exemptions, ui.T(p.Lang, "app.editor.exemption."+reason))
	}
	if r == nil {
		return f
	}
	pr := products.Of(r)
	f.ID, f.Code, f.Name, f.Description, f.Unit = pr.ID, pr.Code, pr.Name, pr.Description, pr.Unit
	f.UnitPrice, f.VAT, f.VATExemption, f.Active = inputNumber(p.Lang, pr.UnitPrice), pr.VAT.String(), pr.VATExemption, pr.Active
	if pr.Surcharge.IsPositive() {
		f.Surcharge = pr.Surcharge.String()
	}
	if pr.Withholding.IsPositive() {
		f.Withholding = pr.Withholding.String()
	}
	return f
}

func handleProductNew(e *core.RequestEvent, p page) error {
	p = p.titled("app.products.new", "products")
	return render(e, http.StatusOK, "product.html", p, productFormOf(p, nil))
}

func handleProductEdit(e *core.RequestEvent, p page) error {
	r, err := e.App.FindRecordById(products.Collection, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	p = p.titled("app.products.edit", "products")
	f := productFormOf(p, r)
	if e.Request.URL.Query().Get("done") == "saved" {
		f.Notice = ui.T(p.Lang, "app.done.saved")
	}
	return render(e, http.StatusOK, "product.html", p, f)
}

// handleProductSave saves the product form: a new product, or the one the
// path names.
func handleProductSave(e *core.RequestEvent, p page) error {
	var r *core.Record
	if id := e.Request.PathValue("id"); id != "" {
		stored, err := e.App.FindRecordById(products.Collection, id)
		if err != nil {
			return e.NotFoundError("", nil)
		}
		r = stored
		p = p.titled("app.products.edit", "products")
	} else {
		col, err := e.App.FindCachedCollectionByNameOrId(products.Collection)
		if err != nil {
			return err
		}
		r = core.NewRecord(col)
		p = p.titled("app.products.new", "products")
	}
	f := productFormOf(p, nil)
	f.ID = r.Id
	form := func(name string) string { return strings.TrimSpace(e.Request.PostFormValue(name)) }
	f.Code, f.Name, f.Description, f.Unit = form("code"), form("name"), strings.TrimSpace(e.Request.PostFormValue("description")), form("unit")
	f.UnitPrice, f.VAT, f.VATExemption, f.Surcharge, f.Withholding = form("unit_price"), form("vat"), form("vat_exemption"), form("surcharge"), form("withholding")
	f.Active = form("active") == "true"
	numbers := map[string]decimal.Decimal{}
	for field, v := range map[string]string{"unit_price": f.UnitPrice, "vat": f.VAT, "surcharge": f.Surcharge, "withholding": f.Withholding} {
		if v == "" {
			numbers[field] = decimal.Zero
			continue
		}
		n, err := numtext.Typed(p.Lang, v)
		if err != nil {
			f.Errors[field] = numberProblem(p.Lang, err)
			continue
		}
		numbers[field] = decimal.RequireFromString(n)
	}
	if f.UnitPrice == "" {
		f.Errors["unit_price"] = ui.T(p.Lang, "app.form.err.required")
	}
	if len(f.Errors) == 0 {
		r.Load(map[string]any{"code": f.Code, "name": f.Name, "description": f.Description, "unit": f.Unit, "vat_exemption": f.VATExemption, "active": f.Active})
		for field, n := range numbers {
			r.Set(field, n.InexactFloat64())
		}
		err := e.App.Save(r)
		if err == nil {
			return e.Redirect(http.StatusSeeOther, "/app/products/"+r.Id+"?done=saved")
		}
		fields, whole := productProblems(p.Lang, err)
		for k, v := range fields {
			f.Errors[k] = v
		}
		f.Error = whole
	}
	if f.Error == "" {
		f.Error = ui.T(p.Lang, "app.form.fix")
	}
	return render(e, http.StatusBadRequest, "product.html", p, f)
}

// productProblems are a refused product's problems in lang: the line rules'
// and the store's, by their codes.
func productProblems(lang string, err error) (map[string]string, string) {
	return fieldProblems(lang, err)
}

func handleProductDelete(e *core.RequestEvent, p page) error {
	r, err := e.App.FindRecordById(products.Collection, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	if err := e.App.Delete(r); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, "/app/products?done=deleted")
}

// productHit is a product the editor's lines offer.
type productHit struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Details      string `json:"details"`
	UnitPrice    string `json:"unit_price"`
	VAT          string `json:"vat"`
	VATExemption string `json:"vat_exemption"`
	Surcharge    string `json:"surcharge"`
	Withholding  string `json:"withholding"`
}

// handleProductSearch answers the line description's suggestions: up to
// eight active products whose name or code holds what is typed, with the
// values a line takes from them.
func handleProductSearch(e *core.RequestEvent, p page) error {
	found, err := products.Search(e.App, e.Request.URL.Query().Get("q"), 8)
	if err != nil {
		return err
	}
	hits := []productHit{}
	for _, pr := range found {
		row := productRowOf(p.Lang, pr)
		details := strings.Trim(strings.Join([]string{pr.Code, row.Price + unitSuffix(pr.Unit), ui.T(p.Lang, "app.editor.vat") + " " + row.VAT, row.Extras}, " · "), " ·")
		hit := productHit{ID: pr.ID, Name: pr.Name, Details: details, UnitPrice: inputNumber(p.Lang, pr.UnitPrice), VAT: pr.VAT.String(), VATExemption: pr.VATExemption}
		if pr.Surcharge.IsPositive() {
			hit.Surcharge = pr.Surcharge.String()
		}
		if pr.Withholding.IsPositive() {
			hit.Withholding = pr.Withholding.String()
		}
		hits = append(hits, hit)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, hits)
}

func unitSuffix(unit string) string {
	if unit == "" {
		return ""
	}
	return "/" + unit
}
