package pdf

import (
	"crypto/sha256"
	"sync"

	"facturo/internal/pdfdoc"
)

// imageCacheSize is how many logos are kept prepared. An issuer's logo is
// the same on every invoice, and decoding and recompressing a PNG costs
// more than laying out the rest of the document; a few entries cover the
// issuers of one installation.
const imageCacheSize = 8

// imageCache keeps the most recently prepared images by the digest of their
// file.
type imageCache struct {
	mu      sync.Mutex
	entries []imageCacheEntry // oldest first
}

type imageCacheEntry struct {
	digest [sha256.Size]byte
	image  *pdfdoc.Image
}

var images imageCache

// load returns the prepared image of data, preparing it on a miss.
func (c *imageCache) load(data []byte) (*pdfdoc.Image, error) {
	digest := sha256.Sum256(data)
	c.mu.Lock()
	for _, e := range c.entries {
		if e.digest == digest {
			c.mu.Unlock()
			return e.image, nil
		}
	}
	c.mu.Unlock()
	img, err := pdfdoc.NewImage(data)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) == imageCacheSize {
		c.entries = append(c.entries[:0], c.entries[1:]...)
	}
	c.entries = append(c.entries, imageCacheEntry{digest, img})
	return img, nil
}

// placeImage draws the PNG or JPEG data inside the box (x, y, maxW, maxH),
// keeping its proportions and its top-left corner at (x, y). It returns the
// drawn size.
func (r *renderer) placeImage(data []byte, x, y, maxW, maxH float64) (w, h float64, err error) {
	img, err := images.load(data)
	if err != nil {
		return 0, 0, err
	}
	pw, ph := img.Size()
	w, h = fitInside(float64(pw), float64(ph), maxW, maxH)
	r.page.DrawImage(img, x, y, w, h)
	return w, h, nil
}

// fitInside scales (w, h) to the largest size inside (maxW, maxH).
func fitInside(w, h, maxW, maxH float64) (float64, float64) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	scale := min(maxW/w, maxH/h)
	return w * scale, h * scale
}
