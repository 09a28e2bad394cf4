// Package pdf renders an invoice to a PDF document.
//
// It is a pure renderer: the caller fills an Invoice with values it has
// already computed and rounded, and Render lays them out on A4 pages. The
// package reads no database and knows nothing of records; the texts people
// read come from the translations in package ui, and numbers and dates are
// written with ui's locale formatting.
package pdf
