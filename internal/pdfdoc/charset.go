package pdfdoc

import (
	"fmt"
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
	// toUnicode is the compressed ToUnicode CMap stream.
	toUnicode []byte
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
	c.toUnicode = deflateBest(c.toUnicodeCMap())
	return c, nil
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

// toUnicodeCMap maps each CID to its rune. Since CIDs follow rune order,
// runs of consecutive runes become single bfrange entries; a range never
// crosses a change of high byte on either side, as the CMap syntax requires.
func (c *Charset) toUnicodeCMap() []byte {
	type span struct{ cid, n int }
	var spans []span
	for i, r := range c.runes {
		cid := i + 1
		if n := len(spans); n > 0 {
			s := &spans[n-1]
			prevCID, prevRune := s.cid+s.n-1, c.runes[i-1]
			if r == prevRune+1 && cid>>8 == prevCID>>8 && r>>8 == prevRune>>8 {
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
