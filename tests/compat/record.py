#!/usr/bin/env python3
"""Records fixture cases from a real RedisTimeSeries.

    ../shared/tools/redis-timeseries-server        # starts RedisTimeSeries 1.12 on 127.0.0.1:6399
    python3 tests/compat/record.py [area ...]      # records tests/compat/fixtures/<area>.json

Each area is a module `cases_<area>.py` next to this file with a function `cases()` returning a
list of dicts:

    {"name": "add/duplicate-block",                 # unique within the area
     "commands": ["TS.CREATE k", "TS.ADD k 1 1"],   # command text exactly as db.command() takes it
     "mask": ["memoryUsage"],                       # optional: name/value fields not compared
     "fixed": {2: ("<reply>", "why")},             # optional: overrides for RedisTimeSeries 1.12's
                                                    #   known bugs (../shared/DESIGN.md section 4);
                                                    #   index -> (expected reply, reason)
     "unsent": {3: ("<reply>", "why")}}             # optional: commands that crash 1.12: not sent,
                                                    #   recorded as {"unsent": why} with the fixed reply
                                                    #   (keep them last, or only reads after them)

Every case starts from FLUSHALL. Replies are stored as JSON: integers as numbers, (bulk or simple)
strings as strings, nil as null, arrays as arrays, errors as {"error": text}. The replay test
(tests/compat.rs) runs every case against a fresh engine and compares, numbers given as strings
(RESP2 doubles) compared as doubles.
"""
import importlib
import json
import os
import socket
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = "RedisTimeSeries 1.12 (redis-stack-server 7.4.1 via ../shared/tools/redis-timeseries-server)"


def tokenize(line):
    """Splits a command line as redis-cli does: whitespace, "double" (with \\ escapes) and 'single' quotes."""
    out, i, n = [], 0, len(line)
    while True:
        while i < n and line[i].isspace():
            i += 1
        if i >= n:
            return out
        cur, inq, insq, done = [], False, False, False
        while not done:
            if i >= n:
                if inq or insq:
                    raise ValueError("unbalanced quotes: " + line)
                break
            c = line[i]
            if inq:
                if c == "\\" and i + 3 < n and line[i + 1] == "x" and all(
                        h in "0123456789abcdefABCDEF" for h in line[i + 2:i + 4]):
                    cur.append(chr(int(line[i + 2:i + 4], 16)))
                    i += 3
                elif c == "\\" and i + 1 < n:
                    i += 1
                    cur.append({"n": "\n", "r": "\r", "t": "\t", "b": "\b", "a": "\a"}.get(line[i], line[i]))
                elif c == '"':
                    if i + 1 < n and not line[i + 1].isspace():
                        raise ValueError("closing quote must be followed by a space: " + line)
                    done, inq = True, False
                else:
                    cur.append(c)
            elif insq:
                if c == "\\" and i + 1 < n and line[i + 1] == "'":
                    i += 1
                    cur.append("'")
                elif c == "'":
                    if i + 1 < n and not line[i + 1].isspace():
                        raise ValueError("closing quote must be followed by a space: " + line)
                    done, insq = True, False
                else:
                    cur.append(c)
            else:
                if c.isspace():
                    done = True
                elif c == '"':
                    inq = True
                elif c == "'":
                    insq = True
                else:
                    cur.append(c)
            i += 1
        out.append("".join(cur))


class Resp:
    def __init__(self, host="127.0.0.1", port=6399):
        self.sock = socket.create_connection((host, port))
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n + 2:
            self.buf += self.sock.recv(1 << 16)
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def read(self):
        line = self._line()
        t, rest = line[:1], line[1:].decode()
        if t == b"+":
            return rest
        if t == b"-":
            return {"error": rest}
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n).decode("utf-8", "surrogateescape")
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ValueError("unexpected RESP type %r" % line)

    def call(self, args):
        parts = [b"*%d\r\n" % len(args)]
        for a in args:
            b = a.encode("utf-8", "surrogateescape")
            parts.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.sock.sendall(b"".join(parts))
        return self.read()

    def command(self, line):
        return self.call(tokenize(line))


def dump(doc):
    """JSON with one line per command and per reply, so fixtures diff well."""
    c = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    lines = ["{", '"source": %s,' % c(doc["source"]), '"area": %s,' % c(doc["area"]), '"cases": [']
    for k, case in enumerate(doc["cases"]):
        lines.append(" {")
        fields = []
        for key, val in case.items():
            if isinstance(val, list) and key in ("commands", "replies", "fixed"):
                inner = ",\n".join("   " + c(v) for v in val)
                fields.append('  %s: [\n%s\n  ]' % (c(key), inner) if val else '  %s: []' % c(key))
            else:
                fields.append("  %s: %s" % (c(key), c(val)))
        lines.append(",\n".join(fields))
        lines.append(" }" + ("," if k + 1 < len(doc["cases"]) else ""))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def record(area, conn):
    mod = importlib.import_module("cases_" + area)
    cases, names = [], set()
    for case in mod.cases():
        name = case["name"]
        if name in names:
            raise ValueError("duplicate case name " + name)
        names.add(name)
        conn.call(["FLUSHALL"])
        unsent = case.get("unsent", {})
        replies = [{"unsent": unsent[i][1]} if i in unsent else conn.command(c)
                   for i, c in enumerate(case["commands"])]
        out = {"name": name, "commands": case["commands"], "replies": replies}
        if case.get("mask"):
            out["mask"] = case["mask"]
        fixed = dict(case.get("fixed", {}))
        fixed.update(unsent)
        if fixed:
            out["fixed"] = [{"index": int(i), "reply": r, "why": why}
                            for i, (r, why) in sorted(fixed.items())]
        cases.append(out)
    path = os.path.join(HERE, "fixtures", area + ".json")
    with open(path, "w") as f:
        f.write(dump({"source": SOURCE, "area": area, "cases": cases}))
    print("%s: %d cases -> %s" % (area, len(cases), os.path.relpath(path)))


def main():
    sys.path.insert(0, HERE)
    areas = sys.argv[1:] or sorted(
        f[len("cases_"):-3] for f in os.listdir(HERE) if f.startswith("cases_") and f.endswith(".py"))
    conn = Resp(port=int(os.environ.get("PORT", "6399")))
    for area in areas:
        record(area, conn)


if __name__ == "__main__":
    main()
