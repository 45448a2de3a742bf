"""TS.RANGE / TS.REVRANGE: raw reads, filters, COUNT, aggregation (every aggregator), bucket
alignment, BUCKETTIMESTAMP, EMPTY, twa, retention, and the parse errors. Spec: docs/semantics/query.md.

The grid (every aggregator x {no EMPTY, EMPTY} x ALIGN {none, start, end, integer} x BUCKETTIMESTAMP
{-, +, ~} x {RANGE, REVRANGE} on two irregular series) is generated below. RedisTimeSeries 1.12 gets
some REVRANGE replies wrong (first/last swapped, and REVRANGE + EMPTY gap filling that returns wrong
or uninitialised buckets); those get a "fixed" entry computed by the reference model in this file:
the fixed REVRANGE is the RANGE buckets in reverse order (twa data buckets keep 1.12's mirrored
arithmetic, which REVRANGE gets right without EMPTY). Commands that crash 1.12 cannot be recorded
(the recorder sends every command); they are listed in CRASH_CASES with their fixed replies.
"""
import math

# ---------------------------------------------------------------------------------------------
# Reference model of the fixed semantics (verified against 1.12 on thousands of random queries for
# TS.RANGE, and for TS.REVRANGE without EMPTY; see docs/semantics/query.md for the prose).
# ---------------------------------------------------------------------------------------------
MAX_TS = (1 << 63) - 1


def _bucket(ts, d, align):
    """Bucket start, may be negative (clamped to 0 only when reported)."""
    return ts - ((ts - align) % d)


def _norm(b):
    return max(0, b)


def _bt(bt, start, d):
    return {"start": start, "mid": start + d // 2, "end": start + d}[bt]


def _finalize(agg, vals):
    n = len(vals)
    if agg in ("avg", "sum"):
        s = 0.0
        for v in vals:
            s += v
        return s / n if agg == "avg" else s
    if agg == "min":
        return min(vals)
    if agg == "max":
        return max(vals)
    if agg == "range":
        return max(vals) - min(vals)
    if agg == "count":
        return float(n)
    if agg == "first":
        return vals[0]
    if agg == "last":
        return vals[-1]
    s = s2 = 0.0
    for v in vals:
        s += v
        s2 += v * v
    var = (s2 - 2 * s * s / n + math.pow(s / n, 2) * n) / n
    if agg.endswith(".s"):
        var = 0.0 if n == 1 else var * n / (n - 1)
    return math.sqrt(var) if agg.startswith("std") else var


def _empty_value(agg, carried):
    if agg in ("sum", "count"):
        return 0.0
    if agg == "last":
        return carried
    return float("nan")


def _twa(samples, prev, nxt, ta, tb):
    res = 0.0
    first_ts = samples[0][0]
    if prev is not None:
        (t1, v1), (t2, v2) = prev, samples[0]
        vab = v1 + ((ta - t1) * (v2 - v1)) / float(t2 - t1)
        res += ((vab + v2) * (t2 - ta)) / 2.0
        first_ts = ta
    for (t1, v1), (t2, v2) in zip(samples, samples[1:]):
        res += ((v1 + v2) * (t2 - t1)) / 2.0
    last_ts = samples[-1][0]
    if nxt is not None:
        (t1, v1), (t2, v2) = samples[-1], nxt
        vab = v1 + ((tb - t1) * (v2 - v1)) / float(t2 - t1)
        res += ((vab + v1) * (tb - t1)) / 2.0
        last_ts = tb
    if last_ts == first_ts:
        return samples[-1][1]
    return res / abs(last_ts - first_ts)


def _twa_rev(desc, prev, nxt, ta, tb):
    """REVRANGE twa (1.12's mirrored arithmetic); desc newest first, ta upper edge, tb lower."""
    res = 0.0
    first_ts = desc[0][0]
    if prev is not None:
        (t1, v1), (t2, v2) = desc[0], prev
        vab = v1 + ((ta - t1) * (v2 - v1)) / float(t2 - t1)
        res += ((vab + v1) * (ta - t1)) / 2.0
        first_ts = ta
    for (t2, v2), (t1, v1) in zip(desc, desc[1:]):
        res += ((v1 + v2) * (t2 - t1)) / 2.0
    last_ts = desc[-1][0]
    if nxt is not None:
        (t1, v1), (t2, v2) = nxt, desc[-1]
        vab = v1 + ((tb - t1) * (v2 - v1)) / float(t2 - t1)
        res += ((vab + v2) * (t2 - tb)) / 2.0
        last_ts = tb
    if last_ts == first_ts:
        return desc[-1][1]
    return res / abs(last_ts - first_ts)


def _select(raw, frm, to, fts, fv):
    sel = [s for s in raw if frm <= s[0] <= to]
    if fts is not None:
        keep = set(fts[:128])
        sel = [s for s in sel if s[0] in keep]
    if fv is not None:
        sel = [s for s in sel if fv[0] <= s[1] <= fv[1]]
    return sel


def model_range(raw, frm, to, agg, d, align=0, bt="start", empty=False, fts=None, fv=None):
    """Aggregated TS.RANGE (no COUNT) as [(ts, value)]; raw = the stored samples [(ts, v)]."""
    out = []

    def fill(first_b, last_b, carried):
        if first_b > last_b:
            return
        ta0 = max(_norm(first_b), frm)
        if agg == "twa":
            before = [s for s in raw if s[0] < ta0]
            after = [s for s in raw if s[0] >= ta0]
            if not before or not after:
                return
            b, a = before[-1], after[0]
        cur = first_b
        while cur <= last_b:
            if agg == "twa":
                ta, tb = max(_norm(cur), frm), min(cur + d, to)
                va = b[1] + ((ta - b[0]) * (a[1] - b[1])) / float(a[0] - b[0])
                vb = b[1] + ((tb - b[0]) * (a[1] - b[1])) / float(a[0] - b[0])
                out.append((_bt(bt, _norm(cur), d), (va + vb) / 2.0))
            else:
                out.append((_bt(bt, _norm(cur), d), _empty_value(agg, carried)))
            cur += d

    # '+' (to == MAX_TS): 1.12 would fill twa EMPTY buckets up to the bucket of MAX_TS (it crashes
    # when a sample lies after the last reported one, e.g. with filters); fixed: stop at the last
    # stored sample.
    fill_to = min(to, raw[-1][0]) if (to == MAX_TS and raw) else to
    sel = _select(raw, frm, to, fts, fv)
    if not sel:
        if empty and agg == "twa" and frm <= to and _bucket(frm, d, align) >= 0:
            fill(_bucket(frm, d, align), _bucket(fill_to, d, align), None)
        return out
    groups = []
    for s in sel:
        b = _bucket(s[0], d, align)
        if groups and groups[-1][0] == b:
            groups[-1][1].append(s)
        else:
            groups.append((b, [s]))
    if empty and agg == "twa":
        fb = _bucket(frm, d, align)
        if 0 <= fb < groups[0][0]:
            fill(fb, _norm(groups[0][0] - d), None)
    carried = None
    for i, (b, ss) in enumerate(groups):
        if empty and i > 0 and groups[i - 1][0] + d < b:
            fill(groups[i - 1][0] + d, _norm(b - d), carried)
        if agg == "twa":
            if i == 0:
                pv = [s for s in raw if s[0] < ss[0][0]]
                prev = pv[-1] if pv else None
            else:
                prev = groups[i - 1][1][-1]
            if i == len(groups) - 1:
                nx = [s for s in raw if s[0] > ss[-1][0]]
                nxt = nx[0] if nx else None
            else:
                nxt = groups[i + 1][1][0]
            v = _twa(ss, prev, nxt, max(_norm(b), frm), min(b + d, to))
        else:
            v = _finalize(agg, [x[1] for x in ss])
        out.append((_bt(bt, _norm(b), d), v))
        carried = ss[-1][1]
    if empty and agg == "twa":
        lb = _bucket(fill_to, d, align)
        fb0 = _bucket(out[-1][0], d, align)  # 1.12 re-buckets the *reported* timestamp
        if fb0 < lb:
            fill(fb0 + d, lb, None)
    return out


def model_revrange(raw, frm, to, agg, d, align=0, bt="start", empty=False, fts=None, fv=None):
    out = list(reversed(model_range(raw, frm, to, agg, d, align, bt, empty, fts, fv)))
    if agg != "twa":
        return out
    sel = list(reversed(_select(raw, frm, to, fts, fv)))
    groups = []
    for s in sel:
        b = _bucket(s[0], d, align)
        if groups and groups[-1][0] == b:
            groups[-1][1].append(s)
        else:
            groups.append((b, [s]))
    vals = {}
    for i, (b, ss) in enumerate(groups):
        if i == 0:
            pv = [s for s in raw if s[0] > ss[0][0]]
            prev = pv[0] if pv else None
        else:
            prev = groups[i - 1][1][-1]
        if i == len(groups) - 1:
            nx = [s for s in raw if s[0] < ss[-1][0]]
            nxt = nx[-1] if nx else None
        else:
            nxt = groups[i + 1][1][0]
        vals[_bt(bt, _norm(b), d)] = _twa_rev(ss, prev, nxt, min(b + d, to), max(_norm(b), frm))
    return [(t, vals.get(t, v)) for t, v in out]


def fmt(v):
    """A double the way RedisTimeSeries prints it: shortest round-trip digits, plain for
    1 <= |v| < 1e17, otherwise d.dddE<exp> (replay compares numerically anyway)."""
    from decimal import Decimal
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "0"
    sign, digits, exp = Decimal(repr(v)).normalize().as_tuple()
    digits = "".join(map(str, digits))
    e = len(digits) - 1 + exp
    if 0 <= e < 17:
        return repr(int(v)) if v == int(v) else repr(v)
    m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return "%s%sE%d" % ("-" if sign else "", m, e)


def reply(points):
    return [[t, fmt(v)] for t, v in points]


# ---------------------------------------------------------------------------------------------
# Series used by the cases.
# ---------------------------------------------------------------------------------------------
S1 = [(1, 5), (2, -3), (4, 8), (7, 2), (13, 6), (14, -1), (26, 4), (31, 9), (33, 0), (48, 7)]
S2 = [(10, 1.5), (11, 2.5), (35, -4), (36, -4.5), (52, 0.5), (70, 10)]
AGGS = ["avg", "sum", "min", "max", "range", "count", "first", "last",
        "std.p", "std.s", "var.p", "var.s", "twa"]


def adds(series, key="k"):
    return ["TS.CREATE %s" % key] + ["TS.ADD %s %d %s" % (key, t, _num(v)) for t, v in series]


def _num(v):
    return str(int(v)) if v == int(v) else repr(v)


WHY_FIRST_LAST = ("1.12 swaps first/last (and EMPTY's carried value) on REVRANGE; fixed: exactly "
                  "the RANGE buckets in reverse order")
WHY_REV_EMPTY = ("1.12's REVRANGE + EMPTY gap filling can return wrong, duplicated or "
                 "uninitialised buckets; fixed: the RANGE buckets in reverse order")
WHY_TWA_FILTER = ("1.12 computes twa edge interpolation with unsigned timestamp differences, "
                  "returning garbage (~1.8e19) when a filtered-out sample lies inside the bucket; "
                  "fixed: the same formula with signed differences")


def fix(case, command, expected, why, nth=0):
    """Attaches a fixed reply to the nth occurrence of command in case."""
    idx = [i for i, c in enumerate(case["commands"]) if c == command][nth]
    case.setdefault("fixed", {})[idx] = (expected, why)
    return case


def _grid_case(name, series, frm, to, agg, d, align_tok, align_val, empty, key="k"):
    cmds = adds(series, key)
    fixed = {}
    F = 0 if frm == "-" else int(frm)
    T = MAX_TS if to == "+" else int(to)
    for tok, bt in (("-", "start"), ("+", "end"), ("~", "mid")):
        q = "%s %s AGGREGATION %s %d BUCKETTIMESTAMP %s" % (frm, to, agg, d, tok)
        if empty:
            q += " EMPTY"
        if align_tok:
            q += " ALIGN " + align_tok
        cmds.append("TS.RANGE %s %s" % (key, q))
        cmds.append("TS.REVRANGE %s %s" % (key, q))
        if agg in ("first", "last") or empty:
            exp = reply(model_revrange(series, F, T, agg, d, align_val, bt, empty))
            fixed[len(cmds) - 1] = (exp, WHY_FIRST_LAST if agg in ("first", "last") else WHY_REV_EMPTY)
    case = {"name": name, "commands": cmds}
    if fixed:
        case["fixed"] = fixed
    return case


def grid():
    out = []
    # (series name, data, duration, [(align label, from, to, ALIGN token, alignment value)])
    plans = [
        ("s1", S1, 5, [("none", "-", "+", None, 0), ("start", "3", "45", "start", 3),
                       ("end", "0", "42", "end", 42), ("int", "-", "+", "3", 3)]),
        ("s2", S2, 10, [("none", "-", "+", None, 0), ("start", "12", "+", "start", 12),
                        ("end", "-", "66", "end", 66), ("int", "-", "+", "4", 4)]),
    ]
    for sname, data, d, aligns in plans:
        for agg in AGGS:
            for empty in (False, True):
                for label, frm, to, tok, val in aligns:
                    name = "grid/%s/%s/%s/align-%s" % (sname, agg, "empty" if empty else "plain", label)
                    out.append(_grid_case(name, data, frm, to, agg, d, tok, val, empty))
    return out


# ---------------------------------------------------------------------------------------------
# Hand-written cases.
# ---------------------------------------------------------------------------------------------
def raw_cases():
    s = adds(S1)
    return [
        {"name": "raw/bounds",
         "commands": s + ["TS.RANGE k - +", "TS.REVRANGE k - +", "TS.RANGE k 4 4", "TS.RANGE k 5 6",
                          "TS.RANGE k 3 13", "TS.REVRANGE k 3 13", "TS.RANGE k 14 13", "TS.REVRANGE k 14 13",
                          "TS.RANGE k 0 9223372036854775807", "TS.RANGE k 49 +", "TS.RANGE k - 0"]},
        {"name": "raw/count",
         "commands": s + ["TS.RANGE k - + COUNT 1", "TS.RANGE k - + COUNT 3", "TS.REVRANGE k - + COUNT 3",
                          "TS.RANGE k - + COUNT 100", "TS.RANGE k 3 20 COUNT 2", "TS.REVRANGE k 3 20 COUNT 2",
                          "TS.RANGE k - + COUNT 9223372036854775807", "TS.RANGE k - + count 2",
                          "TS.RANGE k - + COUNT 2 COUNT 5"]},
        {"name": "raw/filter-by-value",
         "commands": s + ["TS.RANGE k - + FILTER_BY_VALUE 0 5", "TS.RANGE k - + FILTER_BY_VALUE 5 5",
                          "TS.RANGE k - + FILTER_BY_VALUE -3 -3", "TS.RANGE k - + FILTER_BY_VALUE 6 2",
                          "TS.RANGE k - + FILTER_BY_VALUE -0.5 2.5", "TS.RANGE k - + FILTER_BY_VALUE 1e0 7e0",
                          "TS.RANGE k - + FILTER_BY_VALUE -inf 0", "TS.RANGE k - + FILTER_BY_VALUE 4 +inf",
                          "TS.REVRANGE k - + FILTER_BY_VALUE 0 6", "TS.RANGE k - + FILTER_BY_VALUE 0 6 COUNT 2",
                          "TS.REVRANGE k - + FILTER_BY_VALUE 0 6 COUNT 2",
                          "TS.RANGE k - + FILTER_BY_VALUE 0 10 FILTER_BY_VALUE 5 6"]},
        {"name": "raw/filter-by-ts",
         "commands": s + ["TS.RANGE k - + FILTER_BY_TS 4", "TS.RANGE k - + FILTER_BY_TS 33 1 13 3",
                          "TS.RANGE k - + FILTER_BY_TS 13 13 13", "TS.REVRANGE k - + FILTER_BY_TS 33 1 13",
                          "TS.RANGE k 2 20 FILTER_BY_TS 1 2 13 48", "TS.RANGE k - + FILTER_BY_TS 5 6 8",
                          "TS.RANGE k - + FILTER_BY_TS 1 2 4 COUNT 2", "TS.REVRANGE k - + FILTER_BY_TS 1 2 4 COUNT 2",
                          "TS.RANGE k - + FILTER_BY_TS 1 2 4 7 FILTER_BY_VALUE 0 6",
                          "TS.RANGE k - + FILTER_BY_TS 1 x 2", "TS.RANGE k - + FILTER_BY_TS 2 01 4",
                          "TS.RANGE k - + FILTER_BY_TS 1 2 FILTER_BY_TS 4"]},
        {"name": "raw/filter-by-ts-128-limit",
         "commands": ["TS.CREATE k", "TS.ADD k 1000 1", "TS.ADD k 1127 2", "TS.ADD k 1128 3",
                      "TS.RANGE k - + FILTER_BY_TS " + " ".join(str(t) for t in range(1000, 1129)),
                      "TS.RANGE k - + FILTER_BY_TS " + " ".join(str(t) for t in range(1128, 999, -1)),
                      "TS.RANGE k - + FILTER_BY_TS " + " ".join(str(t) for t in range(1000, 1128)) + " 1128 COUNT 1"]},
        {"name": "raw/empty-series",
         "commands": ["TS.CREATE k", "TS.RANGE k - +", "TS.REVRANGE k - +", "TS.RANGE k - + AGGREGATION avg 10",
                      "TS.RANGE k - + AGGREGATION sum 10 EMPTY", "TS.RANGE k - + AGGREGATION twa 10 EMPTY",
                      "TS.RANGE k 0 100 AGGREGATION count 10 EMPTY", "TS.RANGE k - + COUNT 5"]},
        # The engine holds only series (no SET), so the WRONGTYPE replies cannot be replayed;
        # `str` is simply missing here (the key check still comes before argument parsing).
        {"name": "raw/missing-and-wrong-type",
         "commands": ["TS.RANGE nokey - +", "TS.REVRANGE nokey - +", "TS.RANGE nokey a b COUNT x",
                      "TS.RANGE str - +", "TS.REVRANGE str x y"]},
        {"name": "raw/latest-on-plain-key",
         "commands": s + ["TS.RANGE k - + LATEST", "TS.REVRANGE k 30 + LATEST COUNT 2",
                          "TS.RANGE k - + LATEST AGGREGATION sum 10", "TS.RANGE k - + LATEST LATEST"]},
        {"name": "raw/empty-and-buckettimestamp-without-aggregation-ignored",
         "commands": s[:4] + ["TS.RANGE k - + EMPTY", "TS.RANGE k - + BUCKETTIMESTAMP end",
                              "TS.RANGE k - + BUCKETTIMESTAMP foo"]},
    ]


def agg_cases():
    s = adds(S1)
    out = [
        {"name": "agg/count-limits-buckets",
         "commands": s + ["TS.RANGE k - + AGGREGATION sum 5 COUNT 2", "TS.REVRANGE k - + AGGREGATION sum 5 COUNT 2",
                          "TS.RANGE k - + AGGREGATION count 5 EMPTY COUNT 5",
                          "TS.REVRANGE k - + AGGREGATION count 5 EMPTY COUNT 5",
                          "TS.RANGE k - + COUNT 3 AGGREGATION max 5 EMPTY",
                          "TS.RANGE k - + AGGREGATION COUNT 5 COUNT 3", "TS.RANGE k - + AGGREGATION count 5 count 1",
                          "TS.RANGE k - + AGGREGATION avg 5 EMPTY COUNT 4 ALIGN 2"]},
        {"name": "agg/filters-then-aggregate",
         "commands": s + ["TS.RANGE k - + FILTER_BY_VALUE 0 6 AGGREGATION sum 5",
                          "TS.RANGE k - + FILTER_BY_VALUE 0 6 AGGREGATION count 5 EMPTY",
                          "TS.RANGE k - + AGGREGATION last 5 EMPTY FILTER_BY_VALUE 0 6",
                          "TS.RANGE k - + FILTER_BY_TS 1 7 31 48 AGGREGATION avg 5",
                          "TS.RANGE k - + FILTER_BY_TS 1 7 31 48 AGGREGATION avg 5 EMPTY",
                          "TS.RANGE k - + FILTER_BY_TS 1 7 31 48 AGGREGATION sum 5 COUNT 2",
                          "TS.RANGE k - + FILTER_BY_TS 5 6 AGGREGATION sum 5 EMPTY",
                          "TS.RANGE k - + FILTER_BY_VALUE 100 200 AGGREGATION count 5 EMPTY"]},
        {"name": "agg/std-var-one-and-equal-samples",
         "commands": ["TS.CREATE k", "TS.ADD k 1 4", "TS.ADD k 11 4", "TS.ADD k 12 4", "TS.ADD k 21 -2.5",
                      "TS.ADD k 22 7", "TS.RANGE k - + AGGREGATION std.p 10", "TS.RANGE k - + AGGREGATION std.s 10",
                      "TS.RANGE k - + AGGREGATION var.p 10", "TS.RANGE k - + AGGREGATION var.s 10",
                      "TS.RANGE k - + AGGREGATION range 10"]},
        {"name": "agg/std-var-sum-of-squares-precision",
         "commands": ["TS.CREATE k", "TS.ADD k 1 1000000001", "TS.ADD k 2 1000000002", "TS.ADD k 3 1000000003",
                      "TS.ADD k 4 0.1", "TS.ADD k 5 0.2", "TS.ADD k 6 0.3", "TS.ADD k 7 5",
                      "TS.RANGE k - + AGGREGATION var.p 3", "TS.RANGE k - + AGGREGATION var.s 3",
                      "TS.RANGE k - + AGGREGATION std.p 3", "TS.RANGE k - + AGGREGATION std.s 3",
                      "TS.RANGE k - + AGGREGATION avg 3", "TS.RANGE k - + AGGREGATION sum 3"]},
        {"name": "agg/huge-values-avg-overflow",
         "commands": ["TS.CREATE k", "TS.ADD k 1 1.7e308", "TS.ADD k 2 1.7e308", "TS.ADD k 11 1e308",
                      "TS.ADD k 12 -1e308", "TS.RANGE k - + AGGREGATION avg 10", "TS.RANGE k - + AGGREGATION sum 10",
                      "TS.RANGE k - + AGGREGATION range 10", "TS.RANGE k - + AGGREGATION std.p 10",
                      "TS.RANGE k - + AGGREGATION max 10", "TS.RANGE k - + AGGREGATION min 10"]},
        {"name": "agg/avg-overflow-three-values",
         "commands": ["TS.CREATE k", "TS.ADD k 1 1.7e308", "TS.ADD k 2 1.7e308", "TS.ADD k 3 -1e308",
                      "TS.ADD k 11 1e308", "TS.ADD k 12 1e308", "TS.RANGE k - + AGGREGATION avg 10",
                      "TS.RANGE k - + AGGREGATION avg 100", "TS.RANGE k - + AGGREGATION twa 10",
                      "TS.RANGE k - + AGGREGATION var.s 10"]},
        {"name": "agg/decimal-values",
         "commands": ["TS.CREATE k", "TS.ADD k 1 0.1", "TS.ADD k 2 0.2", "TS.ADD k 3 0.3", "TS.ADD k 4 -1016.6",
                      "TS.ADD k 5 21.37"] + ["TS.RANGE k - + AGGREGATION %s 3" % a for a in AGGS]},
        {"name": "agg/single-sample-every-aggregator",
         "commands": ["TS.CREATE k", "TS.ADD k 7 3.5"] + ["TS.RANGE k - + AGGREGATION %s 5" % a for a in AGGS]
                     + ["TS.REVRANGE k - + AGGREGATION %s 5 BUCKETTIMESTAMP mid" % a for a in AGGS]},
        {"name": "agg/duration-one",
         "commands": s[:6] + ["TS.RANGE k - + AGGREGATION sum 1", "TS.RANGE k - + AGGREGATION avg 1 EMPTY",
                              "TS.RANGE k - + AGGREGATION last 1 EMPTY BUCKETTIMESTAMP end",
                              "TS.RANGE k - + AGGREGATION count 1 BUCKETTIMESTAMP mid"]},
        {"name": "agg/duration-larger-than-span",
         "commands": s + ["TS.RANGE k - + AGGREGATION sum 1000", "TS.RANGE k - + AGGREGATION sum 1000 BUCKETTIMESTAMP end",
                          "TS.RANGE k - + AGGREGATION sum 1000 BUCKETTIMESTAMP mid", "TS.RANGE k 10 + AGGREGATION count 1000 ALIGN start",
                          "TS.RANGE k - + AGGREGATION twa 1000", "TS.RANGE k 3 40 AGGREGATION twa 1000"]},
        {"name": "agg/aggregator-names-case-insensitive",
         "commands": s[:5] + ["TS.RANGE k - + AGGREGATION AVG 5", "TS.RANGE k - + AGGREGATION Std.P 5",
                              "TS.RANGE k - + AGGREGATION VAR.S 5", "TS.RANGE k - + AGGREGATION TWA 5",
                              "TS.RANGE k - + aggregation Sum 5 buckettimestamp MID empty align 1"]},
    ]
    fix(out[0], "TS.REVRANGE k - + AGGREGATION count 5 EMPTY COUNT 5",
        reply(list(reversed(model_range(S1, 0, MAX_TS, "count", 5, empty=True)))[:5]), WHY_REV_EMPTY)
    return out


def align_cases():
    s = adds([(3, 1), (7, 2), (12, 3), (13, 4), (27, 5)])
    return [
        {"name": "align/integer-and-negative-clamp",
         "commands": s + ["TS.RANGE k - + AGGREGATION sum 10 ALIGN 5", "TS.RANGE k - + AGGREGATION sum 10 ALIGN 25",
                          "TS.RANGE k - + AGGREGATION sum 10 ALIGN 0", "TS.RANGE k - + AGGREGATION sum 10 ALIGN 1000",
                          "TS.RANGE k - + AGGREGATION sum 10 BUCKETTIMESTAMP end ALIGN 5",
                          "TS.RANGE k - + AGGREGATION sum 10 BUCKETTIMESTAMP mid ALIGN 5",
                          "TS.RANGE k - + AGGREGATION sum 10 BUCKETTIMESTAMP end EMPTY ALIGN 5",
                          "TS.RANGE k - + ALIGN 5 AGGREGATION sum 10 EMPTY BUCKETTIMESTAMP mid",
                          "TS.RANGE k - + AGGREGATION sum 10 ALIGN 9223372036854775807",
                          "TS.RANGE k - + AGGREGATION sum 4 ALIGN 9223372036854775807"]},
        {"name": "align/clamped-bucket-then-next-bucket-mid",
         "commands": ["TS.CREATE k", "TS.ADD k 0 0", "TS.ADD k 19 -4", "TS.ADD k 26 0",
                      "TS.RANGE k - 37 AGGREGATION std.p 7 BUCKETTIMESTAMP mid EMPTY ALIGN 36",
                      "TS.RANGE k - 37 AGGREGATION count 7 BUCKETTIMESTAMP end EMPTY ALIGN 36"]},
        {"name": "align/start-end-keywords",
         "commands": s + ["TS.RANGE k 4 + AGGREGATION sum 10 ALIGN start", "TS.RANGE k 4 + AGGREGATION sum 10 ALIGN -",
                          "TS.RANGE k 4 + AGGREGATION sum 10 ALIGN Start", "TS.REVRANGE k 4 + AGGREGATION sum 10 ALIGN start",
                          "TS.RANGE k 0 24 AGGREGATION sum 10 ALIGN end", "TS.RANGE k 0 24 AGGREGATION sum 10 ALIGN +",
                          "TS.RANGE k 0 24 AGGREGATION sum 10 ALIGN END", "TS.REVRANGE k 0 24 AGGREGATION sum 10 ALIGN end",
                          "TS.RANGE k 4 + AGGREGATION sum 10 ALIGN start EMPTY",
                          "TS.RANGE k 0 20 AGGREGATION sum 10 ALIGN end"]},
        {"name": "align/odd-duration-mid",
         "commands": s + ["TS.RANGE k 0 24 AGGREGATION sum 7 BUCKETTIMESTAMP mid", "TS.RANGE k 0 24 AGGREGATION sum 7 BUCKETTIMESTAMP ~",
                          "TS.RANGE k 0 24 AGGREGATION sum 7 BUCKETTIMESTAMP +", "TS.RANGE k 0 24 AGGREGATION sum 7 BUCKETTIMESTAMP -",
                          "TS.RANGE k 0 24 AGGREGATION sum 7 BUCKETTIMESTAMP END", "TS.RANGE k 0 24 AGGREGATION sum 7 BUCKETTIMESTAMP Start"]},
    ]


def twa_cases():
    nl = [(1, 10), (5, 20), (17, 50), (22, 40), (31, 30), (60, 0)]
    s = adds(nl)
    cases = [
        {"name": "twa/neighbours-outside-range",
         "commands": s + ["TS.RANGE k - + AGGREGATION twa 5", "TS.RANGE k 8 40 AGGREGATION twa 5",
                          "TS.RANGE k 8 24 AGGREGATION twa 5", "TS.RANGE k 18 33 AGGREGATION twa 5",
                          "TS.REVRANGE k 8 40 AGGREGATION twa 5", "TS.REVRANGE k - + AGGREGATION twa 5",
                          "TS.RANGE k 22 22 AGGREGATION twa 5", "TS.RANGE k 20 22 AGGREGATION twa 5"]},
        {"name": "twa/plus-end-is-unbounded",
         "commands": ["TS.CREATE k", "TS.ADD k 30 3", "TS.ADD k 41 -9", "TS.ADD k 47 -1", "TS.ADD k 49 9",
                      "TS.RANGE k 0 + AGGREGATION twa 5 FILTER_BY_TS 30 47",
                      "TS.RANGE k 0 48 AGGREGATION twa 5 FILTER_BY_TS 30 47",
                      "TS.RANGE k 0 + AGGREGATION twa 5 FILTER_BY_TS 30 47 49",
                      "TS.RANGE k 46 + AGGREGATION twa 5 FILTER_BY_VALUE -2 5",
                      "TS.RANGE k 46 + AGGREGATION twa 5"]},
        {"name": "twa/single-and-two-samples",
         "commands": ["TS.CREATE k", "TS.ADD k 7 3", "TS.RANGE k - + AGGREGATION twa 10",
                      "TS.RANGE k - + AGGREGATION twa 2", "TS.ADD k 8 5", "TS.RANGE k - + AGGREGATION twa 10",
                      "TS.RANGE k - + AGGREGATION twa 1", "TS.REVRANGE k - + AGGREGATION twa 1",
                      "TS.RANGE k 8 + AGGREGATION twa 10", "TS.RANGE k 0 7 AGGREGATION twa 10"]},
        {"name": "twa/empty-prefix-and-suffix",
         "commands": s + ["TS.RANGE k 8 40 AGGREGATION twa 5 EMPTY", "TS.RANGE k 8 40 AGGREGATION twa 5 EMPTY BUCKETTIMESTAMP mid",
                          "TS.RANGE k 8 40 AGGREGATION twa 5 EMPTY BUCKETTIMESTAMP end",
                          "TS.RANGE k 8 40 AGGREGATION twa 5 EMPTY ALIGN 3", "TS.RANGE k 8 24 AGGREGATION twa 5 EMPTY",
                          "TS.RANGE k 8 + AGGREGATION twa 5 EMPTY", "TS.RANGE k 0 + AGGREGATION twa 5 EMPTY",
                          "TS.RANGE k 2 20 AGGREGATION twa 5 EMPTY", "TS.RANGE k 8 40 AGGREGATION sum 5 EMPTY",
                          "TS.REVRANGE k 8 40 AGGREGATION twa 5 EMPTY", "TS.RANGE k 8 40 AGGREGATION twa 5 EMPTY COUNT 3",
                          "TS.REVRANGE k 8 40 AGGREGATION twa 5 EMPTY COUNT 3"]},
        {"name": "twa/empty-range-interpolated",
         "commands": ["TS.CREATE k", "TS.ADD k 1 10", "TS.ADD k 50 60",
                      "TS.RANGE k 10 30 AGGREGATION twa 10", "TS.RANGE k 10 30 AGGREGATION twa 10 EMPTY",
                      "TS.REVRANGE k 10 30 AGGREGATION twa 10 EMPTY", "TS.RANGE k 10 30 AGGREGATION sum 10 EMPTY",
                      "TS.RANGE k 6 30 AGGREGATION twa 10 EMPTY BUCKETTIMESTAMP end",
                      "TS.RANGE k 6 30 AGGREGATION twa 10 EMPTY ALIGN start",
                      "TS.REVRANGE k 6 30 AGGREGATION twa 10 EMPTY ALIGN start",
                      "TS.RANGE k 6 30 AGGREGATION twa 10 EMPTY COUNT 2",
                      "TS.REVRANGE k 6 30 AGGREGATION twa 10 EMPTY COUNT 2"]},
        {"name": "twa/empty-range-one-sided-is-empty",
         "commands": ["TS.CREATE k", "TS.ADD k 1 10", "TS.ADD k 5 20", "TS.RANGE k 6 30 AGGREGATION twa 10 EMPTY",
                      "TS.RANGE k 0 0 AGGREGATION twa 10 EMPTY", "TS.DEL k 0 10", "TS.ADD k 50 1",
                      "TS.RANGE k 10 30 AGGREGATION twa 10 EMPTY", "TS.RANGE k - + AGGREGATION twa 10 EMPTY FILTER_BY_VALUE 1000 2000"]},
        {"name": "twa/filter-by-value-signed-edges",
         "commands": ["TS.CREATE k", "TS.ADD k 1 10", "TS.ADD k 2 20", "TS.ADD k 5 50", "TS.ADD k 11 110",
                      "TS.ADD k 12 120", "TS.ADD k 31 310", "TS.ADD k 33 100",
                      "TS.RANGE k - + AGGREGATION twa 5 FILTER_BY_VALUE 20 120",
                      "TS.RANGE k - + AGGREGATION twa 5 FILTER_BY_TS 2 11 33",
                      "TS.RANGE k - + AGGREGATION twa 5 FILTER_BY_TS 1 2 31",
                      "TS.REVRANGE k - + AGGREGATION twa 5 FILTER_BY_TS 1 11 12"]},
        {"name": "twa/empty-from-after-to",
         "commands": ["TS.CREATE k", "TS.ADD k 7 6", "TS.ADD k 14 2", "TS.ADD k 24 4", "TS.ADD k 29 -6", "TS.ADD k 52 7",
                      "TS.RANGE k 26 22 AGGREGATION twa 11 BUCKETTIMESTAMP mid EMPTY ALIGN end",
                      "TS.RANGE k 23 20 AGGREGATION twa 10 EMPTY", "TS.RANGE k 23 20 AGGREGATION sum 10 EMPTY",
                      "TS.RANGE k 23 20 AGGREGATION twa 10"],
         "fixed": {6: ([], "1.12 returns an uninitialised bucket for twa + EMPTY when from > to; fixed: an "
                       "empty range has no buckets"),
                   7: ([], "1.12 reports an interpolated bucket for twa + EMPTY when from > to; fixed: an "
                       "empty range has no buckets")}},
        {"name": "twa/alignment-clamped-first-bucket",
         "commands": s + ["TS.RANGE k - + AGGREGATION twa 10 ALIGN 7", "TS.RANGE k 3 + AGGREGATION twa 10 ALIGN 7",
                          "TS.REVRANGE k - + AGGREGATION twa 10 ALIGN 7", "TS.RANGE k 4 + AGGREGATION twa 12 EMPTY ALIGN 10"]},
    ]
    by = {c["name"]: c for c in cases}
    c = by["twa/empty-prefix-and-suffix"]
    fix(c, "TS.REVRANGE k 8 40 AGGREGATION twa 5 EMPTY",
        reply(model_revrange(nl, 8, 40, "twa", 5, 0, "start", True)), WHY_REV_EMPTY)
    fix(c, "TS.REVRANGE k 8 40 AGGREGATION twa 5 EMPTY COUNT 3",
        reply(model_revrange(nl, 8, 40, "twa", 5, 0, "start", True)[:3]), WHY_REV_EMPTY)
    two = [(1, 10), (50, 60)]
    c = by["twa/empty-range-interpolated"]
    fix(c, "TS.REVRANGE k 10 30 AGGREGATION twa 10 EMPTY",
        reply(model_revrange(two, 10, 30, "twa", 10, 0, "start", True)), WHY_REV_EMPTY)
    fix(c, "TS.REVRANGE k 6 30 AGGREGATION twa 10 EMPTY ALIGN start",
        reply(model_revrange(two, 6, 30, "twa", 10, 6, "start", True)), WHY_REV_EMPTY)
    fix(c, "TS.REVRANGE k 6 30 AGGREGATION twa 10 EMPTY COUNT 2",
        reply(model_revrange(two, 6, 30, "twa", 10, 0, "start", True)[:2]), WHY_REV_EMPTY)
    fl = [(1, 10), (2, 20), (5, 50), (11, 110), (12, 120), (31, 310), (33, 100)]
    c = by["twa/filter-by-value-signed-edges"]
    fix(c, "TS.RANGE k - + AGGREGATION twa 5 FILTER_BY_VALUE 20 120",
        reply(model_range(fl, 0, MAX_TS, "twa", 5, fv=(20, 120))), WHY_TWA_FILTER)
    fix(c, "TS.RANGE k - + AGGREGATION twa 5 FILTER_BY_TS 2 11 33",
        reply(model_range(fl, 0, MAX_TS, "twa", 5, fts=[2, 11, 33])), WHY_TWA_FILTER)
    return cases


def retention_cases():
    return [
        {"name": "retention/trimmed-samples-gone",
         "commands": ["TS.CREATE k RETENTION 10", "TS.ADD k 1 1", "TS.ADD k 5 2", "TS.ADD k 10 3", "TS.ADD k 11 4",
                      "TS.ADD k 20 5", "TS.RANGE k - +", "TS.REVRANGE k - +", "TS.RANGE k 0 15",
                      "TS.RANGE k - + AGGREGATION sum 4", "TS.RANGE k - + AGGREGATION sum 4 EMPTY",
                      "TS.RANGE k - + AGGREGATION twa 4", "TS.RANGE k - + FILTER_BY_TS 5 10 11",
                      "TS.ADD k 9 9", "TS.ADD k 21 6", "TS.RANGE k - +"]},
        {"name": "retention/alter-trims",
         "commands": ["TS.CREATE k", "TS.ADD k 1 1", "TS.ADD k 5 2", "TS.ADD k 10 3", "TS.ADD k 11 4", "TS.ADD k 20 5",
                      "TS.ALTER k RETENTION 10", "TS.RANGE k - +", "TS.RANGE k 0 7",
                      "TS.RANGE k - + AGGREGATION twa 4", "TS.RANGE k - + AGGREGATION count 100"]},
    ]


def error_cases():
    s = adds(S1[:4])
    return [
        {"name": "errors/timestamps",
         "commands": s + ["TS.RANGE k a +", "TS.RANGE k - b", "TS.RANGE k a b", "TS.RANGE k + -", "TS.RANGE k -1 +",
                          "TS.RANGE k 00 +", "TS.RANGE k +0 +", "TS.RANGE k 1.0 +", "TS.RANGE k 1e2 +",
                          "TS.RANGE k - +3", "TS.RANGE k -0 +", "TS.RANGE k 0 9223372036854775808",
                          "TS.REVRANGE k x +", "TS.REVRANGE k - x", "TS.RANGE k - b COUNT x"]},
        {"name": "errors/arity",
         "commands": s + ["TS.RANGE", "TS.RANGE k", "TS.RANGE k -", "TS.REVRANGE k", "TS.REVRANGE k 1"]},
        {"name": "errors/count",
         "commands": s + ["TS.RANGE k - + COUNT", "TS.RANGE k - + COUNT x", "TS.RANGE k - + COUNT 0",
                          "TS.RANGE k - + COUNT -1", "TS.RANGE k - + COUNT 01", "TS.RANGE k - + COUNT +1",
                          "TS.RANGE k - + COUNT 1.5", "TS.RANGE k - + COUNT 9223372036854775808",
                          "TS.REVRANGE k - + COUNT 0", "TS.RANGE k - + AGGREGATION sum 5 COUNT"]},
        {"name": "errors/aggregation",
         "commands": s + ["TS.RANGE k - + AGGREGATION", "TS.RANGE k - + AGGREGATION avg", "TS.RANGE k - + AGGREGATION foo 10",
                          "TS.RANGE k - + AGGREGATION wavg 10", "TS.RANGE k - + AGGREGATION avg 0",
                          "TS.RANGE k - + AGGREGATION avg -1", "TS.RANGE k - + AGGREGATION avg x",
                          "TS.RANGE k - + AGGREGATION avg 1.5", "TS.RANGE k - + AGGREGATION avg 04",
                          "TS.RANGE k - + AGGREGATION avg +4", "TS.RANGE k - + AGGREGATION avg 9223372036854775808",
                          "TS.RANGE k - + AGGREGATION foo x", "TS.RANGE k - + AGGREGATION foo 0",
                          "TS.RANGE k - + AGGREGATION count COUNT 2", "TS.RANGE k - + AGGREGATION countNaN 10",
                          "TS.RANGE k - + AGGREGATION avg,sum 10", "TS.REVRANGE k - + AGGREGATION max -5"]},
        {"name": "errors/align",
         "commands": s + ["TS.RANGE k - + ALIGN 5", "TS.RANGE k 0 10 ALIGN start", "TS.RANGE k - + ALIGN x",
                          "TS.RANGE k - + ALIGN x AGGREGATION avg 5", "TS.RANGE k 0 + ALIGN -5 AGGREGATION avg 5",
                          "TS.RANGE k 0 + ALIGN 01 AGGREGATION avg 5", "TS.RANGE k 0 + ALIGN AGGREGATION avg 5",
                          "TS.RANGE k 0 + AGGREGATION avg 5 ALIGN", "TS.RANGE k - + ALIGN start AGGREGATION avg 5",
                          "TS.RANGE k - 10 ALIGN - AGGREGATION avg 5", "TS.RANGE k - + ALIGN end AGGREGATION avg 5",
                          "TS.RANGE k 0 + ALIGN + AGGREGATION avg 5", "TS.REVRANGE k - + AGGREGATION avg 5 ALIGN start",
                          "TS.RANGE k - + AGGREGATION avg 5 ALIGN 2 ALIGN x"]},
        {"name": "errors/empty-and-buckettimestamp-positions",
         "commands": s + ["TS.RANGE k - + EMPTY AGGREGATION sum 5", "TS.RANGE k - + AGGREGATION sum 5 x EMPTY",
                          "TS.RANGE k - + AGGREGATION sum 5 x x EMPTY",
                          "TS.RANGE k - + AGGREGATION sum 5 BUCKETTIMESTAMP end COUNT 5 EMPTY",
                          "TS.RANGE k - + AGGREGATION sum 5 COUNT 5 EMPTY",
                          "TS.RANGE k - + AGGREGATION sum 5 EMPTY EMPTY",
                          "TS.RANGE k - + BUCKETTIMESTAMP end AGGREGATION sum 5",
                          "TS.RANGE k - + AGGREGATION sum 5 COUNT 5 BUCKETTIMESTAMP end",
                          "TS.RANGE k - + AGGREGATION sum 5 x BUCKETTIMESTAMP end",
                          "TS.RANGE k - + AGGREGATION sum 5 EMPTY BUCKETTIMESTAMP end",
                          "TS.RANGE k - + AGGREGATION sum 5 EMPTY x BUCKETTIMESTAMP mid",
                          "TS.RANGE k - + AGGREGATION sum 5 BUCKETTIMESTAMP mid x EMPTY",
                          "TS.RANGE k - + AGGREGATION sum 5 BUCKETTIMESTAMP", "TS.RANGE k - + AGGREGATION sum 5 BUCKETTIMESTAMP foo",
                          "TS.RANGE k - + AGGREGATION sum 5 BUCKETTIMESTAMP foo EMPTY",
                          "TS.RANGE k - + AGGREGATION sum 5 BUCKETTIMESTAMP foo x EMPTY",
                          "TS.RANGE k - + AGGREGATION sum 5 BUCKETTIMESTAMP end BUCKETTIMESTAMP mid",
                          "TS.RANGE k - + ALIGN 2 AGGREGATION sum 5 BUCKETTIMESTAMP end EMPTY",
                          "TS.RANGE k - + AGGREGATION sum 5 ALIGN 2 BUCKETTIMESTAMP end"]},
        {"name": "errors/filters",
         "commands": s + ["TS.RANGE k - + FILTER_BY_VALUE", "TS.RANGE k - + FILTER_BY_VALUE 1",
                          "TS.RANGE k - + FILTER_BY_VALUE x 1", "TS.RANGE k - + FILTER_BY_VALUE 1 x",
                          "TS.RANGE k - + FILTER_BY_VALUE nan 5", "TS.RANGE k - + FILTER_BY_VALUE 1a 3",
                          "TS.RANGE k - + FILTER_BY_VALUE \" 1\" 3", "TS.RANGE k - + FILTER_BY_TS",
                          "TS.RANGE k - + FILTER_BY_TS x", "TS.RANGE k - + FILTER_BY_TS -3",
                          "TS.RANGE k - + FILTER_BY_TS 01 5", "TS.RANGE k - + FILTER_BY_TS 1.5"]},
        {"name": "errors/precedence",
         "commands": s + ["TS.RANGE k a b COUNT x", "TS.RANGE k - + COUNT x AGGREGATION foo 10",
                          "TS.RANGE k - + AGGREGATION foo 10 COUNT x", "TS.RANGE k - + AGGREGATION foo 10 ALIGN x",
                          "TS.RANGE k - + AGGREGATION avg 0 ALIGN x", "TS.RANGE k - + AGGREGATION foo 5 EMPTY x",
                          "TS.RANGE k - + AGGREGATION sum 5 BUCKETTIMESTAMP foo ALIGN x",
                          "TS.RANGE k - + AGGREGATION sum 5 BUCKETTIMESTAMP foo COUNT x",
                          "TS.RANGE k - + ALIGN x FILTER_BY_VALUE x 1", "TS.RANGE k - + FILTER_BY_VALUE x 1 ALIGN x",
                          "TS.RANGE k - + FILTER_BY_VALUE x 1 FILTER_BY_TS x", "TS.RANGE k - + FILTER_BY_TS x FILTER_BY_VALUE x 1",
                          "TS.RANGE k - + FILTER_BY_TS x COUNT x", "TS.RANGE k - + ALIGN start FILTER_BY_VALUE x 1",
                          "TS.RANGE k - + ALIGN start AGGREGATION sum 5 FILTER_BY_VALUE x 1",
                          "TS.RANGE k - + COUNT 0 AGGREGATION foo 10", "TS.RANGE k - + COUNT -1 ALIGN x",
                          "TS.RANGE k - + COUNT x COUNT 1", "TS.RANGE k - + FILTER_BY_TS 1 ALIGN",
                          "TS.RANGE k - + AGGREGATION sum 5 EMPTY BUCKETTIMESTAMP",
                          "TS.RANGE nokey a b COUNT x AGGREGATION foo 0"]},
    ]


WHY_EXT_AGG = ("extension (RedisTimeSeries 8.6 / 8.8): countNaN, countAll and comma-separated aggregator "
               "lists are accepted; 1.12 answers Unknown aggregation type")


def _fix_extensions(cases):
    by = {c["name"]: c for c in cases}
    c = by["errors/aggregation"]
    fix(c, "TS.RANGE k - + AGGREGATION countNaN 10", [[0, "0"]], WHY_EXT_AGG)
    fix(c, "TS.RANGE k - + AGGREGATION avg,sum 10", [[0, "3", "12"]], WHY_EXT_AGG)
    return cases


def parse_cases():
    s = adds(S1[:6])
    return [
        {"name": "parse/options-any-order-and-case",
         "commands": s + ["TS.RANGE k - + AGGREGATION sum 5 COUNT 2 FILTER_BY_VALUE -5 6",
                          "TS.RANGE k - + FILTER_BY_VALUE -5 6 COUNT 2 AGGREGATION sum 5",
                          "TS.RANGE k - + count 2 filter_by_value -5 6 aggregation SUM 5",
                          "TS.RANGE k 1 + ALIGN start FILTER_BY_TS 1 2 4 7 AGGREGATION max 3 BUCKETTIMESTAMP end EMPTY",
                          "TS.RANGE k 1 + AGGREGATION max 3 BUCKETTIMESTAMP end EMPTY ALIGN start FILTER_BY_TS 1 2 4 7",
                          "TS.RANGE k - + AGGREGATION sum 4 BUCKETTIMESTAMP start EMPTY ALIGN 1 COUNT 2 FILTER_BY_VALUE 0 10 FILTER_BY_TS 1 2 4 LATEST"]},
        {"name": "parse/duplicate-options-first-wins",
         "commands": s + ["TS.RANGE k - + AGGREGATION sum 5 AGGREGATION avg 10", "TS.RANGE k - + AGGREGATION avg 10 AGGREGATION sum 5",
                          "TS.RANGE k - + AGGREGATION sum 5 ALIGN 1 ALIGN 2", "TS.RANGE k - + COUNT 1 COUNT 3",
                          "TS.RANGE k - + FILTER_BY_VALUE 0 10 FILTER_BY_VALUE 5 6", "TS.RANGE k - + FILTER_BY_TS 4 FILTER_BY_TS 13"]},
        {"name": "parse/unknown-tokens-ignored",
         "commands": s + ["TS.RANGE k - + bogus", "TS.RANGE k - + bogus 1 2 3", "TS.RANGE k - + LATEST bogus",
                          "TS.RANGE k - + AGGREGATION sum 5 x x EMPTY"]},
        {"name": "parse/keyword-named-keys",
         "commands": ["TS.CREATE count", "TS.ADD count 3 1", "TS.RANGE count - +", "TS.CREATE latest", "TS.ADD latest 3 1",
                      "TS.RANGE latest - +", "TS.CREATE empty", "TS.ADD empty 3 1", "TS.RANGE empty - +",
                      "TS.RANGE empty - + AGGREGATION sum 5", "TS.CREATE align", "TS.ADD align 3 1", "TS.RANGE align - +",
                      "TS.CREATE aggregation", "TS.ADD aggregation 3 1", "TS.RANGE aggregation - +"]},
    ]


def cases():
    return (raw_cases() + agg_cases() + align_cases() + twa_cases() + retention_cases()
            + _fix_extensions(error_cases()) + parse_cases() + grid() + crash_cases())


# ---------------------------------------------------------------------------------------------
# Commands that crash RedisTimeSeries 1.12 (the server process dies): recorded as "unsent" (the
# recorder does not send them) with the fixed reply. Each entry: (name, setup commands, crashing
# command, fixed reply, why).
# ---------------------------------------------------------------------------------------------
_NL = [(1, 10), (2, 20), (5, 50), (11, 110), (12, 120), (31, 310)]
CRASH_CASES = [
    ("crash/twa-empty-filter-by-ts", adds(_NL), "TS.RANGE k - + AGGREGATION twa 5 EMPTY FILTER_BY_TS 2 11",
     reply(model_range(_NL, 0, MAX_TS, "twa", 5, 0, "start", True, fts=[2, 11])),
     "1.12 crashes on twa + EMPTY + FILTER_BY_TS; fixed: the documented twa EMPTY rules with signed arithmetic"),
    ("crash/twa-empty-filter-by-ts-late-start", adds(_NL), "TS.RANGE k - + AGGREGATION twa 5 EMPTY FILTER_BY_TS 12",
     reply(model_range(_NL, 0, MAX_TS, "twa", 5, 0, "start", True, fts=[12])),
     "1.12 crashes on twa + EMPTY + FILTER_BY_TS; fixed: the documented twa EMPTY rules"),
    ("crash/twa-empty-filter-by-value", adds(_NL), "TS.RANGE k - + AGGREGATION twa 5 EMPTY FILTER_BY_VALUE 20 120",
     reply(model_range(_NL, 0, MAX_TS, "twa", 5, 0, "start", True, fv=(20, 120))),
     "1.12 crashes on twa + EMPTY + FILTER_BY_VALUE; fixed: the documented twa EMPTY rules"),
    ("crash/twa-empty-range-negative-first-bucket", adds([(25, -8), (45, -8), (51, -1)]),
     "TS.RANGE k - 24 AGGREGATION twa 10 EMPTY ALIGN end", [],
     "1.12 crashes when a twa + EMPTY range has no samples and its first bucket starts before 0; "
     "fixed: like the prefix rule, a negative first bucket fills nothing"),
    ("crash/twa-empty-range-negative-first-bucket-both-sides", adds([(0, 6), (1, 5), (29, 5), (42, -8)]),
     "TS.RANGE k 2 25 AGGREGATION twa 10 EMPTY ALIGN end", [],
     "1.12 crashes (negative first bucket, empty range); fixed: nothing is filled"),
]


def crash_cases():
    out = []
    for name, setup, cmd, expected, why in CRASH_CASES:
        cmds = setup + [cmd]
        out.append({"name": name, "commands": cmds, "unsent": {len(cmds) - 1: (expected, why)}})
    return out
