package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// Quantity is an amount of material in thousandths of its unit, so that
// withdrawals subtract exactly (no floating-point drift below zero).
type Quantity int64

// QuantityScale is the number of Quantity steps per whole unit.
const QuantityScale = 1000

// ParseQuantity parses a non-negative decimal with at most three fraction
// digits ("2", "2.5", "0.125").
func ParseQuantity(s string) (Quantity, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty quantity")
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" && !hasFrac || strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "+") {
		return 0, fmt.Errorf("%q is not a non-negative decimal", s)
	}
	if len(frac) > 3 {
		return 0, fmt.Errorf("%q has more than 3 decimal places", s)
	}
	if hasFrac && frac == "" {
		return 0, fmt.Errorf("%q is not a non-negative decimal", s)
	}
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1e12 {
		return 0, fmt.Errorf("%q is not a non-negative decimal below 10^12", s)
	}
	var f int64
	if frac != "" {
		f, err = strconv.ParseInt(frac+strings.Repeat("0", 3-len(frac)), 10, 64)
		if err != nil || strings.ContainsAny(frac, "+-") {
			return 0, fmt.Errorf("%q is not a non-negative decimal", s)
		}
	}
	return Quantity(w*QuantityScale + f), nil
}

// Float returns q in whole units.
func (q Quantity) Float() float64 { return float64(q) / QuantityScale }

// String formats q with the fraction digits it needs ("2", "2.5", "0.125").
func (q Quantity) String() string {
	sign := ""
	if q < 0 {
		sign, q = "-", -q
	}
	w, f := int64(q)/QuantityScale, int64(q)%QuantityScale
	if f == 0 {
		return sign + strconv.FormatInt(w, 10)
	}
	return sign + strings.TrimRight(fmt.Sprintf("%d.%03d", w, f), "0")
}

// Units are the quantity units Databank accepts, keyed by their lower-case
// spelling; values are the canonical spelling.
var units = map[string]string{
	"ml": "mL", "ul": "uL", "µl": "uL", "l": "L",
	"g": "g", "mg": "mg", "ug": "ug", "µg": "ug", "ng": "ng",
	"cells": "cells", "aliquots": "aliquots", "slides": "slides", "blocks": "blocks",
}

// NormalizeUnit returns the canonical spelling of a quantity unit and
// whether it is known.
func NormalizeUnit(u string) (string, bool) {
	c, ok := units[strings.ToLower(strings.TrimSpace(u))]
	return c, ok
}
