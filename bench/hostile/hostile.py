#!/usr/bin/env python3
"""Helper of bench/hostile.sh (standard library only): the well-behaved
client, the attacks, the files they upload, and the results table.

  hostile.py client URL TOKEN OUT        well-behaved client until SIGTERM
  hostile.py gen-gz OUT UNIT BYTES       gzip file of UNIT ("a" or "newline")
                                         repeated to BYTES decompressed
  hostile.py attack ID URL [key=value]   one attack; prints one JSON line
  hostile.py row ATTACK.json WB.log T0 T1 HWM_KB REST_P95_MS
                                         one result row (JSON) for the table
  hostile.py rest NAME WB.log T0 T1 HWM_KB
                                         the row of the client alone
  hostile.py stats WB.log T0 T1          the well-behaved client's figures
  hostile.py table RESULTS.jsonl         prints the table (markdown)

Every attack request goes over a raw socket: the body is streamed while
the answer is read, so an early refusal is seen (and timed) even when the
server stops reading, and the script knows how many body bytes it had
sent by then. Requests carry "Connection: close"; every one has a
deadline.
"""

import json
import os
import random
import select
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import zlib

# The well-behaved client's query (a researcher's simple query) and period.
WB_QUERY = '{ biobanks(first: 5) { nodes { code } } }'
WB_PERIOD = 0.1
WB_TIMEOUT = 10.0

# Targets of the issue.
P95_RATIO_MAX = 5.0
RSS_MAX_MB = 512

MiB = 1 << 20
GiB = 1 << 30


# ---------------------------------------------------------------- HTTP


def parse_url(url):
    u = urllib.parse.urlsplit(url)
    return u.hostname, u.port or 80


def rchar(pid):
    """The rchar of a process: every byte it read through read(2) and friends,
    sockets and files alike."""
    try:
        with open(f'/proc/{pid}/io') as f:
            for line in f:
                if line.startswith('rchar:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_seconds(pid):
    """User + system CPU time of a process so far, in seconds."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            rest = f.read().rsplit(')', 1)[1].split()
        return (int(rest[11]) + int(rest[12])) / os.sysconf('SC_CLK_TCK')
    except (OSError, IndexError, ValueError):
        return None


def exchange(host, port, head, body=(), deadline=60.0):
    """Sends head (bytes) then the chunks of body while reading the answer.
    Stops sending as soon as the answer starts. Returns a dict: status,
    headers (lower-case names), body (bytes), t_first and t_done (seconds
    from the connection), sent (body bytes sent), error (str or None)."""
    res = {'status': None, 'headers': {}, 'body': b'', 't_first': None, 't_done': None, 'sent': 0, 'error': None}
    t0 = time.monotonic()
    try:
        s = socket.create_connection((host, port), timeout=5)
    except OSError as e:
        res['error'] = f'connect: {e.strerror or e}'
        return res
    s.setblocking(False)
    out = memoryview(bytes(head))
    head_left = len(head)
    chunks = iter(body)
    body_done = False
    send_closed = False
    buf = bytearray()
    try:
        while True:
            if time.monotonic() - t0 > deadline:
                res['error'] = f'no answer within {deadline:.0f} s (client deadline)'
                break
            if not out and not body_done and res['t_first'] is None:
                try:
                    out = memoryview(next(chunks))
                except StopIteration:
                    body_done = True
            want_write = bool(out) and res['t_first'] is None and not send_closed
            r, w, _ = select.select([s], [s] if want_write else [], [], 0.2)
            if r:
                try:
                    data = s.recv(1 << 16)
                except ConnectionResetError:
                    if not buf:
                        res['error'] = 'connection reset by the server'
                    break
                if not data:
                    if not buf:
                        res['error'] = 'connection closed without an answer'
                    break
                if res['t_first'] is None:
                    res['t_first'] = time.monotonic() - t0
                buf += data
                if complete(buf):
                    break
            if w:
                try:
                    n = s.send(out)
                except (BrokenPipeError, ConnectionResetError):
                    send_closed = True
                    continue
                if head_left > 0:
                    d = min(n, head_left)
                    head_left -= d
                    res['sent'] += n - d
                else:
                    res['sent'] += n
                out = out[n:]
    finally:
        s.close()
    res['t_done'] = time.monotonic() - t0
    if buf:
        parse_response(bytes(buf), res)
    return res


def split_head(buf):
    """Skips interim 1xx answers; returns (status, headers, rest) or None."""
    while True:
        i = buf.find(b'\r\n\r\n')
        if i < 0:
            return None
        lines = buf[:i].decode('latin-1').split('\r\n')
        try:
            status = int(lines[0].split()[1])
        except (IndexError, ValueError):
            return None
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(':')
            headers[k.strip().lower()] = v.strip()
        rest = buf[i + 4:]
        if 100 <= status < 200:
            buf = rest
            continue
        return status, headers, rest


def complete(buf):
    h = split_head(bytes(buf))
    if h is None:
        return False
    _, headers, rest = h
    if 'content-length' in headers:
        return len(rest) >= int(headers['content-length'])
    if 'chunked' in headers.get('transfer-encoding', ''):
        return rest.endswith(b'0\r\n\r\n')
    return False  # read to EOF


def parse_response(buf, res):
    h = split_head(buf)
    if h is None:
        res['error'] = res['error'] or 'unreadable answer'
        return
    res['status'], res['headers'], rest = h
    if 'chunked' in res['headers'].get('transfer-encoding', ''):
        out = bytearray()
        while rest:
            line, _, rest = rest.partition(b'\r\n')
            try:
                n = int(line.split(b';')[0], 16)
            except ValueError:
                break
            if n == 0:
                break
            out += rest[:n]
            rest = rest[n + 2:]
        rest = bytes(out)
    res['body'] = rest


def request_head(host, port, method, path, headers, length=None):
    lines = [f'{method} {path} HTTP/1.1', f'Host: {host}:{port}', 'Connection: close', 'User-Agent: databank-hostile']
    for k, v in headers.items():
        lines.append(f'{k}: {v}')
    if length is not None:
        lines.append(f'Content-Length: {length}')
    return ('\r\n'.join(lines) + '\r\n\r\n').encode()


def post_json(url, token, payload, extra=None, deadline=60.0):
    host, port = parse_url(url)
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['Authorization'] = f'Bearer {token}'
    headers.update(extra or {})
    return exchange(host, port, request_head(host, port, 'POST', '/graphql', headers, len(body)), [body], deadline)


def classify(res):
    """'STATUS CODE' of an answer: the HTTP status and the first GraphQL
    error code; for an import, its report."""
    if res['error'] and res['status'] is None:
        return 'no answer: ' + res['error']
    st = res['status']
    try:
        j = json.loads(res['body'])
    except (ValueError, UnicodeDecodeError):
        j = None
    if isinstance(j, dict):
        errs = j.get('errors') or []
        if errs:
            code = ((errs[0].get('extensions') or {}).get('code')) or 'error without code'
            return f'{st} {code}'
        rep = (j.get('data') or {}).get('importRegistry')
        if isinstance(rep, dict):
            if rep.get('errorCount'):
                return f'{st} import refused (report)'
            return f'{st} import accepted'
        if j.get('data') is not None:
            return f'{st} data'
    return f'{st} (not GraphQL)'


def message(res):
    """The first error message of an answer (or of an import report)."""
    try:
        j = json.loads(res['body'])
    except (ValueError, UnicodeDecodeError):
        return res['body'][:120].decode('utf-8', 'replace') if res['body'] else (res['error'] or '')
    errs = j.get('errors') or []
    if errs:
        m = errs[0].get('message', '')
        fields = (errs[0].get('extensions') or {}).get('fields') or []
        if fields:
            m += ' (' + '; '.join(f"{f.get('field')}: {f.get('message')}" for f in fields[:2]) + ')'
        return m
    rep = (j.get('data') or {}).get('importRegistry') or {}
    if rep.get('errors'):
        return rep['errors'][0].get('message', '')
    return ''


# ------------------------------------------------------ well-behaved client


def client(url, token, out):
    """Every 100 ms (open loop: a slow answer does not delay the next
    request; a tick this process itself missed is skipped) sends the
    researcher's query on a new connection, and probes
    /readyz. Writes 'Q start_epoch latency_ms status code' and
    'R start_epoch latency_ms status' lines. On SIGTERM it waits for the
    requests in flight (each bounded by WB_TIMEOUT), then exits."""
    import http.client
    host, port = parse_url(url)
    lock = threading.Lock()
    f = open(out, 'a', buffering=1)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    body = json.dumps({'query': WB_QUERY})
    hdrs = {'Content-Type': 'application/json', 'Authorization': f'Bearer {token}'}

    def query():
        t = time.time()
        t0 = time.monotonic()
        status, code = 0, ''
        try:
            c = http.client.HTTPConnection(host, port, timeout=WB_TIMEOUT)
            c.request('POST', '/graphql', body, hdrs)
            r = c.getresponse()
            data = r.read()
            c.close()
            status = r.status
            j = json.loads(data)
            if j.get('errors'):
                code = (j['errors'][0].get('extensions') or {}).get('code', 'ERROR')
            elif not (j.get('data') or {}).get('biobanks'):
                code = 'NO_DATA'
        except Exception as e:  # a timeout, a reset: an error of the client
            code = 'transport:' + type(e).__name__
        ms = (time.monotonic() - t0) * 1000
        with lock:
            f.write(f'Q {t:.3f} {ms:.1f} {status} {code or "-"}\n')

    def ready():
        t = time.time()
        t0 = time.monotonic()
        status = 0
        try:
            c = http.client.HTTPConnection(host, port, timeout=WB_TIMEOUT)
            c.request('GET', '/readyz')
            r = c.getresponse()
            r.read()
            c.close()
            status = r.status
        except Exception:
            status = 0
        ms = (time.monotonic() - t0) * 1000
        with lock:
            f.write(f'R {t:.3f} {ms:.1f} {status}\n')

    threads = []
    start = time.monotonic()
    k = 0
    while not stop.is_set():
        for fn in (query, ready):
            th = threading.Thread(target=fn, daemon=True)
            th.start()
            threads.append(th)
        k += 1
        threads = [t for t in threads if t.is_alive()]
        # a tick this process missed (it was not scheduled in time) is
        # skipped, not made up in a burst that a real client would not send
        k = max(k, int((time.monotonic() - start) / WB_PERIOD))
        stop.wait(max(0.0, start + k * WB_PERIOD - time.monotonic()))
    for th in threads:
        th.join(WB_TIMEOUT + 1)
    f.close()


def p95(values):
    if not values:
        return None
    v = sorted(values)
    return v[max(0, min(len(v) - 1, -(-95 * len(v) // 100) - 1))]  # nearest rank


def stats(path, t0, t1):
    q, errors, kinds, ready_bad, ready = [], 0, {}, 0, 0
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) < 4 or not (t0 <= float(p[1]) <= t1):
                continue
            if p[0] == 'Q':
                q.append(float(p[2]))
                if p[3] != '200' or p[4] != '-':
                    errors += 1
                    k = f'{p[3]} {p[4]}'
                    kinds[k] = kinds.get(k, 0) + 1
            elif p[0] == 'R':
                ready += 1
                if p[3] != '200':
                    ready_bad += 1
    return {'n': len(q), 'p95': p95(q), 'p50': statistics.median(q) if q else None, 'max': max(q) if q else None,
            'errors': errors, 'error_kinds': kinds, 'readyz': ready, 'readyz_bad': ready_bad}


# ----------------------------------------------------------------- files


def gen_gz(out, unit, total):
    """A gzip file of unit repeated to total bytes: one 64 MiB member
    compressed once and written total/64 MiB times (a gzip file is a
    series of members; gunzip and Go's compress/gzip read them all)."""
    member_size = 64 * MiB
    data = (b'a' if unit == 'a' else b'\n') * member_size
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = c.compress(data) + c.flush()
    with open(out, 'wb') as f:
        for _ in range(total // member_size):
            f.write(member)


# --------------------------------------------------------------- attacks


def fmt_ms(s):
    if s is None:
        return '-'
    ms = s * 1000
    return f'{ms:.0f} ms' if ms < 10000 else f'{s:.1f} s'


def fmt_bytes(n):
    if n is None:
        return '?'
    if n >= GiB:
        return f'{n / GiB:.2f} GiB'
    if n >= MiB:
        return f'{n / MiB:.1f} MiB'
    if n >= 1024:
        return f'{n / 1024:.0f} KiB'
    return f'{n} B'


def flood(make, count, concurrency, duration, rate=None):
    """Runs make(i) -> result from `concurrency` threads until `count`
    requests were sent or `duration` seconds passed; with rate, at most
    that many requests per second."""
    results = []
    lock = threading.Lock()
    nxt = [0]
    start = time.monotonic()
    end = start + duration

    def worker():
        while True:
            with lock:
                i = nxt[0]
                if i >= count or time.monotonic() >= end:
                    return
                nxt[0] += 1
            if rate:
                time.sleep(max(0.0, start + i / rate - time.monotonic()))
            r = make(i)
            with lock:
                results.append(r)

    ts = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return results


def summarise(results, refuse_within=None, finish_within=None, expect=None):
    """outcome: the kinds of answers with their counts; time: median and
    max time to the complete answer. ok when every answer is a refusal
    (refuse_within: an HTTP error or a GraphQL error code, none INTERNAL,
    each within that many seconds) or a finished answer (finish_within);
    expect: a predicate on the classified answer that must hold for all."""
    kinds = {}
    for r in results:
        k = classify(r)
        kinds[k] = kinds.get(k, 0) + 1
    outcome = ', '.join(f'{k} ×{n}' for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    times = [r['t_done'] for r in results if r['t_done'] is not None]
    tmed, tmax = (statistics.median(times), max(times)) if times else (None, None)
    why = []
    for k in kinds:
        if k.startswith('no answer'):
            why.append(k)
        elif 'INTERNAL' in k:
            why.append('INTERNAL errors')
        elif refuse_within is not None and (k.endswith(' data') or k.endswith('import accepted')):
            why.append(f'accepted: {k}')
        if expect is not None and not expect(k):
            why.append(f'unexpected answer: {k}')
    limit = refuse_within if refuse_within is not None else finish_within
    if limit is not None and tmax is not None and tmax > limit:
        why.append(f'slowest answer {fmt_ms(tmax)} > {fmt_ms(limit)}')
    return {'outcome': outcome or 'no requests', 'time': f'{fmt_ms(tmed)} / {fmt_ms(tmax)}',
            'ok': not why and bool(results), 'why': '; '.join(dict.fromkeys(why)), 'requests': len(results),
            'first_message': next((message(r) for r in results if message(r)), '')}


def aliases(n, field):
    return '{ ' + ' '.join(f'a{i}: {field}' for i in range(n)) + ' }'


def attack(aid, url, opts):
    host, port = parse_url(url)
    researcher, staff = opts.get('researcher'), opts.get('staff')
    pid = opts.get('pid')
    rchar0 = rchar(pid) if pid else None
    cpu0 = cpu_seconds(pid) if pid else None
    own0 = os.times()
    notes = []
    out = {}
    salt = random.randrange(1 << 30)

    if aid in ('typename-30k', 'typename-100k'):
        n = 30000 if aid == 'typename-30k' else 100000
        base = '{ ' + '__typename ' * n + '}'

        def make(i):
            return post_json(url, None, {'query': f'{base} # {salt}-{i}'}, deadline=60)

        size = len(json.dumps({'query': base + ' # 0000000000-000'}))
        notes.append(f'body {fmt_bytes(size)}, no token, 3 at once, a different trailing comment each time')
        out = summarise(flood(make, 300, 3, 10), refuse_within=1.0)

    elif aid in ('samples-1000', 'samples-25'):
        n = 1000 if aid == 'samples-1000' else 25
        q = aliases(n, 'samples(filter: {hasDataFiles: false}) { totalCount }')
        notes.append(f'{n} root aliases, body {fmt_bytes(len(q))}, one researcher, 3 at once')
        if n == 1000:
            out = summarise(flood(lambda i: post_json(url, researcher, {'query': q + f' # {salt}-{i}'}), 300, 3, 10),
                            refuse_within=1.0)
        else:
            out = summarise(flood(lambda i: post_json(url, researcher, {'query': q + f' # {salt}-{i}'}), 30, 3, 10),
                            finish_within=30.0)

    elif aid == 'samples-fit':
        # the largest number of root whole-table counts the server accepts
        field = 'samples(filter: {hasDataFiles: false}) { totalCount }'
        chosen = None
        for n in (25, 16, 12, 8, 6, 4, 3, 2, 1):
            r = post_json(url, researcher, {'query': aliases(n, field)}, deadline=60)
            if classify(r).endswith(' data'):
                chosen = n
                break
        if chosen is None:
            return {'outcome': 'no variant accepted', 'time': '-', 'ok': False, 'why': 'even one count refused', 'notes': notes}
        q = aliases(chosen, field)
        notes.append(f'{chosen} root counts (the most the limits accept), one researcher, 16 at once for 15 s '
                     '(a thread pauses 100 ms after a 429, so that the attack is the queries, not a flood of refusals)')

        def make(i):
            r = post_json(url, researcher, {'query': q + f' # {salt}-{i}'})
            if r['status'] == 429:
                time.sleep(0.1)
            return r
        out = summarise(flood(make, 100000, 16, 15),
                        finish_within=30.0, expect=lambda k: k.endswith(' data') or 'TOO_MANY_REQUESTS' in k)

    elif aid in ('ontology-20k', 'ontology-10k'):
        n = 20000 if aid == 'ontology-20k' else 10000
        q = aliases(n, 'ontologyTerms(search: "a", first: 1) { totalCount }')
        notes.append(f'{n} aliases, body {fmt_bytes(len(q))}, one researcher, 3 at once')
        out = summarise(flood(lambda i: post_json(url, researcher, {'query': q + f' # {salt}-{i}'}), 300, 3, 10),
                        refuse_within=1.0)

    elif aid in ('import-line', 'import-zeros', 'import-blank'):
        path = opts.get('file')
        name = {'import-line': 'donors.tsv.gz', 'import-zeros': 'donors.tsv', 'import-blank': 'donors.tsv.gz'}[aid]
        if aid == 'import-zeros':
            size = 1000 * MiB
            chunks = lambda: (bytes(MiB) for _ in range(1000))
        else:
            size = os.path.getsize(path)

            def chunks():
                with open(path, 'rb') as f:
                    while True:
                        b = f.read(MiB)
                        if not b:
                            return
                        yield b
        res = upload(host, port, staff, name, size, chunks(), deadline=120)
        notes.append(f'{name}, {fmt_bytes(size)} uploaded (dry run), staff token; sent {fmt_bytes(res["sent"])} before the answer')
        out = summarise([res], finish_within=60.0, expect=lambda k: 'accepted' not in k and 'data' not in k)

    elif aid == 'nul':
        variants = [
            {'query': '{ samples(filter: {sampleIds: ["S\\u0000X"]}) { totalCount } }'},
            {'query': 'query($s: [String!]) { samples(filter: {sampleIds: $s}) { totalCount } }', 'variables': {'s': ['S\u0000X']}},
            {'query': '{ ontologyTerms(search: "a\\u0000", first: 1) { totalCount } }'},
            {'query': 'query($s: String) { biobank(code: $s) { code } }', 'variables': {'s': 'D\u0000'}},
        ]
        notes.append('NUL as \\u0000 in a literal (samples.sampleIds, ontologyTerms.search) and in variables (samples.sampleIds, '
                     'biobank.code), researcher, 20 a second')
        out = summarise(flood(lambda i: post_json(url, researcher, variants[i % len(variants)]), 200, 2, 10, rate=20),
                        refuse_within=1.0, expect=lambda k: 'INVALID' in k or 'VALIDATION' in k)

    elif aid == 'multipart-case':
        # no token, odd capitalisation, a declared 1 GiB body streamed at full speed
        boundary = f'hostile{salt}'
        pre = multipart_pre(boundary, 'donors.tsv')
        post = f'\r\n--{boundary}--\r\n'.encode()
        size = GiB
        total = len(pre) + size + len(post)
        head = request_head(host, port, 'POST', '/graphql', {'Content-Type': f'Multipart/Form-Data; boundary={boundary}'}, total)
        body = iter([pre] + [bytes(MiB)] * (size // MiB) + [post])
        r0 = rchar(pid) if pid else None
        res = exchange(host, port, head, body, deadline=30)
        time.sleep(0.3)
        r1 = rchar(pid) if pid else None
        read = (r1 - r0) if r0 is not None and r1 is not None else None
        notes.append(f'declared {fmt_bytes(total)}; the client had sent {fmt_bytes(res["sent"])} when the answer came; '
                     f'the server read {fmt_bytes(read)} in all (rchar)')
        out = summarise([res], refuse_within=1.0, expect=lambda k: k.startswith('401') or k.startswith('403'))
        if read is not None and read > 8 * MiB:
            out['ok'] = False
            out['why'] = (out['why'] + '; ' if out['why'] else '') + f'the server read {fmt_bytes(read)} of a refused body'

    elif aid in ('body-declared', 'body-chunked'):
        pad = 'x' * (2 * MiB)
        payload = json.dumps({'query': '{ __typename }', 'extensions': {'pad': pad}}).encode()
        r0 = rchar(pid) if pid else None
        if aid == 'body-declared':
            head = request_head(host, port, 'POST', '/graphql', {'Content-Type': 'application/json'}, len(payload))
            body = [payload[i:i + 64 * 1024] for i in range(0, len(payload), 64 * 1024)]
        else:
            head = request_head(host, port, 'POST', '/graphql', {'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked'})
            body = [f'{64 * 1024:x}\r\n'.encode() + payload[i:i + 64 * 1024].ljust(64 * 1024) + b'\r\n'
                    for i in range(0, len(payload), 64 * 1024)] + [b'0\r\n\r\n']
        results = [exchange(host, port, head, body, deadline=30) for _ in range(20)]
        time.sleep(0.3)
        r1 = rchar(pid) if pid else None
        per = (r1 - r0) // len(results) if r0 is not None and r1 is not None else None
        notes.append(f'{fmt_bytes(len(payload))} JSON body, no token, {"Content-Length" if aid == "body-declared" else "chunked, no length"}, 20 times; '
                     f'server read about {fmt_bytes(per)} per request (rchar)')
        out = summarise(results, refuse_within=1.0, expect=lambda k: k.startswith('413'))

    elif aid == 'pg-down':
        out = pg_down(url, researcher, opts)
        notes.extend(out.pop('notes', []))

    else:
        raise SystemExit(f'unknown attack {aid}')

    if pid and aid not in ('multipart-case', 'body-declared', 'body-chunked'):
        r1 = rchar(pid)
        if rchar0 is not None and r1 is not None:
            notes.append(f'server read {fmt_bytes(r1 - rchar0)} during the attack (rchar)')
    cpu1 = cpu_seconds(pid) if pid else None
    own1 = os.times()
    if cpu0 is not None and cpu1 is not None:
        n = out.get('requests') or 0
        per = f' ({(cpu1 - cpu0) * 1000 / n:.0f} ms a request)' if n and aid != 'pg-down' else ''
        notes.append(f'server CPU {cpu1 - cpu0:.2f} s{per}; the attacking script itself '
                     f'{max(0.0, own1.user + own1.system - own0.user - own0.system):.1f} s')
    if out.get('first_message'):
        notes.append('first message: ' + out.pop('first_message')[:160])
    out.pop('first_message', None)
    out['notes'] = notes
    return out


def multipart_pre(boundary, filename):
    ops = json.dumps({'query': 'mutation($f: Upload!) { importRegistry(kind: DONORS, file: $f, dryRun: true) '
                               '{ committed errorCount errors { line message } } }', 'variables': {'f': None}})
    return (f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{ops}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{{"0":["variables.f"]}}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="{filename}"\r\n'
            f'Content-Type: application/octet-stream\r\n\r\n').encode()


def upload(host, port, token, filename, size, chunks, deadline):
    """The multipart request of graph/explorer/static/import.js and
    docs/import.md: operations, map, then the file as part "0"."""
    boundary = f'hostile{random.randrange(1 << 30)}'
    pre = multipart_pre(boundary, filename)
    post = f'\r\n--{boundary}--\r\n'.encode()
    headers = {'Content-Type': f'multipart/form-data; boundary={boundary}', 'Authorization': f'Bearer {token}'}
    head = request_head(host, port, 'POST', '/graphql', headers, len(pre) + size + len(post))

    def body():
        yield pre
        yield from chunks
        yield post
    return exchange(host, port, head, body(), deadline)


def pg_down(url, token, opts):
    """Stops the server's private cluster (HOSTILE_PG_STOP), probes the API
    and /readyz for a few seconds, starts the cluster again
    (HOSTILE_PG_START) and times how long the API takes to answer again."""
    host, port = parse_url(url)
    q = {'query': WB_QUERY}
    notes = []
    t = time.monotonic()
    subprocess.run(['bash', '-c', os.environ['HOSTILE_PG_STOP']], check=True)
    notes.append(f'postgres stopped (pg_ctl stop -m fast) in {fmt_ms(time.monotonic() - t)}')
    probes, readys = [], []
    down_until = time.monotonic() + float(opts.get('down', 5))
    while time.monotonic() < down_until:
        probes.append(post_json(url, token, q, deadline=40))
        readys.append(exchange(host, port, request_head(host, port, 'GET', '/readyz', {}), [], deadline=10))
        time.sleep(0.5)
    t_up0 = time.monotonic()
    subprocess.run(['bash', '-c', os.environ['HOSTILE_PG_START']], check=True)
    t_up = time.monotonic()
    recovered = None
    while time.monotonic() - t_up < 30:
        r = post_json(url, token, q, deadline=10)
        if classify(r).endswith(' data'):
            recovered = time.monotonic() - t_up
            break
        time.sleep(0.1)
    out = summarise(probes, refuse_within=10.0, expect=lambda k: k.startswith('503') and 'UNAVAILABLE' in k)
    retry = sorted({p['headers'].get('retry-after', 'none') for p in probes})
    rk = {}
    for r in readys:
        rk[str(r['status'])] = rk.get(str(r['status']), 0) + 1
    out['outcome'] += f'; Retry-After: {"/".join(retry)}; /readyz ' + ', '.join(f'{k} ×{n}' for k, n in rk.items())
    why = [out['why']] if out['why'] else []
    if 'none' in retry:
        why.append('no Retry-After')
    if any(r['status'] != 503 for r in readys):
        why.append('/readyz not 503 while down')
    if recovered is None:
        why.append('no answer within 30 s of postgres being back')
    elif recovered > 10:
        why.append(f'recovery took {recovered:.1f} s > 10 s')
    out['time'] = f'{out["time"]}; recovery {fmt_ms(recovered) if recovered is not None else "> 30 s"}'
    out['ok'] = not why
    out['why'] = '; '.join(why)
    notes.append(f'postgres down {fmt_ms(t_up0 - t + 0)} in all; started again in {fmt_ms(t_up - t_up0)} (pg_ctl start -w); '
                 f'recovery = from pg_ctl start returning to the first answer with data, polled every 100 ms')
    out['notes'] = notes
    out['expect_wb_errors'] = True
    return out


# ----------------------------------------------------------------- table


LABELS = {
    'typename-30k': '1a. no token: 30,000 × `__typename` (330 KB), 3 at once',
    'typename-100k': '1b. no token: 100,000 × `__typename` (1.1 MB), 3 at once',
    'samples-1000': '2a. researcher: 1,000 aliased `samples(hasDataFiles: false) { totalCount }`',
    'samples-25': '2b. researcher: 25 root aliases of the same',
    'samples-fit': '2c. researcher: the most root counts the limits accept, 16 at once',
    'ontology-20k': '3a. researcher: 20,000 aliased `ontologyTerms(search: "a", first: 1) { totalCount }` (1.2 MB)',
    'ontology-10k': '3b. researcher: 10,000 of the same (0.6 MB, under the 1 MiB body limit)',
    'import-line': '4a. staff upload: 1 MB `.tsv.gz` holding one 1 GiB line',
    'import-zeros': '4b. staff upload: 1,000 MiB of zero bytes',
    'import-blank': '4c. staff upload: 4 MB `.gz` of blank lines (4 GiB)',
    'nul': '5a. researcher: NUL byte in a string argument / variable',
    'multipart-case': '5b. no token: `Multipart/Form-Data` upload, 1 GiB declared',
    'body-declared': '5c. no token: 2 MiB JSON body, Content-Length',
    'body-chunked': '5d. no token: 2 MiB JSON body, chunked',
    'pg-down': '5e. PostgreSQL stopped for 5 s, then started',
}


def row(attack_json, wb, t0, t1, hwm_kb, rest_p95):
    with open(attack_json) as f:
        a = json.load(f)
    s = stats(wb, t0, t1)
    rss = int(hwm_kb) / 1024 if hwm_kb not in ('', '?') else None
    a['wb'] = s
    a['rss_mb'] = rss
    a['rest_p95'] = rest_p95
    fails = []
    if not a.get('ok'):
        fails.append('attack: ' + (a.get('why') or 'not refused'))
    ratio = s['p95'] / rest_p95 if s['p95'] is not None and rest_p95 else None
    a['ratio'] = ratio
    if ratio is None or ratio > P95_RATIO_MAX:
        fails.append(f'well-behaved p95 {ratio:.1f}× rest' if ratio is not None else 'no well-behaved samples')
    if not a.get('expect_wb_errors'):
        if s['errors']:
            fails.append(f'{s["errors"]} well-behaved errors (' + ', '.join(f'{k} ×{n}' for k, n in s['error_kinds'].items()) + ')')
        if s['readyz_bad']:
            fails.append(f'/readyz not 200 {s["readyz_bad"]} times')
    if rss is None or rss > RSS_MAX_MB:
        fails.append(f'peak RSS {rss:.0f} MB' if rss is not None else 'peak RSS unknown')
    a['fails'] = fails
    return a


def table(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    rows.sort(key=lambda r: {'rest': 0, 'rest-after': 1}.get(r['id'], 2))  # stable: attacks keep their order
    print('| attack | answers seen (HTTP status, error code) | time to answer, median / max | '
          'well-behaved p95 (× rest p95) | well-behaved p50 | well-behaved errors | /readyz not 200 | peak RSS | result |')
    print('|---|---|---|---:|---:|---:|---:|---:|---|')
    for r in rows:
        s = r['wb']
        if r['id'] in ('rest', 'rest-after'):
            when = 'before the attacks: the reference' if r['id'] == 'rest' else 'after the attacks'
            print(f'| at rest, {when} (10 s, {s["n"]} queries) | – | – | {s["p95"]:.1f} ms | {s["p50"]:.1f} ms | {s["errors"]} | '
                  f'{s["readyz_bad"]} | {r["rss_mb"]:.0f} MB | – |')
            continue
        p = f'{s["p95"]:.1f} ms ({r["ratio"]:.1f}×)' if s['p95'] is not None else '-'
        err = str(s['errors']) + (' (expected)' if r.get('expect_wb_errors') and s['errors'] else '')
        rb = str(s['readyz_bad']) + (' (expected)' if r.get('expect_wb_errors') and s['readyz_bad'] else '')
        rss = f'{r["rss_mb"]:.0f} MB' if r.get('rss_mb') is not None else '?'
        res = 'PASS' if not r['fails'] else 'FAIL'
        p50 = f'{s["p50"]:.1f} ms' if s['p50'] is not None else '-'
        print(f'| {LABELS.get(r["id"], r["id"])} | {r["outcome"]} | {r["time"]} | {p} | {p50} | {err} | {rb} | {rss} | {res} |')
    print()
    print('Notes per attack:')
    print()
    for r in rows:
        if r['id'] in ('rest', 'rest-after'):
            continue
        s = r['wb']
        lines = list(r.get('notes', []))
        lines.append(f'well-behaved client: {s["n"]} queries over the attack, p50 {s["p50"]:.1f} ms, max {s["max"]:.1f} ms'
                     if s['n'] else 'well-behaved client: no queries')
        if r['fails']:
            lines.append('**FAIL**: ' + '; '.join(r['fails']))
        print(f'* {LABELS.get(r["id"], r["id"]).split(" ", 1)[0]} ' + '; '.join(lines))


# ------------------------------------------------------------------ main


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    cmd, args = argv[0], argv[1:]
    if cmd == 'client':
        client(*args)
    elif cmd == 'gen-gz':
        gen_gz(args[0], args[1], int(args[2]))
    elif cmd == 'attack':
        opts = dict(a.split('=', 1) for a in args[2:])
        print(json.dumps({'id': args[0], **attack(args[0], args[1], opts)}))
    elif cmd == 'row':
        print(json.dumps(row(args[0], args[1], float(args[2]), float(args[3]), args[4], float(args[5]))))
    elif cmd == 'rest':
        s = stats(args[1], float(args[2]), float(args[3]))
        rss = int(args[4]) / 1024 if args[4] not in ('', '?') else None
        print(json.dumps({'id': args[0], 'wb': s, 'rss_mb': rss}))
    elif cmd == 'stats':
        print(json.dumps(stats(args[0], float(args[1]), float(args[2]))))
    elif cmd == 'table':
        table(args[0])
    else:
        raise SystemExit(f'unknown command {cmd}')


if __name__ == '__main__':
    main(sys.argv[1:])
