// Package xmltree builds small XML documents as trees and writes them in
// canonical form (Canonical XML 1.0, inclusive, without comments), so that
// the bytes written are the bytes a signature's digest covers: a document
// written here and read back by any conforming parser canonicalises to
// exactly what Write produced, and any subtree can be canonicalised on its
// own with the namespaces it inherits.
//
// Elements hold either text or child elements, never both (the invoice
// formats have no mixed content). Attributes are unprefixed; namespaces are
// declared with Declare.
package xmltree

import (
	"bytes"
	"slices"
	"strings"
)

// Attr is an attribute or a namespace declaration.
type Attr struct{ Name, Value string }

// Element is one element of a tree.
type Element struct {
	Name     string // qualified name, such as "cbc:ID"
	ns       []Attr // namespace declarations: prefix (empty for the default) and URI
	attrs    []Attr
	text     string
	Children []*Element
}

// New returns an element with no content.
func New(name string) *Element { return &Element{Name: name} }

// Declare declares a namespace prefix on e ("" for the default namespace).
func (e *Element) Declare(prefix, uri string) *Element {
	e.ns = append(e.ns, Attr{prefix, uri})
	return e
}

// Namespaces are the declarations made on e.
func (e *Element) Namespaces() []Attr { return e.ns }

// Set sets an attribute and returns e.
func (e *Element) Set(name, value string) *Element {
	for i := range e.attrs {
		if e.attrs[i].Name == name {
			e.attrs[i].Value = value
			return e
		}
	}
	e.attrs = append(e.attrs, Attr{name, value})
	return e
}

// Get returns an attribute's value, or "".
func (e *Element) Get(name string) string {
	for _, a := range e.attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// SetText sets the element's text and returns it.
func (e *Element) SetText(text string) *Element {
	e.text = text
	return e
}

// Text returns the element's text.
func (e *Element) Text() string { return e.text }

// Add appends an empty child element and returns it.
func (e *Element) Add(name string) *Element {
	c := New(name)
	e.Children = append(e.Children, c)
	return c
}

// AddText appends a child holding text and returns it.
func (e *Element) AddText(name, text string) *Element {
	c := e.Add(name)
	c.text = text
	return c
}

// AddOptional appends a child holding text, unless the text is empty (an
// empty element is an error in most invoice rules); it returns the child or nil.
func (e *Element) AddOptional(name, text string) *Element {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return e.AddText(name, text)
}

// AppendChild appends an existing element.
func (e *Element) AppendChild(c *Element) { e.Children = append(e.Children, c) }

// Find returns the first descendant (or e itself) with the given name, depth first.
func (e *Element) Find(name string) *Element {
	if e.Name == name {
		return e
	}
	for _, c := range e.Children {
		if f := c.Find(name); f != nil {
			return f
		}
	}
	return nil
}

// Document writes e as a whole document: the XML declaration, then e in
// canonical form.
func Document(e *Element) []byte {
	var b bytes.Buffer
	b.Grow(4 << 10)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	e.WriteCanonical(&b, nil)
	return b.Bytes()
}

// Canonical returns e canonicalised as the apex of a document subset whose
// ancestors declare inherited: inclusive canonicalisation renders every
// namespace in scope on the apex.
func (e *Element) Canonical(inherited []Attr) []byte {
	var b bytes.Buffer
	e.WriteCanonical(&b, inherited)
	return b.Bytes()
}

// WriteCanonical writes e in canonical form, with inherited (the
// declarations in scope from its ancestors) rendered on e itself.
func (e *Element) WriteCanonical(b *bytes.Buffer, inherited []Attr) {
	ns := e.ns
	if len(inherited) > 0 {
		ns = slices.Clone(inherited)
		for _, d := range e.ns {
			if i := slices.IndexFunc(ns, func(a Attr) bool { return a.Name == d.Name }); i >= 0 {
				ns[i] = d
			} else {
				ns = append(ns, d)
			}
		}
	}
	e.write(b, ns)
}

func (e *Element) write(b *bytes.Buffer, ns []Attr) {
	b.WriteByte('<')
	b.WriteString(e.Name)
	if len(ns) > 1 {
		ns = slices.Clone(ns)
		slices.SortFunc(ns, func(x, y Attr) int { return strings.Compare(x.Name, y.Name) })
	}
	for _, d := range ns {
		if d.Name == "" {
			b.WriteString(` xmlns="`)
		} else {
			b.WriteString(" xmlns:")
			b.WriteString(d.Name)
			b.WriteString(`="`)
		}
		escapeAttr(b, d.Value)
		b.WriteByte('"')
	}
	attrs := e.attrs
	if len(attrs) > 1 {
		attrs = slices.Clone(attrs)
		slices.SortFunc(attrs, func(x, y Attr) int { return strings.Compare(x.Name, y.Name) })
	}
	for _, a := range attrs {
		b.WriteByte(' ')
		b.WriteString(a.Name)
		b.WriteString(`="`)
		escapeAttr(b, a.Value)
		b.WriteByte('"')
	}
	b.WriteByte('>')
	escapeText(b, e.text)
	for _, c := range e.Children {
		c.write(b, c.ns)
	}
	b.WriteString("</")
	b.WriteString(e.Name)
	b.WriteByte('>')
}

// escapeText escapes character data as canonical XML does.
func escapeText(b *bytes.Buffer, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(esc)
		start = i + 1
	}
	b.WriteString(s[start:])
}

// escapeAttr escapes an attribute value as canonical XML does.
func escapeAttr(b *bytes.Buffer, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '"':
			esc = "&quot;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(esc)
		start = i + 1
	}
	b.WriteString(s[start:])
}
