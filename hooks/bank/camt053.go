package bank

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// camtEntry is one Ntry as it is read, before it becomes a Movement.
type camtEntry struct {
	line             int
	amount           string
	amountLine       int
	currency         string
	indicator        string
	booking, value   time.Time
	accountRef       string
	endToEnd         []string
	remittance       []string
	additional, name []string
}

// ParseCamt053 reads an ISO 20022 bank-to-customer statement (camt.053,
// BkToCstmrStmt, versions .001.02 to .001.08: elements are matched by local
// name whatever the namespace), one movement per entry (Ntry). Malformed
// XML, entries without an amount and bad dates are reported with the line.
func ParseCamt053(content []byte) ([]Movement, []LineError) {
	dec := xml.NewDecoder(bytes.NewReader(content))
	dec.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "iso-8859-1", "latin1", "latin-1", "windows-1252":
			return strings.NewReader(toUTF8(mustRead(input))), nil
		}
		return nil, fmt.Errorf("the statement's encoding %q is not supported; use UTF-8 or ISO-8859-1", charset)
	}
	var (
		path       []string
		text       strings.Builder
		errs       problems
		movements  []Movement
		account    string
		currency   string
		entry      *camtEntry
		statements int
		sawRoot    bool
	)
	fail := errs.add
	line := func() int { l, _ := dec.InputPos(); return l }
	under := func(names ...string) bool { return hasSuffix(path, names...) }
	for !errs.full {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var syntax *xml.SyntaxError
			if errors.As(err, &syntax) {
				fail(syntax.Line, "the XML is malformed: %s", syntax.Msg)
			} else {
				fail(line(), "the XML is malformed: %v", err)
			}
			return nil, errs.result(line())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(path) == maxXMLDepth {
				fail(line(), "%s", errTooDeep())
				return nil, errs.result(line())
			}
			path = append(path, t.Name.Local)
			text.Reset()
			switch t.Name.Local {
			case "BkToCstmrStmt":
				sawRoot = true
			case "Stmt":
				statements++
				account, currency = "", ""
			case "Ntry":
				if under("Stmt", "Ntry") {
					entry = &camtEntry{line: line()}
				}
			case "Amt":
				if entry != nil && under("Ntry", "Amt") {
					entry.amountLine = line()
					for _, a := range t.Attr {
						if a.Name.Local == "Ccy" {
							entry.currency = strings.TrimSpace(a.Value)
						}
					}
				}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			value := strings.TrimSpace(text.String())
			text.Reset()
			switch {
			case entry == nil:
				switch {
				case under("Stmt", "Acct", "Id", "IBAN"):
					account = value
				case under("Stmt", "Acct", "Id", "Othr", "Id") && account == "":
					account = value
				case under("Stmt", "Acct", "Ccy"):
					currency = value
				}
			case under("Ntry", "Amt"):
				entry.amount = value
			case under("Ntry", "CdtDbtInd"):
				entry.indicator = value
			case under("Ntry", "BookgDt", "Dt"), under("Ntry", "BookgDt", "DtTm"):
				entry.booking = camtDate(value, line(), "booking date", fail)
			case under("Ntry", "ValDt", "Dt"), under("Ntry", "ValDt", "DtTm"):
				entry.value = camtDate(value, line(), "value date", fail)
			case under("Ntry", "AcctSvcrRef"):
				entry.accountRef = value
			case under("TxDtls", "Refs", "EndToEndId"):
				if value != "" && value != "NOTPROVIDED" {
					entry.endToEnd = append(entry.endToEnd, value)
				}
			case under("RmtInf", "Ustrd"), under("RmtInf", "Strd", "CdtrRefInf", "Ref"):
				entry.remittance = append(entry.remittance, value)
			case under("Ntry", "AddtlNtryInf"), under("TxDtls", "AddtlTxInf"):
				entry.additional = append(entry.additional, value)
			case under("RltdPties", "Dbtr", "Nm"), under("RltdPties", "Dbtr", "Pty", "Nm"):
				entry.name = append(entry.name, value)
			case under("Stmt", "Ntry"):
				if m, ok := entry.movement(account, currency, fail); ok {
					movements = append(movements, m)
				}
				entry = nil
			}
			path = path[:len(path)-1]
		}
	}
	if errs.full {
		return nil, errs.result(line())
	}
	if !sawRoot || statements == 0 {
		fail(1, "this XML is not a camt.053 bank statement: it has no BkToCstmrStmt/Stmt")
	}
	if list := errs.result(line()); len(list) > 0 {
		return nil, list
	}
	assignKeys(movements)
	return movements, nil
}

// movement checks the entry and makes it a Movement.
func (e *camtEntry) movement(account, currency string, fail func(int, string, ...any)) (Movement, bool) {
	ok := true
	if e.amount == "" {
		fail(e.line, "the entry (Ntry) has no amount (Amt)")
		return Movement{}, false
	}
	amount, problem := camtAmount(e.amount)
	if problem != "" {
		fail(e.amountLine, "the entry's amount (Amt) %s", problem)
		ok = false
	}
	switch e.indicator {
	case "CRDT":
	case "DBIT":
		amount = amount.Neg()
	case "":
		fail(e.line, "the entry (Ntry) has no credit/debit indicator (CdtDbtInd)")
		ok = false
	default:
		fail(e.line, "the entry's credit/debit indicator is %q; it must be CRDT or DBIT", e.indicator)
		ok = false
	}
	if e.booking.IsZero() && e.value.IsZero() {
		fail(e.line, "the entry (Ntry) has neither a booking date (BookgDt) nor a value date (ValDt)")
		ok = false
	}
	if !ok {
		return Movement{}, false
	}
	if e.booking.IsZero() {
		e.booking = e.value
	}
	if e.value.IsZero() {
		e.value = e.booking
	}
	if e.currency == "" {
		e.currency = currency
	}
	return Movement{
		Line: e.line, BookingDate: e.booking, ValueDate: e.value, Amount: amount, Currency: e.currency,
		Concept:   joinText(append(append(append([]string{}, e.remittance...), e.additional...), e.name...)...),
		Reference: joinText(append([]string{e.accountRef}, e.endToEnd...)...),
		Account:   account,
	}, true
}

// camtDate reads an ISODate or ISODateTime; the date is what counts.
func camtDate(s string, line int, name string, fail func(int, string, ...any)) time.Time {
	for _, layout := range []string{time.DateOnly, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02-07:00", "2006-01-02Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		}
	}
	fail(line, "the %s %q is not a date (YYYY-MM-DD) or date-time", name, s)
	return time.Time{}
}

// hasSuffix tells whether path ends with names.
func hasSuffix(path []string, names ...string) bool {
	if len(path) < len(names) {
		return false
	}
	for i, n := range names {
		if path[len(path)-len(names)+i] != n {
			return false
		}
	}
	return true
}

func mustRead(r io.Reader) []byte {
	b, _ := io.ReadAll(r)
	return b
}
