package store

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// uuidCodec is pgx's uuid codec that also scans the binary format
// straight into a google/uuid UUID. Without it pgx prefers the type's
// sql.Scanner, which has the 16 bytes formatted as text and parsed back:
// for every id of every row read, a tenth of the CPU of a withdrawal
// preview (BENCHMARKS.md, "Withdrawal preview").
type uuidCodec struct{ pgtype.UUIDCodec }

func (c uuidCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if _, ok := target.(*uuid.UUID); ok && format == pgtype.BinaryFormatCode {
		return scanUUID{}
	}
	return c.UUIDCodec.PlanScan(m, oid, format, target)
}

// scanUUID copies a binary uuid into a uuid.UUID.
type scanUUID struct{}

func (scanUUID) Scan(src []byte, dst any) error {
	if src == nil {
		return fmt.Errorf("store: cannot scan NULL into %T", dst)
	}
	if len(src) != 16 {
		return fmt.Errorf("store: a binary uuid has 16 bytes, not %d", len(src))
	}
	copy(dst.(*uuid.UUID)[:], src)
	return nil
}

// registerTypes makes conn use uuidCodec.
func registerTypes(conn *pgx.Conn) {
	conn.TypeMap().RegisterType(&pgtype.Type{Name: "uuid", OID: pgtype.UUIDOID, Codec: uuidCodec{}})
}
