"""Compaction rules: TS.CREATERULE / TS.DELETERULE (errors, TS.INFO fields), rule upkeep (open
bucket, late samples, duplicates, TS.DEL, alignTimestamp, no backfill), LATEST, and what deleting or
altering rule keys does. Spec: docs/semantics/query.md ("Compaction rules").

Commands that crash RedisTimeSeries 1.12 cannot be recorded (the recorder sends every command); they
are in CRASH_CASES with the fixed replies.
"""

MASK = ["memoryUsage", "chunkCount"]
AGGS = ["avg", "sum", "min", "max", "range", "count", "first", "last",
        "std.p", "std.s", "var.p", "var.s", "twa"]
S1 = [(1, 5), (2, -3), (4, 8), (7, 2), (13, 6), (14, -1), (26, 4), (31, 9), (33, 0), (48, 7)]


def rule(agg="sum", d=10, align=None, src="src", dst="dst"):
    cmd = "TS.CREATERULE %s %s AGGREGATION %s %d" % (src, dst, agg, d)
    if align is not None:
        cmd += " %d" % align
    return ["TS.CREATE %s" % src, "TS.CREATE %s" % dst, cmd]


def add(ts, v, key="src"):
    return "TS.ADD %s %d %s" % (key, ts, v)


# The engine holds only series (no SET): the WRONGTYPE replies cannot be replayed, so the cases
# below use a missing key `s` where they used a string key.
WHY_EXT_RULE = ("extension (RedisTimeSeries 8.6): countNaN / countAll are aggregators of rules too; "
                "1.12 answers Unknown aggregation type")


def error_cases():
    return [
        {"name": "rule/create-errors",
         "commands": ["TS.CREATE a", "TS.CREATE b", "TS.CREATE c",
                      "TS.CREATERULE a nokey AGGREGATION sum 10", "TS.CREATERULE nokey a AGGREGATION sum 10",
                      "TS.CREATERULE a a AGGREGATION sum 10", "TS.CREATERULE a b AGGREGATION foo 10",
                      "TS.CREATERULE a b AGGREGATION wavg 10", "TS.CREATERULE a b AGGREGATION sum 0",
                      "TS.CREATERULE a b AGGREGATION sum -1", "TS.CREATERULE a b AGGREGATION sum x",
                      "TS.CREATERULE a b AGGREGATION sum 1.5", "TS.CREATERULE a b AGGREGATION sum 9223372036854775808",
                      "TS.CREATERULE a b AGGREGATION sum 10 x", "TS.CREATERULE a b AGGREGATION sum 10 -1",
                      "TS.CREATERULE a b AGGREGATION sum 10 1.5",
                      "TS.CREATERULE a b AGGREGATION sum", "TS.CREATERULE a b AGGREGATION", "TS.CREATERULE a b",
                      "TS.CREATERULE a", "TS.CREATERULE", "TS.CREATERULE a b FOO sum 10",
                      "TS.CREATERULE a b AGGREGATION sum 10 5 6", "TS.CREATERULE a s AGGREGATION sum 10",
                      "TS.CREATERULE s a AGGREGATION sum 10", "TS.CREATERULE a b AGGREGATION avg,sum 10",
                      "TS.INFO a", "TS.INFO b", "TS.CREATERULE a b AGGREGATION countNaN 10"],
         "mask": MASK,
         "fixed": {28: ("OK", WHY_EXT_RULE)}},
        {"name": "rule/create-error-precedence",
         "commands": ["TS.CREATE a", "TS.CREATE b", "TS.CREATE c", "TS.CREATERULE a b AGGREGATION sum 10",
                      "TS.CREATERULE a a AGGREGATION foo 10", "TS.CREATERULE nokey nokey2 AGGREGATION foo 10",
                      "TS.CREATERULE nokey a AGGREGATION sum 0", "TS.CREATERULE a a AGGREGATION sum 10 x",
                      "TS.CREATERULE a b AGGREGATION foo 10 x", "TS.CREATERULE a b AGGREGATION sum 0 x",
                      "TS.CREATERULE b b AGGREGATION sum 10", "TS.CREATERULE b nokey AGGREGATION sum 10",
                      "TS.CREATERULE nokey b AGGREGATION sum 10", "TS.CREATERULE c b AGGREGATION sum 10",
                      "TS.CREATERULE b c AGGREGATION sum 10", "TS.CREATERULE c a AGGREGATION sum 10",
                      "TS.CREATERULE a b AGGREGATION max 5"]},
        {"name": "rule/chain-forbidden",
         "commands": ["TS.CREATE a", "TS.CREATE b", "TS.CREATE c", "TS.CREATE d",
                      "TS.CREATERULE a b AGGREGATION sum 10", "TS.CREATERULE a c AGGREGATION avg 10",
                      "TS.CREATERULE a b AGGREGATION max 5", "TS.CREATERULE b d AGGREGATION max 5",
                      "TS.CREATERULE d a AGGREGATION max 5", "TS.CREATERULE b a AGGREGATION max 5",
                      "TS.CREATERULE d b AGGREGATION max 5", "TS.CREATERULE d d AGGREGATION max 5",
                      "TS.INFO a", "TS.INFO b", "TS.INFO d"],
         "mask": MASK},
        {"name": "rule/delete-errors",
         "commands": ["TS.CREATE a", "TS.CREATE b", "TS.CREATE c",
                      "TS.CREATERULE a b AGGREGATION sum 10", "TS.DELETERULE a", "TS.DELETERULE a b x",
                      "TS.DELETERULE", "TS.DELETERULE nokey a", "TS.DELETERULE nokey nokey",
                      "TS.DELETERULE a nokey", "TS.DELETERULE a c", "TS.DELETERULE b a", "TS.DELETERULE a a",
                      "TS.DELETERULE s a", "TS.DELETERULE a s", "TS.DELETERULE a b", "TS.DELETERULE a b",
                      "TS.INFO a", "TS.INFO b"],
         "mask": MASK},
    ]


def info_cases():
    return [
        {"name": "rule/info-fields-create-delete",
         "commands": ["TS.CREATE src", "TS.CREATE d1", "TS.CREATE d2", "TS.CREATE d3",
                      "TS.CREATERULE src d1 aggregation SUM 10", "TS.CREATERULE src d2 AGGREGATION twa 60000 5",
                      "TS.CREATERULE src d3 AGGREGATION std.s 7 0",
                      "TS.INFO src", "TS.INFO d1", "TS.INFO d2", "TS.DELETERULE src d2", "TS.INFO src", "TS.INFO d2",
                      "TS.CREATERULE src d2 AGGREGATION VAR.P 3", "TS.INFO src", "TS.INFO d2"],
         "mask": MASK},
        {"name": "rule/info-every-aggregator-name",
         "commands": ["TS.CREATE src"] + ["TS.CREATE d%d" % i for i in range(len(AGGS))]
                     + ["TS.CREATERULE src d%d AGGREGATION %s %d" % (i, a, i + 1) for i, a in enumerate(AGGS)]
                     + ["TS.INFO src"],
         "mask": MASK},
    ]


def upkeep_cases():
    out = []
    for agg in AGGS:
        cmds = rule(agg)
        for i, (t, v) in enumerate(S1):
            cmds.append(add(t, v))
            if t in (2, 7, 13, 26, 33):
                cmds += ["TS.RANGE dst - +", "TS.RANGE dst - + LATEST"]
        cmds += ["TS.GET dst", "TS.GET dst LATEST", "TS.REVRANGE dst - + LATEST",
                 "TS.RANGE src 0 39 AGGREGATION %s 10" % agg, "TS.INFO dst"]
        out.append({"name": "upkeep/%s" % agg, "commands": cmds, "mask": MASK})
    out += [
        {"name": "upkeep/align-timestamp-clamped-first-bucket",
         "commands": rule("sum", 10, 3) + [add(1, 1), add(2, 2), add(3, 3), add(12, 4), add(13, 5), add(25, 6),
                                           "TS.RANGE dst - +", "TS.RANGE dst - + LATEST", "TS.GET dst", "TS.GET dst LATEST"]},
        {"name": "upkeep/align-timestamp-larger-than-samples",
         "commands": rule("sum", 10, 25) + [add(1, 1), add(5, 2), add(16, 3), "TS.RANGE dst - +", "TS.RANGE dst - + LATEST"]},
        {"name": "upkeep/align-timestamp-max-and-mid-bucket",
         "commands": rule("max", 4, 2) + [add(1, 1), add(3, 2), add(10, 3), add(11, 4), add(26, 5),
                                          "TS.RANGE dst - +", "TS.RANGE dst - + LATEST"]},
        {"name": "upkeep/boundary-sample-closes-bucket",
         "commands": rule("count") + [add(0, 1), add(9, 1), "TS.RANGE dst - +", add(10, 1), "TS.RANGE dst - +",
                                      add(19, 1), add(20, 1), "TS.RANGE dst - +", "TS.RANGE dst - + LATEST"]},
        {"name": "upkeep/gap-buckets-not-written",
         "commands": rule("sum") + [add(1, 1), add(45, 2), add(99, 3), "TS.RANGE dst - +", "TS.RANGE dst - + LATEST",
                                    "TS.RANGE dst - + AGGREGATION sum 10 EMPTY", "TS.INFO dst"],
         "mask": MASK},
        {"name": "upkeep/multiple-rules-madd-incrby",
         "commands": ["TS.CREATE src", "TS.CREATE d1", "TS.CREATE d2", "TS.CREATE d3",
                      "TS.CREATERULE src d1 AGGREGATION sum 10", "TS.CREATERULE src d2 AGGREGATION max 4 2",
                      "TS.CREATERULE src d3 AGGREGATION last 25",
                      "TS.MADD src 1 1 src 3 2 src 10 3 src 11 4 src 26 5",
                      "TS.RANGE d1 - + LATEST", "TS.RANGE d2 - + LATEST", "TS.RANGE d3 - + LATEST",
                      "TS.INCRBY src 2 TIMESTAMP 30", "TS.DECRBY src 10 TIMESTAMP 51", "TS.RANGE src - +",
                      "TS.RANGE d1 - + LATEST", "TS.RANGE d2 - + LATEST", "TS.RANGE d3 - + LATEST",
                      "TS.RANGE d1 - +", "TS.INFO src"],
         "mask": MASK},
        {"name": "upkeep/twa-matches-range-twa",
         "commands": rule("twa") + [add(1, 5), add(21, 1), add(25, 2), add(31, 4), add(33, 8), add(58, 1), add(61, 0),
                                    "TS.RANGE dst - +", "TS.RANGE dst - + LATEST", "TS.RANGE src 0 69 AGGREGATION twa 10",
                                    "TS.GET dst LATEST"]},
        {"name": "upkeep/write-directly-to-destination",
         "commands": rule("sum") + [add(1, 1), add(12, 2), "TS.ADD dst 100 5", "TS.RANGE dst - +", "TS.DEL dst 0 5",
                                    "TS.RANGE dst - +", add(13, 1), add(25, 1), "TS.RANGE dst - + LATEST"]},
    ]
    return out


def late_cases():
    out = []
    for agg in ("sum", "last", "first", "min", "max", "avg", "count", "range", "std.s", "twa"):
        out.append({"name": "late/%s-open-and-closed-bucket" % agg,
                    "commands": rule(agg) + [add(1, 5), add(21, 1), add(25, 2), add(23, 9), "TS.RANGE dst - +",
                                             "TS.RANGE dst - + LATEST", add(31, 4), "TS.RANGE dst - + LATEST",
                                             add(3, 7), "TS.RANGE dst - + LATEST", add(15, 6), "TS.RANGE dst - +",
                                             "TS.RANGE dst - + LATEST"]})
    out += [
        {"name": "late/open-bucket-recomputed-from-source",
         "commands": ["TS.CREATE src", add(1, 1), add(12, 2), "TS.CREATE dst",
                      "TS.CREATERULE src dst AGGREGATION sum 10", add(13, 3), "TS.RANGE dst - + LATEST",
                      add(11, 100), "TS.RANGE dst - + LATEST", add(14, 1000), "TS.RANGE dst - + LATEST",
                      add(20, 1), "TS.RANGE dst - +", "TS.RANGE dst - + LATEST"]},
        {"name": "late/before-any-rule-activity",
         "commands": ["TS.CREATE src", add(1, 1), add(12, 2), "TS.CREATE dst",
                      "TS.CREATERULE src dst AGGREGATION sum 10", add(5, 4), "TS.RANGE dst - +",
                      "TS.RANGE dst - + LATEST", add(15, 4), "TS.RANGE dst - +", "TS.RANGE dst - + LATEST",
                      add(20, 1), "TS.RANGE dst - +", "TS.RANGE dst - + LATEST"]},
        {"name": "late/duplicate-policies-on-source",
         "commands": ["TS.CREATE src DUPLICATE_POLICY LAST", "TS.CREATE dst",
                      "TS.CREATERULE src dst AGGREGATION sum 10", add(1, 1), add(2, 2), add(12, 5), add(2, 20),
                      "TS.RANGE dst - + LATEST", add(12, 50), "TS.RANGE dst - + LATEST",
                      "TS.ADD src 12 50 ON_DUPLICATE SUM", "TS.RANGE dst - + LATEST",
                      "TS.ADD src 1 9 ON_DUPLICATE BLOCK", "TS.ADD src 1 0 ON_DUPLICATE MIN", "TS.RANGE dst - + LATEST",
                      "TS.RANGE src - +"]},
        {"name": "late/block-duplicate-leaves-rule-unchanged",
         "commands": rule("sum") + [add(1, 1), add(12, 5), add(1, 3), add(12, 3), "TS.RANGE dst - +",
                                    "TS.RANGE dst - + LATEST"]},
        {"name": "late/new-rule-does-not-backfill",
         "commands": ["TS.CREATE src", add(1, 1), add(5, 2), add(12, 3), add(13, 4), "TS.CREATE dst",
                      "TS.CREATERULE src dst AGGREGATION sum 10", "TS.RANGE dst - +", "TS.RANGE dst - + LATEST",
                      "TS.GET dst LATEST", add(14, 5), "TS.RANGE dst - + LATEST", add(25, 6), "TS.RANGE dst - +",
                      "TS.RANGE dst - + LATEST", "TS.INFO dst"],
         "mask": MASK},
    ]
    return out


def del_cases():
    base = rule("sum") + [add(1, 1), add(5, 2), add(12, 3), add(15, 4), add(25, 100)]
    return [
        {"name": "del/source-range-recomputes-buckets",
         "commands": base + ["TS.RANGE dst - + LATEST", "TS.DEL src 5 5", "TS.RANGE dst - + LATEST",
                             "TS.DEL src 0 3", "TS.RANGE dst - + LATEST", "TS.RANGE src - +",
                             "TS.DEL src 12 12", "TS.RANGE dst - + LATEST", "TS.DEL src 25 25",
                             "TS.RANGE dst - + LATEST", "TS.GET dst LATEST", "TS.INFO dst", add(26, 1),
                             "TS.RANGE dst - + LATEST"],
         "mask": MASK},
        {"name": "del/source-partial-open-bucket",
         "commands": rule("sum") + [add(1, 1), add(12, 3), add(25, 100), add(27, 50), "TS.DEL src 25 25",
                                    "TS.RANGE dst - + LATEST", add(35, 7), "TS.RANGE dst - + LATEST"]},
        {"name": "del/source-open-bucket-tail",
         "commands": rule("last") + [add(1, 1), add(12, 3), add(25, 100), add(27, 50), "TS.DEL src 26 29",
                                     "TS.RANGE dst - + LATEST", add(35, 7), "TS.RANGE dst - + LATEST"]},
        {"name": "del/source-everything",
         "commands": rule("sum") + [add(1, 1), add(12, 3), add(25, 100), add(27, 50), "TS.DEL src 0 29",
                                    "TS.RANGE dst - + LATEST", "TS.RANGE src - +", add(35, 7), "TS.RANGE dst - + LATEST"]},
        {"name": "del/closed-buckets-only",
         "commands": rule("max") + [add(1, 1), add(12, 3), add(25, 100), add(27, 50), "TS.DEL src 0 12",
                                    "TS.RANGE dst - + LATEST", add(35, 7), "TS.RANGE dst - + LATEST"]},
        {"name": "del/destination-key-drops-rule",
         "commands": rule("sum") + [add(1, 1), add(12, 2), "DEL dst", "TS.INFO src", add(25, 3), "TS.RANGE src - +",
                                    "TS.CREATE dst", "TS.INFO dst", "TS.CREATERULE src dst AGGREGATION max 10",
                                    add(26, 3), add(35, 4), "TS.RANGE dst - +", "TS.INFO src"],
         "mask": MASK},
        {"name": "del/source-key-drops-rule",
         "commands": rule("max") + [add(1, 1), add(12, 2), add(26, 3), "DEL src", "TS.INFO dst", "TS.RANGE dst - +",
                                    "TS.RANGE dst - + LATEST", "TS.GET dst LATEST", "TS.CREATE src",
                                    "TS.CREATERULE src dst AGGREGATION max 10", "TS.INFO dst", add(40, 9), add(50, 1),
                                    "TS.RANGE dst - +"],
         "mask": MASK},
    ]


def alter_cases():
    return [
        {"name": "alter/rule-keys",
         "commands": rule("sum") + [add(1, 1), add(12, 2), "TS.ALTER dst RETENTION 100 LABELS a b",
                                    "TS.ALTER src RETENTION 1000 DUPLICATE_POLICY LAST LABELS x y", "TS.INFO src",
                                    "TS.INFO dst", add(25, 3), add(12, 7), "TS.RANGE dst - + LATEST"],
         "mask": MASK},
        {"name": "alter/destination-retention-hides-rewritten-bucket",
         "commands": ["TS.CREATE src", "TS.CREATE dst RETENTION 15", "TS.CREATERULE src dst AGGREGATION sum 10",
                      add(1, 1), add(12, 2), add(25, 3), add(38, 4), "TS.RANGE dst - + LATEST", add(3, 7),
                      "TS.RANGE dst - + LATEST", "TS.RANGE dst 0 5", "TS.GET dst", "TS.ALTER dst RETENTION 0",
                      "TS.RANGE dst - +", add(45, 1), "TS.RANGE dst - + LATEST"]},
    ]


def latest_cases():
    base = rule("sum") + [add(1, 1), add(12, 2), add(25, 3), add(47, 4)]
    return [
        {"name": "latest/range-options",
         "commands": base + ["TS.RANGE dst - + LATEST FILTER_BY_VALUE 3 10", "TS.RANGE dst - + LATEST FILTER_BY_VALUE 1 2",
                             "TS.RANGE dst - + LATEST FILTER_BY_TS 40", "TS.RANGE dst - + LATEST FILTER_BY_TS 10 40",
                             "TS.RANGE dst - + LATEST COUNT 1", "TS.REVRANGE dst - + LATEST COUNT 1",
                             "TS.REVRANGE dst - + LATEST COUNT 2", "TS.RANGE dst - + COUNT 2 LATEST",
                             "TS.RANGE dst - + LATEST AGGREGATION sum 20 EMPTY", "TS.RANGE dst - + AGGREGATION sum 20 EMPTY",
                             "TS.REVRANGE dst - + LATEST AGGREGATION sum 20 EMPTY",
                             "TS.RANGE dst - + LATEST AGGREGATION max 100", "TS.RANGE dst - + latest"]},
        {"name": "latest/open-bucket-and-range-bounds",
         "commands": base + ["TS.RANGE dst 41 49 LATEST", "TS.RANGE dst 40 40 LATEST", "TS.RANGE dst 30 39 LATEST",
                             "TS.RANGE dst 0 39 LATEST", "TS.REVRANGE dst 40 + LATEST"]},
        {"name": "latest/get",
         "commands": base + ["TS.GET dst", "TS.GET dst LATEST", "TS.GET dst latest", "TS.GET dst LATEST x",
                             "TS.GET dst x", "TS.GET src LATEST", "TS.GET nokey LATEST"]},
        {"name": "latest/no-open-bucket-yet",
         "commands": rule("sum") + ["TS.RANGE dst - + LATEST", "TS.GET dst LATEST", "TS.GET dst", add(5, 1),
                                    "TS.GET dst", "TS.GET dst LATEST", "TS.RANGE dst - +"]},
    ]


def cases():
    return (error_cases() + info_cases() + upkeep_cases() + late_cases() + del_cases() + alter_cases()
            + latest_cases() + crash_cases())


# ---------------------------------------------------------------------------------------------
# TS.DEL that removes every sample of a rule's open bucket (while older samples remain) crashes
# 1.12 (recorded as "unsent": the crashing command and every later one are not sent). Fixed behaviour (as 1.12 does when it does not crash, e.g. del/source-range-recomputes-
# buckets): the rule has no open bucket any more, closed buckets are untouched, and the next
# sample opens a fresh bucket. Entries: (name, commands, {index: (fixed reply, why)}) where every
# command from the crashing one on needs its fixed reply.
# ---------------------------------------------------------------------------------------------
WHY_DEL = ("1.12 crashes when TS.DEL empties a rule's open bucket; fixed: the open bucket is dropped, "
           "closed buckets stay, the next sample opens a new bucket")
CRASH_CASES = [
    ("crash/del-empties-open-bucket-two-samples",
     rule("sum") + [add(1, 1), add(12, 3), add(25, 100), add(27, 50), "TS.DEL src 25 27",
                    "TS.RANGE dst - + LATEST", "TS.RANGE src - +", add(35, 7), "TS.RANGE dst - + LATEST"],
     {7: (2, WHY_DEL), 8: ([[0, "1"], [10, "3"]], WHY_DEL), 9: ([[1, "1"], [12, "3"]], WHY_DEL),
      10: (35, WHY_DEL), 11: ([[0, "1"], [10, "3"], [30, "7"]], WHY_DEL)}),
    ("crash/del-empties-open-bucket-one-sample",
     rule("sum") + [add(1, 1), add(12, 3), add(25, 100), "TS.DEL src 25 25", "TS.RANGE dst - + LATEST",
                    add(21, 7), "TS.RANGE dst - +", "TS.RANGE dst - + LATEST"],
     {6: (1, WHY_DEL), 7: ([[0, "1"], [10, "3"]], WHY_DEL), 8: (21, WHY_DEL),
      9: ([[0, "1"], [10, "3"]], WHY_DEL), 10: ([[0, "1"], [10, "3"], [20, "7"]], WHY_DEL)}),
    ("crash/del-range-covering-open-bucket",
     rule("avg") + [add(1, 1), add(12, 3), add(25, 100), add(27, 50), "TS.DEL src 20 29", "TS.GET dst LATEST",
                    add(45, 7), "TS.RANGE dst - +"],
     {7: (2, WHY_DEL), 8: ([10, "3"], WHY_DEL), 9: (45, WHY_DEL), 10: ([[0, "1"], [10, "3"]], WHY_DEL)}),
]


def crash_cases():
    return [{"name": name, "commands": cmds, "unsent": fixed} for name, cmds, fixed in CRASH_CASES]
