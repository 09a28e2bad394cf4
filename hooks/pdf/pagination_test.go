package pdf

import (
	"fmt"
	"strings"
	"testing"
)

func TestLongInvoicePaginatesCleanly(t *testing.T) {
	pages := pageTexts(t, longEnglishInvoice())
	n := len(pages)
	if n < 3 {
		t.Fatalf("250 lines fit on %d pages; the test needs several", n)
	}
	total := "€9,528.75"
	for i, page := range pages {
		flat := spaces.ReplaceAllString(page, " ")
		if want := fmt.Sprintf("Page %d of %d", i+1, n); !strings.Contains(flat, want) {
			t.Errorf("page %d lacks the footer %q", i+1, want)
		}
		if !strings.Contains(flat, "Description Qty Unit price Disc. VAT Amount") {
			t.Errorf("page %d lacks the table header", i+1)
		}
		if i > 0 && !strings.Contains(flat, "Invoice 2026-B-0250 (continued)") {
			t.Errorf("page %d lacks the running header", i+1)
		}
		// A wrapped row keeps both its lines on the same page.
		if a, b := strings.Count(flat, "with an extended description"), strings.Count(flat, "because it is rather long"); a != b {
			t.Errorf("page %d has a row split across pages: %d first lines, %d second lines", i+1, a, b)
		}
		if last := i == n-1; strings.Contains(flat, total) != last {
			t.Errorf("page %d of %d: total %s printed = %v, want it on the last page only", i+1, n, total, !last)
		}
	}
	all := strings.Join(pages, "\n")
	for i := 1; i <= 250; i++ {
		if c := strings.Count(all, fmt.Sprintf("Item %03d:", i)); c != 1 {
			t.Errorf("line %d is printed %d times", i, c)
		}
	}
}

// A description longer than a page is the one case where a row must break;
// its text continues on the next page and none of it is lost.
func TestRowTallerThanAPageContinues(t *testing.T) {
	inv := shortInvoice(1)
	var b strings.Builder
	for i := 1; i <= 90; i++ {
		fmt.Fprintf(&b, "Paragraph %02d of the statement of work.\n", i)
	}
	inv.Lines[0].Description = b.String()
	pages := pageTexts(t, inv)
	if len(pages) < 2 {
		t.Fatalf("a 90-line description fits on %d page", len(pages))
	}
	all := strings.Join(pages, "\n")
	for i := 1; i <= 90; i++ {
		if c := strings.Count(all, fmt.Sprintf("Paragraph %02d ", i)); c != 1 {
			t.Errorf("description line %d is printed %d times", i, c)
		}
	}
}

func TestTenLineInvoiceFitsOnePage(t *testing.T) {
	if n := len(pageTexts(t, shortInvoice(10))); n != 1 {
		t.Errorf("the 10-line invoice takes %d pages; the benchmark assumes one", n)
	}
}

// Notes longer than a page flow onto further pages instead of running off
// the bottom of one.
func TestLongNotesFlowOntoNewPages(t *testing.T) {
	inv := shortInvoice(2)
	var b strings.Builder
	for i := 1; i <= 120; i++ {
		fmt.Fprintf(&b, "Condition %03d: general terms of sale.\n", i)
	}
	inv.Notes = b.String()
	pages := pageTexts(t, inv)
	all := strings.Join(pages, "\n")
	for i := 1; i <= 120; i++ {
		if c := strings.Count(all, fmt.Sprintf("Condition %03d:", i)); c != 1 {
			t.Errorf("notes line %d is printed %d times", i, c)
		}
	}
	for i, page := range pages {
		if want := fmt.Sprintf("Página %d de %d", i+1, len(pages)); !strings.Contains(spaces.ReplaceAllString(page, " "), want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	if len(pages) < 3 {
		t.Errorf("120 lines of notes fit on %d pages", len(pages))
	}
}
