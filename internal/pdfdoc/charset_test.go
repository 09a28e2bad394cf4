package pdfdoc

import (
	"reflect"
	"regexp"
	"strconv"
	"testing"
)

func TestNewCharsetRefusesBadRuneLists(t *testing.T) {
	for name, runes := range map[string][]rune{
		"empty":      nil,
		"unsorted":   {'b', 'a'},
		"duplicated": {'a', 'a', 'b'},
		"beyond BMP": {'a', '🎉'},
	} {
		if _, err := NewCharset(runes); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCharsetCovers(t *testing.T) {
	cs, _, _ := testFonts(t)
	for r, want := range map[rune]bool{'a': true, 'ñ': true, '€': true, 'Я': false, '\n': false, -1: false, '🎉': false} {
		if got := cs.Covers(r); got != want {
			t.Errorf("Covers(%q) = %v", r, got)
		}
	}
}

var bfrange = regexp.MustCompile(`<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>`)

// allCIDs lists every CID of cs.
func allCIDs(cs *Charset) []int {
	cids := make([]int, len(cs.runes))
	for i := range cids {
		cids[i] = i + 1
	}
	return cids
}

// readToUnicode reads the CID-to-rune ranges of a ToUnicode CMap, checking
// that each keeps to one high byte on both sides, as CMaps require.
func readToUnicode(t *testing.T, cmap []byte) map[int]rune {
	t.Helper()
	got := map[int]rune{}
	for _, m := range bfrange.FindAllSubmatch(cmap, -1) {
		lo, _ := strconv.ParseInt(string(m[1]), 16, 32)
		hi, _ := strconv.ParseInt(string(m[2]), 16, 32)
		dst, _ := strconv.ParseInt(string(m[3]), 16, 32)
		if lo>>8 != hi>>8 || dst>>8 != (dst+hi-lo)>>8 {
			t.Errorf("range %s crosses a high byte", m[0])
		}
		for c := lo; c <= hi; c++ {
			got[int(c)] = rune(dst + c - lo)
		}
	}
	return got
}

// The ToUnicode map takes every CID back to its rune.
func TestToUnicodeMapsEveryCID(t *testing.T) {
	cs, _, _ := testFonts(t)
	got := readToUnicode(t, cs.toUnicodeCMap(allCIDs(cs)))
	if len(got) != len(cs.runes) {
		t.Errorf("the map has %d CIDs, the charset %d runes", len(got), len(cs.runes))
	}
	for i, r := range cs.runes {
		if got[i+1] != r {
			t.Errorf("CID %d maps to %q, want %q", i+1, got[i+1], r)
		}
	}
}

// Runes with gaps between them each need a range of their own; a CMap block
// holds at most 100.
func TestToUnicodeBlocksHoldAtMostAHundredRanges(t *testing.T) {
	var runes []rune
	for r := rune(0x41); len(runes) < 250; r += 2 {
		runes = append(runes, r)
	}
	cs, err := NewCharset(runes)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, m := range regexp.MustCompile(`(\d+) beginbfrange`).FindAllSubmatch(cs.toUnicodeCMap(allCIDs(cs)), -1) {
		n, _ := strconv.Atoi(string(m[1]))
		if n > cmapBlockSize {
			t.Errorf("a block of %d ranges", n)
		}
		total += n
	}
	if total != 250 {
		t.Errorf("%d ranges, want 250", total)
	}
}

// A document's ToUnicode map holds the CIDs its text draws, and only them:
// a run of CIDs with a gap in it is two ranges.
func TestToUnicodeMapsTheCIDsDrawn(t *testing.T) {
	cs, _, _ := testFonts(t)
	var cids []int
	for _, r := range "abcdeñ€" {
		cids = append(cids, int(cs.cid(r)))
	}
	cids = append(cids[:3], cids[4:]...) // no d
	got := readToUnicode(t, cs.toUnicodeCMap(cids))
	want := map[int]rune{}
	for _, cid := range cids {
		want[cid] = cs.runes[cid-1]
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the map is %v, want %v", got, want)
	}
}
