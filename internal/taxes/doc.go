// Package taxes parses, validates and totals the lines of a Spanish invoice.
//
// It is pure Go: no PocketBase, no I/O. Callers hand it the raw JSON of an
// invoice's lines array, get back validated [Line] values (or a [LineErrors]
// listing every problem), and compute exact [Totals] from them.
//
// Domain terms keep their Spanish names in this package:
//
//   - IVA (VAT, value-added tax): 21, 10, 4 or 0 %. A 0 % line must state its
//     exención (exemption reason), which is printed on the invoice.
//   - Recargo de equivalencia (equivalence surcharge): an extra percentage
//     charged to retailers under that regime; each rate goes with exactly one
//     IVA rate (5.2 with 21, 1.4 with 10, 0.5 with 4).
//   - IRPF retención (income-tax withholding): the part of a professional's
//     fee that the client keeps and pays to the tax office on their behalf;
//     it is subtracted from the invoice total. Rates 15, 7, 19 or 1 %.
//   - Factura rectificativa (rectifying invoice, credit note): corrects an
//     earlier invoice; its lines carry negative quantities.
//
// Money is always [decimal.Decimal], never float64, and is rounded to the cent
// in exactly one place, [RoundCents].
package taxes
