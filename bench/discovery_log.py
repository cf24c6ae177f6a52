#!/usr/bin/env python3
"""Turn the statements a server ran, as PostgreSQL logged them with
log_min_duration_statement=0, into psql scripts that run the same
statements: the same text, prepared without parameter types (as pgx
prepares them), executed with the logged parameter values.

    discovery_log.py LOG OFFSET DB PREFIX OUTDIR

reads LOG from byte OFFSET, keeps the records of database DB, and writes
into OUTDIR:
    PREFIX.prepare.sql   one PREPARE per statement executed
    PREFIX.execute.sql   the EXECUTEs, in the order the server ran them
    PREFIX.explain.sql   EXPLAIN (ANALYZE, BUFFERS) of each
    PREFIX.statements    the statements as the server ran them (for reading)
and prints the number of statements. Used by bench/discovery.sh.
"""

import os
import re
import sys

RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\S*)@(\S*) (LOG|DETAIL|ERROR|STATEMENT|WARNING|HINT|CONTEXT):  (.*)$")
EXECUTE = re.compile(r"^duration: [\d.]+ ms  execute [^:]*: (.*)$", re.S)
SIMPLE = re.compile(r"^duration: [\d.]+ ms  statement: (.*)$", re.S)
PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")


def records(text, db):
    cur = None
    for line in text.split("\n"):
        m = RECORD.match(line)
        if m:
            if cur:
                yield cur
            cur = {"pid": m.group(1), "db": m.group(3), "kind": m.group(4), "msg": m.group(5)}
        elif cur is not None:
            cur["msg"] += "\n" + line
    if cur:
        yield cur


def main():
    log, offset, db, prefix, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    with open(log, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    stmts = []  # [sql, params]
    pending = {}  # pid -> index of the last execute, awaiting its parameters
    for r in records(text, db):
        if r["db"] != db:
            continue
        if r["kind"] == "LOG":
            m = EXECUTE.match(r["msg"]) or SIMPLE.match(r["msg"])
            if m:
                stmts.append([m.group(1).rstrip("\n"), []])
                pending[r["pid"]] = len(stmts) - 1
            else:
                pending.pop(r["pid"], None)
        elif r["kind"] == "DETAIL" and r["msg"].startswith("parameters:") and r["pid"] in pending:
            i = pending.pop(r["pid"])
            stmts[i][1] = [v for _, v in sorted(((int(n), v) for n, v in PARAM.findall(r["msg"])), key=lambda x: x[0])]
    # pgx's pings ("-- ping") and transaction control are not the query;
    # a COPY (the audit trail's row of the request) cannot be
    # prepared, and its data is not in the log
    stmts = [s for s in stmts if not s[0].lstrip().upper().startswith(("--", "BEGIN", "COMMIT", "ROLLBACK", "SET ", "RESET ", "DISCARD", "COPY"))]
    prep, exe, expl, plain = [], [], [], []
    for i, (sql, params) in enumerate(stmts):
        name = "%s_%d" % (prefix, i + 1)
        body = sql.rstrip().rstrip(";")
        prep.append("PREPARE %s AS %s;" % (name, body))
        call = "EXECUTE %s%s" % (name, "(" + ", ".join(params) + ")" if params else "")
        exe.append(call + ";")
        expl.append("\\echo '-- %s: %s'\nEXPLAIN (ANALYZE, BUFFERS) %s;" % (name, body.replace("\n", " ")[:160].replace("'", "''"), call))
        plain.append("-- %s%s\n%s;\n" % (name, " parameters: " + ", ".join(params) if params else "", body))
    for ext, lines in (("prepare.sql", prep), ("execute.sql", exe), ("explain.sql", expl), ("statements", plain)):
        with open(os.path.join(outdir, prefix + "." + ext), "w") as f:
            f.write("\n".join(lines) + "\n")
    print(len(stmts))


if __name__ == "__main__":
    main()
