package pdfdoc

import "time"

// Info is the document's metadata.
type Info struct {
	Title, Author, Creator string
	// Date is both the creation and the modification date. Giving a date
	// of the document's content, rather than the time of writing, keeps
	// the output reproducible.
	Date time.Time
	// Lang is the natural language of the text, such as "es".
	Lang string
}

// Document is a PDF document being drawn: a sequence of A4 pages that share
// the fonts and images drawn on them.
type Document struct {
	info  Info
	pages []*Page
	// fonts and images are in the order they were first drawn, which
	// numbers their resources and objects.
	fonts  []*Font
	images []*Image
	// used holds the CIDs drawn in each font, which its subset embeds.
	used []cidSet
	// archival documents are PDF/A-3b; attachments are their associated files.
	archival    bool
	extraXMP    string
	attachments []Attachment
}

// New starts an empty document.
func New(info Info) *Document {
	return &Document{info: info}
}

// AddPage appends a blank page and returns it.
func (d *Document) AddPage() *Page {
	p := newPage(d)
	d.pages = append(d.pages, p)
	return p
}

// Pages returns the pages in order.
func (d *Document) Pages() []*Page { return d.pages }

// fontIndex returns the resource number of f, /F1 being the first font
// drawn.
func (d *Document) fontIndex(f *Font) int {
	for i, g := range d.fonts {
		if g == f {
			return i + 1
		}
	}
	d.fonts = append(d.fonts, f)
	d.used = append(d.used, newCIDSet(f.charset))
	return len(d.fonts)
}

// imageIndex returns the resource number of img, /Im1 being the first image
// drawn.
func (d *Document) imageIndex(img *Image) int {
	for i, g := range d.images {
		if g == img {
			return i + 1
		}
	}
	d.images = append(d.images, img)
	return len(d.images)
}
