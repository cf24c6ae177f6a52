package domain

import "strings"

// EGA accession types a federated gateway names entities by: a dataset
// (EGAD), a file (EGAF) and a study (EGAS), each EGA and its type letter
// followed by 11 digits (LocalEGA requires exactly these forms).
const (
	EGADataset = "EGAD"
	EGAFile    = "EGAF"
	EGAStudy   = "EGAS"
)

var egaKinds = map[string]string{EGADataset: "dataset", EGAFile: "file", EGAStudy: "study"}

// CheckAccession is the one rule for an EGA accession given as a key: it
// must be of the expected type (EGAD, EGAF or EGAS followed by 11 digits).
// A malformed one is EINVALID naming arg and the accession; an empty one
// too (an accession key is never optional).
func CheckAccession(arg, prefix, s string) error {
	if IsEGAAccession(prefix, s) {
		return nil
	}
	msg := "is not an EGA " + egaKinds[prefix] + " accession (" + prefix + " followed by 11 digits)"
	if strings.HasPrefix(s, "EGA") && len(s) >= 4 && s[:4] != prefix && egaKinds[s[:4]] != "" {
		msg += "; it is an EGA " + egaKinds[s[:4]] + " accession"
	}
	return &Error{Code: EINVALID, Message: "invalid accession", Fields: []FieldError{{Field: arg, Value: Quote(s, 40), Message: msg}}}
}

// Accession returns id when it is an EGA accession of the given type, and
// "" otherwise: Databank keeps a dataset's or a file's accession as its
// external id, which may be another kind of id.
func Accession(prefix, id string) string {
	if IsEGAAccession(prefix, id) {
		return id
	}
	return ""
}
