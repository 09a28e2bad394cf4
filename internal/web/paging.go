package web

import (
	"net/url"
	"strconv"

	"github.com/pocketbase/pocketbase/core"
)

// Paging is the page of a list a request asks for (?page=, from 1).
type Paging struct{ No, Size int }

// PageOf reads the page asked for; lists show size rows a page.
func PageOf(e *core.RequestEvent, size int) Paging {
	n, _ := strconv.Atoi(e.Request.URL.Query().Get("page"))
	return Paging{No: max(n, 1), Size: size}
}

// Limit is how many rows to read: one more than a page shows, which tells
// whether there is a next page.
func (p Paging) Limit() int { return p.Size + 1 }

// Offset is how many rows the pages before this one show.
func (p Paging) Offset() int { return (p.No - 1) * p.Size }

// Links are how many of the read rows to show, and the links to the
// previous and next pages (empty where there is none) of path with the
// query kept.
func (p Paging) Links(path string, kept url.Values, read int) (shown int, previous, next string) {
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range kept {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return path + "?" + v.Encode()
	}
	shown = min(read, p.Size)
	if read > p.Size {
		next = link(p.No + 1)
	}
	if p.No > 1 {
		previous = link(p.No - 1)
	}
	return shown, previous, next
}
