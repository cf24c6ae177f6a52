package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"databank/domain"
)

// constraintMessages turns a violated constraint into words a user can act
// on. Unique violations name the duplicate id from the error detail.
var constraintMessages = map[string]string{
	"sample_remaining_quantity_check":      "the withdrawals recorded for this sample exceed its remaining quantity",
	"sample_remaining_within_initial":      "remaining quantity exceeds the initial quantity",
	"sample_initial_quantity_check":        "the initial quantity must not be negative",
	"sample_registered_remaining_check":    "the remaining quantity must not be negative",
	"sample_donor_id_biobank_id_fkey":      "the donor belongs to another biobank",
	"sample_parent_id_donor_id_fkey":       "the parent sample belongs to another donor",
	"sample_not_own_parent":                domain.SampleOwnParent,
	"data_file_sample_donor_fkey":          "no such sample",
	"consent_donor_id_biobank_id_fkey":     "the donor belongs to another biobank",
	"consent_withdrawn_after_given":        "withdrawnOn is before givenOn",
	"withdrawal_sample_id_biobank_id_fkey": "the sample belongs to another biobank",
	"withdrawal_quantity_check":            "the quantity must be greater than zero",
	"study_accession_check":                "the EGA study accession must be EGAS followed by 11 digits",
	"access_approval_revoked_by_someone":   "a revoked approval records who revoked it",
}

// translate turns a database error into a domain error. It wraps the
// operation name for internal errors, which are logged, never shown.
func translate(err error, op string) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &domain.Error{Code: domain.ECANCELLED, Message: "the request was cancelled", Err: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &domain.Error{Code: domain.ETIMEOUT, Message: "the request took longer than its time limit", Err: err}
	case unreachable(err):
		return &domain.Error{Code: domain.EUNAVAILABLE, Message: "database unavailable; retry later", Err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		msg := constraintMessages[pe.ConstraintName]
		switch pe.Code {
		case "23505": // unique_violation
			return &domain.Error{Code: domain.ECONFLICT, Message: conflictMessage(pe), Err: err}
		case "23503": // foreign_key_violation
			if msg == "" {
				msg = "a referenced record does not exist or is still referenced"
			}
			return &domain.Error{Code: domain.EINVALID, Message: msg, Err: err}
		case "23514", "23502", "22P02", "22003", "22007", "22008": // check, not null, bad text, out of range, dates
			if msg == "" {
				msg = "invalid value"
				if pe.ColumnName != "" {
					msg += " of " + pe.ColumnName
				}
			}
			return &domain.Error{Code: domain.EINVALID, Message: msg, Err: err}
		case "57014": // query_canceled (statement timeout)
			return &domain.Error{Code: domain.ETIMEOUT, Message: "the query took too long and was cancelled", Err: err}
		case "40001", "40P01": // serialization failure, deadlock
			return &domain.Error{Code: domain.EUNAVAILABLE, Message: "a concurrent change interfered; retry", Err: err}
		}
	}
	if pgconn.SafeToRetry(err) || errors.Is(err, pgx.ErrTxClosed) {
		return &domain.Error{Code: domain.EUNAVAILABLE, Message: "database unavailable; retry", Err: err}
	}
	return domain.Internal(err, "store: "+op)
}

// conflictMessage names the duplicate from the unique violation's detail,
// e.g. `Key (biobank_id, external_id)=(…, D123) already exists.`
func conflictMessage(pe *pgconn.PgError) string {
	table := pe.TableName
	if v := keyValue(pe.Detail); v != "" {
		return fmt.Sprintf("%s %s already exists", table, v)
	}
	return fmt.Sprintf("%s already exists", table)
}

// keyValue extracts the last value of "Key (cols)=(vals) already exists.",
// which for our keys is the external id.
func keyValue(detail string) string {
	start := -1
	for i := 0; i+2 < len(detail); i++ {
		if detail[i] == ')' && detail[i+1] == '=' && detail[i+2] == '(' {
			start = i + 3
			break
		}
	}
	if start < 0 {
		return ""
	}
	end := len(detail) - 1
	for end > start && detail[end] != ')' {
		end--
	}
	vals := detail[start:end]
	for i := len(vals) - 1; i >= 0; i-- {
		if vals[i] == ' ' && i > 0 && vals[i-1] == ',' {
			return fmt.Sprintf("%q", vals[i+1:])
		}
	}
	return fmt.Sprintf("%q", vals)
}

// unreachable reports an error of a database that is down, restarting or
// out of reach: a failed connection, a connection lost mid-statement, or
// PostgreSQL's own "shutting down" and "cannot connect now" errors.
func unreachable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne):
		return true
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED):
		return true
	case errors.As(err, &pe):
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	return false
}
