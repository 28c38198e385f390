# Copyright (c) 2026 The taskstore authors.
# Distributed under the Boost Software License, Version 1.0 (see LICENSE).
"""Load clients for `taskstore serve`: event streams and an open-loop request
generator. Each function is the body of one process; it reports to the parent
over `ctrl`, one end of a multiprocessing Pipe. Times are time.monotonic(),
CLOCK_MONOTONIC, the same clock in every process of the machine."""

import array
import errno
import math
import re
import resource
import selectors
import socket
import time
from collections import deque

_HEAD_END = b"\r\n\r\n"
_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.I)
_CLOSE = re.compile(rb"\r\nconnection:[ \t]*close", re.I)
# A task_event frame is `id: N\nevent: task_event\ndata: {...}\n\n`; the frame
# before it (the `ready` event, a `: keep-alive` comment or another event) ends
# with a blank line, and serialized JSON holds no raw newline, so each event is
# one occurrence of this in the stream's bytes.
_EVENT = b"\n\nid: "
_READY = b"event: ready"


def _cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _connect(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    err = s.connect_ex(("127.0.0.1", port))
    if err not in (0, errno.EINPROGRESS):
        s.close()
        raise OSError(err, "connect to 127.0.0.1:%d" % port)
    return s


# --- event streams ------------------------------------------------------------


def stream_clients(ctrl, port, count, ready_timeout=30.0):
    """Opens `count` event streams. Sends {"ready", "failed"} to the parent
    once each has received its `event: ready` (or failed, or ready_timeout
    passed), then counts events until the parent sends "stop", and answers
    with {"counts": events per stream that became ready, "cut": streams the
    server closed, "failed", "bytes", "cpu"}."""
    try:
        _stream_clients(ctrl, port, count, ready_timeout)
    except BaseException as e:  # the parent reports it
        ctrl.send({"error": "stream clients: %r" % (e,)})
        raise


class _Stream:
    __slots__ = ("i", "sock", "state", "head", "tail", "events", "bytes")

    def __init__(self, i, sock):
        self.i, self.sock, self.state = i, sock, "connecting"
        self.head, self.tail, self.events, self.bytes = bytearray(), b"", 0, 0


def _stream_clients(ctrl, port, count, ready_timeout):
    request = ("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: text/event-stream\r\n\r\n" % port).encode()
    sel = selectors.DefaultSelector()
    streams = []
    failed = 0
    for i in range(count):
        try:
            st = _Stream(i, _connect(port))
        except OSError:
            failed += 1
            continue
        streams.append(st)
        sel.register(st.sock, selectors.EVENT_WRITE, st)
    sel.register(ctrl, selectors.EVENT_READ, None)
    pending = len(streams)  # neither ready nor failed yet
    announced = False
    deadline = time.monotonic() + ready_timeout
    cut = 0

    def drop(st):
        sel.unregister(st.sock)
        st.sock.close()

    stop = False
    while not stop:
        if not announced and (pending == 0 or time.monotonic() > deadline):
            ctrl.send({"ready": sum(st.state == "open" for st in streams), "failed": failed + pending})
            announced = True
        for key, mask in sel.select(1.0 if announced else 0.1):
            st = key.data
            if st is None:  # the parent
                if ctrl.recv() == "stop":
                    stop = True
                continue
            if st.state == "connecting":
                err = st.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err == 0:
                    try:
                        st.sock.sendall(request)  # a few dozen bytes into an empty send buffer
                    except OSError:
                        err = 1
                if err:
                    st.state = "failed"
                    failed += 1
                    pending -= 1
                    drop(st)
                    continue
                st.state = "head"
                sel.modify(st.sock, selectors.EVENT_READ, st)
                continue
            try:
                chunk = st.sock.recv(1 << 16)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if not chunk:  # the server closed it
                if st.state == "open":
                    cut += 1
                    st.state = "cut"
                else:
                    st.state = "failed"
                    failed += 1
                    pending -= 1
                drop(st)
                continue
            st.bytes += len(chunk)
            if st.state == "open":
                # Events wholly in this chunk, and the one split across the previous chunk and this one.
                st.events += chunk.count(_EVENT) + (st.tail + chunk[:len(_EVENT) - 1]).count(_EVENT)
                st.tail = chunk[-(len(_EVENT) - 1):]
                continue
            # Before the `ready` event: the response head, then `retry: …\nevent: ready\ndata: {}\n\n`.
            st.head += chunk
            if not st.head.startswith(b"HTTP/1.1 200"):
                if len(st.head) >= 12 or not b"HTTP/1.1 200".startswith(bytes(st.head)):
                    st.state = "failed"
                    failed += 1
                    pending -= 1
                    drop(st)
                continue
            at = st.head.find(_READY)
            end = st.head.find(b"\n\n", at) if at >= 0 else -1
            if end < 0:
                continue
            rest = bytes(st.head[end:])  # from the blank line that ends `ready`
            st.head = None
            st.state = "open"
            pending -= 1
            st.events = rest.count(_EVENT)
            st.tail = rest[-(len(_EVENT) - 1):]
    counts = [st.events for st in streams if st.state in ("open", "cut")]
    for st in streams:
        if st.state in ("open", "head", "connecting"):
            st.sock.close()
    ctrl.send({"counts": counts, "cut": cut, "failed": failed, "bytes": sum(st.bytes for st in streams),
               "cpu": _cpu_seconds()})


# --- the request generator ----------------------------------------------------


def generate(ctrl, port, path, rate, seconds, index, procs, connections, max_connections, answer_timeout=30.0):
    """Process `index` of `procs` sends the requests numbered index,
    index + procs, … of a schedule of rate * seconds GETs of `path`, request j
    due at start + j / rate, whatever the answers (open loop). It opens
    `connections` kept-alive connections, sends {"connected": n}, and waits for
    the parent's start time (a time.monotonic() value). A due request goes
    out on an idle connection, the one idle longest; when none is idle it
    waits for one, and more are opened, up to `max_connections`. After the
    last request's due time, answers are awaited for `answer_timeout`
    seconds. Sends the parent a dict of arrays (milliseconds) and counters,
    see below."""
    try:
        ctrl.send(_generate(ctrl, port, path, rate, seconds, index, procs, connections, max_connections,
                            answer_timeout))
    except BaseException as e:
        ctrl.send({"error": "generator %d: %r" % (index, e)})
        raise


class _Conn:
    __slots__ = ("sock", "state", "req", "buf", "need", "status", "close", "sent", "answered", "out")

    def __init__(self, sock):
        self.sock, self.state, self.req, self.buf, self.need = sock, "connecting", None, None, None
        self.status, self.close, self.sent, self.answered, self.out = b"", False, 0.0, 0, b""


def _generate(ctrl, port, path, rate, seconds, index, procs, connections, max_connections, answer_timeout):
    request = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (path, port)).encode()
    mine = range(index, int(rate * seconds), procs)
    n = len(mine)
    sched = array.array("d", bytes(8 * n))     # due time of each of this process's requests
    noticed = array.array("d", bytes(8 * n))   # when the loop saw it due
    sent = array.array("d", bytes(8 * n))      # its (last) send
    done = array.array("d", bytes(8 * n))      # its answer, 0 if none
    status = [b""] * n
    failed = bytearray(n)  # counted among the errors already
    sel = selectors.DefaultSelector()
    idle = deque()  # oldest idle first: each connection is used in turn and none sits idle for the server's 10 s
    conns = set()
    backlog = deque()  # local indexes due and not yet sent
    c_opened = c_idle_closed = c_resent = c_waited = c_peak = 0
    errors = {}

    def error(reason):
        errors[reason] = errors.get(reason, 0) + 1

    def open_conn():
        nonlocal c_opened, c_peak
        c = _Conn(_connect(port))
        sel.register(c.sock, selectors.EVENT_WRITE, c)
        conns.add(c)
        c_opened += 1
        c_peak = max(c_peak, len(conns))
        return c

    def drop(c):
        sel.unregister(c.sock)
        c.sock.close()
        conns.discard(c)
        if c.state == "idle":
            idle.remove(c)
        c.state = "closed"

    def fail(c, reason):
        """The connection broke; its request is sent again when a kept-alive
        connection closed before any answer (the server may close an idle one
        as the request goes out, which HTTP clients retry), else an error."""
        nonlocal c_resent
        k, got = c.req, c.buf
        drop(c)
        if k is None:
            return
        if c.answered and not got:
            backlog.appendleft(k)
            c_resent += 1
        else:
            failed[k] = 1
            error(reason)

    def send(c, k):
        c.req, c.buf, c.need, c.state = k, bytearray(), None, "busy"
        c.sent = sent[k] = time.monotonic()
        try:
            w = c.sock.send(request)
        except BlockingIOError:
            w = 0
        except OSError:
            return fail(c, "send failed")
        if w < len(request):
            c.out = request[w:]
            sel.modify(c.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, c)

    def dispatch(waiting):
        """Sends what is due on idle connections; the first `waiting` of the
        backlog were already due at an earlier turn of the loop."""
        nonlocal c_waited
        while backlog and idle:
            c = idle.popleft()
            if waiting > 0:
                waiting -= 1
                c_waited += 1
            send(c, backlog.popleft())
        connecting = sum(c.state == "connecting" for c in conns) if backlog else 0
        while len(backlog) > connecting and len(conns) < max_connections:
            try:
                open_conn()
            except OSError:
                error("connect failed")
                break
            connecting += 1

    def on_event(c, mask):
        if c.state == "connecting":
            err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                drop(c)
                return error("connect failed")
            c.state = "idle"
            idle.append(c)
            sel.modify(c.sock, selectors.EVENT_READ, c)  # read while idle too: the server may close it
            return
        if mask & selectors.EVENT_WRITE and c.out:
            try:
                w = c.sock.send(c.out)
            except BlockingIOError:
                w = 0
            except OSError:
                return fail(c, "send failed")
            c.out = c.out[w:]
            if not c.out:
                sel.modify(c.sock, selectors.EVENT_READ, c)
        if not mask & selectors.EVENT_READ:
            return
        try:
            data = c.sock.recv(1 << 18)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            if c.state == "idle":
                nonlocal c_idle_closed
                c_idle_closed += 1
                return drop(c)
            return fail(c, "connection closed before the answer")
        if c.state != "busy":
            drop(c)
            return error("bytes on an idle connection")
        c.buf += data
        if c.need is None:
            h = c.buf.find(_HEAD_END)
            if h < 0:
                if len(c.buf) > 65536:
                    fail(c, "malformed answer")
                return
            head = bytes(c.buf[:h + 2])
            m = _LENGTH.search(head)
            if not m:
                return fail(c, "answer without Content-Length")
            c.need = h + 4 + int(m.group(1))
            c.status = head[9:12]
            c.close = _CLOSE.search(head) is not None
        if len(c.buf) < c.need:
            return
        k = c.req
        done[k] = time.monotonic()
        status[k] = c.status
        c.answered += 1
        c.req, c.buf = None, None
        if c.close:
            drop(c)
        else:
            c.state = "idle"
            idle.append(c)

    # Connect the pool before the schedule starts.
    for _ in range(connections):
        open_conn()
    deadline = time.monotonic() + 10
    while any(c.state == "connecting" for c in conns) and time.monotonic() < deadline:
        for key, mask in sel.select(0.1):
            on_event(key.data, mask)
    ctrl.send({"connected": len(idle)})
    start = ctrl.recv()
    cpu0 = _cpu_seconds()
    for k, j in enumerate(mine):
        sched[k] = start + j / rate

    p = 0  # the next request to become due
    end = (sched[n - 1] if n else start) + answer_timeout
    while True:
        now = time.monotonic()
        waiting = len(backlog)
        while p < n and sched[p] <= now:
            noticed[p] = now
            backlog.append(p)
            p += 1
        if backlog:
            dispatch(waiting)
        if p == n and not backlog and not any(c.state == "busy" for c in conns):
            break
        if now > end:
            break
        timeout = 0.1
        if p < n:
            # epoll waits whole milliseconds, rounded up: wait the whole ones there, then sleep the rest (a
            # nanosleep) so that a send is not up to 1 ms late by construction.
            timeout = min(sched[p] - time.monotonic(), 0.1)
            if timeout >= 0.001:
                timeout = math.floor(timeout * 1000) / 1000 - 1e-6
            elif timeout > 0:
                time.sleep(timeout)
                timeout = 0.0
        for key, mask in sel.select(max(0.0, timeout)):
            on_event(key.data, mask)
    cpu = _cpu_seconds() - cpu0

    unanswered = sum(1 for k in range(n) if not done[k] and not failed[k])
    if unanswered:
        errors["not answered %.0f s after the schedule's end" % answer_timeout] = unanswered
    for k in range(n):
        if done[k] and status[k] != b"200":
            error("HTTP " + status[k].decode("ascii", "replace"))
    for c in list(conns):
        drop(c)
    ok = [k for k in range(n) if done[k] and status[k] == b"200"]
    sent_ks = [k for k in range(n) if sent[k]]
    return {
        "n": n,
        "answered": len(ok),
        "from_schedule": array.array("d", ((done[k] - sched[k]) * 1000 for k in ok)),
        "from_send": array.array("d", ((done[k] - sent[k]) * 1000 for k in ok)),
        "send_lag": array.array("d", ((sent[k] - sched[k]) * 1000 for k in sent_ks)),
        "loop_lag": array.array("d", ((noticed[k] - sched[k]) * 1000 for k in range(p))),
        "sent": len(sent_ks),
        "last_sent": max((sent[k] for k in sent_ks), default=start),
        "last_done": max((done[k] for k in ok), default=start),
        "errors": errors,
        "waited": c_waited,
        "resent": c_resent,
        "opened": c_opened,
        "peak": c_peak,
        "idle_closed": c_idle_closed,
        "cpu": cpu,
        "start": start,
    }
