// Package pdfdoc writes PDF documents of A4 pages from a small set of
// drawing operations: text in embedded TrueType fonts, filled rectangles,
// straight rules and images.
//
// It is built for rendering many short documents quickly, and small. What is
// the same from one document to the next is prepared once and shared: a Font
// holds its glyphs, widths and descriptor already read, and an Image holds
// its compressed samples. A document lays out its own content streams and
// embeds a subset of each font holding only the glyphs it draws.
//
// Coordinates are in millimetres from the top-left corner of the page, as
// layouts measure them; the conversion to PDF's points from the bottom-left
// happens on output. The output is deterministic: the same drawing calls give
// the same bytes.
package pdfdoc
