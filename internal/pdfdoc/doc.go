// Package pdfdoc writes PDF documents of A4 pages from a small set of
// drawing operations: text in embedded TrueType fonts, filled rectangles,
// straight rules and images.
//
// It is built for rendering many short documents quickly. Everything that is
// the same from one document to the next is prepared once and shared: a Font
// holds its subset font program already compressed, its widths and its
// dictionaries, and an Image holds its compressed samples. A document only
// lays out its own content streams, compresses them and writes the objects.
//
// Coordinates are in millimetres from the top-left corner of the page, as
// layouts measure them; the conversion to PDF's points from the bottom-left
// happens on output. The output is deterministic: the same drawing calls give
// the same bytes.
package pdfdoc
