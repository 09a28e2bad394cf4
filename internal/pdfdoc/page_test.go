package pdfdoc

import (
	"strings"
	"testing"
)

// Setting the same font and colour before every piece of text, as layouts
// do, writes each operator once.
func TestStateOperatorsAreWrittenOnChange(t *testing.T) {
	_, regular, bold := testFonts(t)
	p := New(Info{}).AddPage()
	red := Color{R: 255}
	for range 3 {
		p.SetFont(regular, 9)
		p.SetTextColor(red)
		p.Text(10, 10, "a")
	}
	p.SetFont(bold, 9)
	p.Text(10, 20, "b")
	p.SetFont(bold, 12)
	p.Text(10, 30, "c")
	content := string(p.content)
	for op, want := range map[string]int{" Tf ": 3, " rg\n": 1, "Tj": 5} {
		if got := strings.Count(content, op); got != want {
			t.Errorf("%q written %d times, want %d:\n%s", op, got, want, content)
		}
	}
	if !strings.Contains(content, "1 0 0 rg\n") || !strings.Contains(content, "/F2 12 Tf") {
		t.Errorf("unexpected content:\n%s", content)
	}
}

// Text is written as two-byte CIDs; the bytes that a literal string cannot
// hold as they are come escaped. With testRunes, G is CID 0x28 "(", H is
// 0x29 ")", { is 0x5C "\" and the comma is 0x0D, a carriage return.
func TestTextEscapesCIDBytes(t *testing.T) {
	_, regular, _ := testFonts(t)
	p := New(Info{}).AddPage()
	p.SetFont(regular, 10)
	p.Text(0, 0, "GH{,A")
	want := "(\x00\\(\x00\\)\x00\\\\\x00\\r\x00\x22) Tj"
	if !strings.Contains(string(p.content), want) {
		t.Errorf("content %q lacks %q", p.content, want)
	}
}

func TestGeometryIsInMillimetresFromTheTop(t *testing.T) {
	p := New(Info{}).AddPage()
	p.FillRect(10, 20, 30, 5)
	p.SetLineWidth(0.2)
	p.Line(0, 0, 210, 297)
	p.FillCells(100, 50, 1, []Cell{{X: 0, Y: 0, W: 7, H: 1}})
	want := "28.35 771.02 85.04 14.17 re f\n" +
		"0.57 w\n0 841.89 m 595.28 0 l S\n" +
		"q 2.8346 0 0 -2.8346 283.46 700.16 cm\n0 0 7 1 re\nf Q\n"
	if got := string(p.content); got != want {
		t.Errorf("content:\n%s\nwant:\n%s", got, want)
	}
}
