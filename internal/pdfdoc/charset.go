package pdfdoc

import (
	"fmt"
	"math/bits"
	"slices"
)

// Charset is the fixed set of characters that a document's fonts can draw,
// and the character ids (CIDs) that content streams encode them with. Fonts
// made with the same Charset encode text the same way and share one
// ToUnicode map, which lets text extraction and search recover every
// character exactly, even where two characters share a glyph.
type Charset struct {
	// cids is indexed by rune; 0, the id of .notdef, marks a rune outside
	// the set.
	cids []uint16
	// runes holds the rune of each CID, from CID 1.
	runes []rune
}

// NewCharset makes a Charset of runes, which must be ascending, unique and
// in the Basic Multilingual Plane. CIDs follow rune order from 1.
func NewCharset(runes []rune) (*Charset, error) {
	if len(runes) == 0 {
		return nil, fmt.Errorf("pdfdoc: empty charset")
	}
	for i := 1; i < len(runes); i++ {
		if runes[i] <= runes[i-1] {
			return nil, fmt.Errorf("pdfdoc: charset runes are not ascending and unique")
		}
	}
	last := runes[len(runes)-1]
	if runes[0] < 0 || last > 0xffff {
		return nil, fmt.Errorf("pdfdoc: charset rune %U outside the BMP", last)
	}
	c := &Charset{cids: make([]uint16, last+1), runes: slices.Clone(runes)}
	for i, r := range runes {
		c.cids[r] = uint16(i + 1)
	}
	return c, nil
}

// cidSet is a set of CIDs of one Charset, one bit a CID.
type cidSet []uint64

func newCIDSet(cs *Charset) cidSet { return make(cidSet, len(cs.runes)/64+1) }

func (s cidSet) add(cid uint16) { s[cid>>6] |= 1 << (cid & 63) }

// union adds the CIDs of t, a set of the same Charset.
func (s cidSet) union(t cidSet) {
	for i := range s {
		s[i] |= t[i]
	}
}

// list returns the CIDs of the set in ascending order, leaving out 0
// (.notdef), which every font has.
func (s cidSet) list() []int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	cids := make([]int, 0, n)
	for i, w := range s {
		for w != 0 {
			cid := i*64 + bits.TrailingZeros64(w)
			if cid != 0 {
				cids = append(cids, cid)
			}
			w &= w - 1
		}
	}
	return cids
}

// Covers tells whether r is in the set.
func (c *Charset) Covers(r rune) bool {
	return r >= 0 && int(r) < len(c.cids) && c.cids[r] != 0
}

// cid returns the character id of r, or 0 (.notdef) outside the set.
func (c *Charset) cid(r rune) uint16 {
	if r >= 0 && int(r) < len(c.cids) {
		return c.cids[r]
	}
	return 0
}

// cmapBlockSize is the most entries one bfrange block may hold.
const cmapBlockSize = 100

// toUnicodeCMap maps each of cids, ascending, to its rune. Since CIDs
// follow rune order, runs of consecutive CIDs become single bfrange
// entries; a range never crosses a change of high byte on either side, as
// the CMap syntax requires.
func (c *Charset) toUnicodeCMap(cids []int) []byte {
	type span struct{ cid, n int }
	var spans []span
	for _, cid := range cids {
		r := c.runes[cid-1]
		if n := len(spans); n > 0 {
			s := &spans[n-1]
			prevCID := s.cid + s.n - 1
			prevRune := c.runes[prevCID-1]
			if cid == prevCID+1 && r == prevRune+1 && cid>>8 == prevCID>>8 && r>>8 == prevRune>>8 {
				s.n++
				continue
			}
		}
		spans = append(spans, span{cid, 1})
	}

	b := []byte("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for len(spans) > 0 {
		block := spans[:min(len(spans), cmapBlockSize)]
		spans = spans[len(block):]
		b = fmt.Appendf(b, "%d beginbfrange\n", len(block))
		for _, s := range block {
			b = fmt.Appendf(b, "<%04X> <%04X> <%04X>\n", s.cid, s.cid+s.n-1, c.runes[s.cid-1])
		}
		b = append(b, "endbfrange\n"...)
	}
	b = append(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"...)
	return b
}
