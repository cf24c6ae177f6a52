// Package pgserver runs a private PostgreSQL cluster from the server
// binaries installed on the machine, for `databank serve` and `databank demo`
// without a DATABASE_URL, and for tests.
//
// Start initialises the data directory on first use (initdb), starts the
// server with pg_ctl and creates the application database; Stop shuts it down
// with `pg_ctl stop -m fast`. The cluster's superuser (URL) owns the schema;
// EnsureRole and URLAs give the application a role of its own (AppRole),
// which owns nothing. Data stays in the data directory for the next
// start. The server listens on a Unix socket only (listen_addresses is empty),
// with trust authentication: only the user running the cluster (and root)
// can reach the socket directory. Server output goes to DataDir/log/postgres.log.
//
// Settings that databank owns are written to DataDir/databank.conf at every
// start (included from postgresql.conf), so a cluster started with Fast for a
// test and later without it gets its durability back.
//
// # Root
//
// PostgreSQL refuses to run as root. When databank runs as root the cluster
// runs as the owner of an existing non-root data directory, else as the
// `postgres` system user, else as `nobody`; the data directory is chowned to
// that user. Every parent directory must be searchable by that user: parents
// we create are made 0755, and parents under the system temp directory that
// we own (t.TempDir, os.MkdirTemp) get the others-search bit. Any other
// unreachable parent (say /root, mode 0700) is not touched: Start fails and
// says which directory blocks the way.
//
// # Socket
//
// The socket lives in the data directory when the path fits the ~107-byte
// limit of Unix socket paths; otherwise in a private 0700 directory
// /tmp/databank-pg-<hash of the data dir>, owned by the cluster user and
// removed by Stop.
//
// # Ownership, reuse, stale and crashed clusters
//
// The process that starts a cluster owns it: it holds a flock on the data
// directory until Stop, and the kernel drops the lock when the process dies,
// however it dies. If Start finds the lock held by another live process (say
// `databank serve` runs while `databank demo` starts), it waits for that
// cluster to be ready and reuses it: the Server connects to it and its Stop
// is a no-op, since this process did not start it (and the cluster goes away
// when its owner stops). If the lock is free but the cluster is running, its
// owner died without stopping it: Start adopts it and its Stop will stop it.
// A reused or adopted cluster keeps the settings it was started with (Fast).
// The server runs detached (pg_ctl), so it outlives an owner that exits
// without Stop; callers should Stop on SIGINT/SIGTERM too.
//
// A postmaster.pid left by a crash is recovered: when its PID is dead, a
// zombie, or a live process that is not this data directory's postmaster
// (PID reuse, common in containers), and no old server process is still
// attached to the cluster's shared memory, the stale postmaster.pid and
// socket lock files are removed and the server starts (PostgreSQL then runs
// crash recovery).
package pgserver
