"""Multi-series commands: TS.MGET, TS.MRANGE / TS.MREVRANGE (every range option), GROUPBY / REDUCE, LATEST on
rule destinations, parse order and error texts.

Spec: docs/semantics/multi.md (sections 4-8). Errors: docs/semantics/errors-multi.md.
"""

# a: two samples, three labels; b: two samples, two labels; c: no samples, other l value.
BASE = [
    "TS.CREATE b LABELS l v n 1",
    "TS.CREATE a LABELS l v n 2 o x",
    "TS.CREATE c LABELS l w",
    "TS.ADD a 10 1.5",
    "TS.ADD a 20 2.5",
    "TS.ADD b 10 5",
    "TS.ADD b 30 7",
]

# For range options: a and b both l=v g=x, interleaved timestamps.
RANGE = [
    "TS.CREATE a LABELS l v g x",
    "TS.CREATE b LABELS l v g x",
    "TS.MADD a 1 1 a 5 5 a 12 12",
    "TS.MADD b 2 2 b 5 50 b 25 25",
]

# For GROUPBY: s1, s2 in g=x, s3 in g=y, s4 has no g; t selects all four.
GROUP = [
    "TS.CREATE s1 LABELS g x t a",
    "TS.CREATE s2 LABELS g x t b",
    "TS.CREATE s3 LABELS g y t a",
    "TS.CREATE s4 LABELS t a",
    "TS.MADD s1 1 1 s1 2 2 s1 4 4 s1 10 10",
    "TS.MADD s2 1 3 s2 3 5 s2 4 8 s2 11 1",
    "TS.MADD s3 1 100 s3 2 200",
    "TS.MADD s4 1 1000",
]

# A compaction: src -> dst (max 10) and src -> dst2 (count 10); src has an open bucket [10, 20).
RULES = [
    "TS.CREATE src LABELS kind raw g 1",
    "TS.CREATE dst LABELS kind agg g 1",
    "TS.CREATE dst2 LABELS kind agg g 2",
    "TS.CREATERULE src dst AGGREGATION max 10",
    "TS.CREATERULE src dst2 AGGREGATION count 10",
    "TS.MADD src 1 1 src 5 7 src 11 3 src 15 9",
]


def cases():
    c = []
    add = c.append

    # ================================================================ TS.MGET
    add({"name": "mget/basic", "commands": BASE + ["TS.MGET FILTER l=v"]})
    add({"name": "mget/withlabels", "commands": BASE + ["TS.MGET WITHLABELS FILTER l=v"]})
    add({"name": "mget/selected-labels-missing-is-nil",
         "commands": BASE + ["TS.MGET SELECTED_LABELS o n zz FILTER l=v"]})
    add({"name": "mget/selected-labels-over-list-match",
         "commands": BASE + ["TS.MGET SELECTED_LABELS n FILTER l=(v,w)"]})
    add({"name": "mget/selected-labels-repeated-name",
         "commands": BASE + ["TS.MGET SELECTED_LABELS n n FILTER l=v"]})
    add({"name": "mget/empty-series-shape",
         "commands": ["TS.CREATE e LABELS l v", "TS.MGET FILTER l=v", "TS.MGET WITHLABELS FILTER l=v"]})
    add({"name": "mget/no-match", "commands": BASE + ["TS.MGET FILTER l=nothing", "TS.MGET FILTER zz=(a,b)"]})
    add({"name": "mget/empty-db", "commands": ["TS.MGET FILTER l=v"]})
    add({"name": "mget/latest-ignored-on-plain-series", "commands": BASE + ["TS.MGET LATEST FILTER l=v"]})
    add({"name": "mget/options-any-order-before-filter",
         "commands": BASE + ["TS.MGET LATEST WITHLABELS FILTER l=v", "TS.MGET WITHLABELS LATEST FILTER l=v",
                             "TS.MGET withlabels latest filter l=v"]})
    add({"name": "mget/option-after-filter-is-a-matcher",
         "commands": BASE + ["TS.MGET FILTER l=v WITHLABELS", "TS.MGET FILTER l=v LATEST",
                             "TS.MGET FILTER l=v SELECTED_LABELS n"]})
    add({"name": "mget/unknown-token-before-filter-ignored", "commands": BASE + ["TS.MGET FOO FILTER l=v"]})
    add({"name": "mget/repeated-option-ok", "commands": BASE + ["TS.MGET WITHLABELS WITHLABELS FILTER l=(w)"]})
    add({"name": "mget/arity",
         "commands": ["TS.MGET", "TS.MGET FILTER", "TS.MGET l=v", "TS.MGET WITHLABELS l=v", "TS.MGET WITHLABELS",
                      "TS.MGET SELECTED_LABELS"]})
    add({"name": "mget/filter-without-matchers",
         "commands": ["TS.CREATE a LABELS l v", "TS.MGET LATEST FILTER", "TS.MGET WITHLABELS FILTER"]})
    add({"name": "mget/needs-positive-matcher",
         "commands": BASE + ["TS.MGET FILTER l!=v", "TS.MGET FILTER l=", "TS.MGET FILTER l!=", "TS.MGET FILTER l!=(v)"]})
    add({"name": "mget/failed-parsing-labels", "commands": BASE + ["TS.MGET FILTER l", "TS.MGET FILTER l=(v"]})
    add({"name": "mget/second-filter-keyword", "commands": BASE + ["TS.MGET FILTER l=v FILTER l=w"]})
    add({"name": "mget/groupby-not-supported", "commands": BASE + ["TS.MGET FILTER l=v GROUPBY l REDUCE max"]})
    add({"name": "mget/withlabels-and-selected-labels",
         "commands": BASE + ["TS.MGET WITHLABELS SELECTED_LABELS n FILTER l=v",
                             "TS.MGET SELECTED_LABELS n WITHLABELS FILTER l=v"]})
    add({"name": "mget/selected-labels-without-names",
         "commands": BASE + ["TS.MGET SELECTED_LABELS FILTER l=v"]})
    add({"name": "mget/selected-labels-stop-words",
         "commands": BASE + ["TS.MGET SELECTED_LABELS n LIMIT FILTER l=v",
                             "TS.MGET SELECTED_LABELS n REDUCE FILTER l=v",
                             "TS.MGET SELECTED_LABELS n COUNT FILTER l=v"]})
    add({"name": "mget/selected-labels-swallows-latest",
         "commands": BASE + ["TS.MGET SELECTED_LABELS n LATEST FILTER l=v"]})
    names50 = " ".join("x%d" % i for i in range(49)) + " n"
    add({"name": "mget/selected-labels-50-ok-51-error",
         "commands": ["TS.CREATE a LABELS l v n 1", "TS.ADD a 1 1",
                      "TS.MGET SELECTED_LABELS %s FILTER l=v" % names50,
                      "TS.MGET SELECTED_LABELS %s x50 FILTER l=v" % names50]})
    add({"name": "mget/error-precedence",
         "commands": BASE + ["TS.MGET SELECTED_LABELS x FILTER l", "TS.MGET SELECTED_LABELS x WITHLABELS FILTER l",
                             "TS.MGET WITHLABELS SELECTED_LABELS FILTER", "TS.MGET SELECTED_LABELS FILTER",
                             "TS.MGET SELECTED_LABELS FILTER l!=v"]})
    add({"name": "mget/key-byte-order",
         "commands": ["TS.CREATE b LABELS t 1", "TS.CREATE B LABELS t 1", "TS.CREATE a1 LABELS t 1",
                      "TS.CREATE a10 LABELS t 1", "TS.CREATE a2 LABELS t 1", "TS.CREATE é LABELS t 1",
                      "TS.CREATE Z LABELS t 1", "TS.ADD a2 3 3", "TS.MGET FILTER t=1"]})
    add({"name": "mget/duplicate-labels-withlabels",
         "commands": ["TS.CREATE k LABELS g a g b", "TS.ADD k 1 1", "TS.MGET WITHLABELS FILTER g=b",
                      "TS.MGET SELECTED_LABELS g FILTER g=b"]})
    add({"name": "mget/last-sample-after-out-of-order",
         "commands": ["TS.CREATE k LABELS l v", "TS.ADD k 10 1", "TS.ADD k 5 2", "TS.MGET FILTER l=v"]})

    # ---------------------------------------------------------------- MGET LATEST on rule destinations
    add({"name": "latest/mget-destination",
         "commands": RULES + ["TS.MGET FILTER kind=(raw,agg)", "TS.MGET LATEST FILTER kind=(raw,agg)",
                              "TS.MGET LATEST WITHLABELS FILTER kind=agg"]})
    add({"name": "latest/mget-destination-no-closed-bucket",
         "commands": RULES[:5] + ["TS.MGET LATEST FILTER kind=agg", "TS.ADD src 3 7", "TS.MGET FILTER kind=agg",
                                  "TS.MGET LATEST FILTER kind=agg"]})
    add({"name": "latest/mrange-destination",
         "commands": RULES + ["TS.MRANGE - + FILTER kind=agg", "TS.MRANGE - + LATEST FILTER kind=agg",
                              "TS.MREVRANGE - + LATEST FILTER kind=agg"]})
    add({"name": "latest/mrange-destination-bounds",
         "commands": RULES + ["TS.MRANGE - 9 LATEST FILTER kind=agg", "TS.MRANGE 0 10 LATEST FILTER kind=agg",
                              "TS.MRANGE 11 + LATEST FILTER kind=agg"]})
    add({"name": "latest/mrange-destination-count",
         "commands": RULES + ["TS.MRANGE - + LATEST COUNT 1 FILTER kind=agg",
                              "TS.MREVRANGE - + LATEST COUNT 1 WITHLABELS FILTER kind=agg"]})
    add({"name": "latest/mrange-destination-aggregation",
         "commands": RULES + ["TS.MRANGE - + LATEST AGGREGATION sum 20 FILTER kind=agg"]})
    add({"name": "latest/mrange-destination-filters",
         "commands": RULES + ["TS.MRANGE - + LATEST FILTER_BY_TS 10 FILTER kind=agg",
                              "TS.MRANGE - + LATEST FILTER_BY_VALUE 3 100 FILTER kind=agg"]})
    add({"name": "latest/mrange-destination-groupby",
         "commands": RULES + ["TS.MRANGE - + FILTER kind=agg GROUPBY kind REDUCE sum",
                              "TS.MRANGE - + LATEST FILTER kind=agg GROUPBY kind REDUCE sum",
                              "TS.MRANGE - + LATEST FILTER kind=(raw,agg) GROUPBY g REDUCE max"]})

    # ================================================================ TS.MRANGE / TS.MREVRANGE
    add({"name": "mrange/basic", "commands": BASE + ["TS.MRANGE - + FILTER l=v"]})
    add({"name": "mrevrange/basic-series-still-ascending", "commands": BASE + ["TS.MREVRANGE - + FILTER l=v"]})
    add({"name": "mrange/withlabels", "commands": BASE + ["TS.MRANGE - + WITHLABELS FILTER l=v"]})
    add({"name": "mrange/selected-labels", "commands": BASE + ["TS.MRANGE - + SELECTED_LABELS o n FILTER l=v"]})
    add({"name": "mrange/empty-series-shape",
         "commands": BASE + ["TS.MRANGE - + FILTER l=(v,w)", "TS.MRANGE - + WITHLABELS FILTER l=w",
                             "TS.MREVRANGE - + SELECTED_LABELS n FILTER l=w"]})
    add({"name": "mrange/no-match", "commands": BASE + ["TS.MRANGE - + FILTER l=nothing"]})
    add({"name": "mrange/bounds",
         "commands": BASE + ["TS.MRANGE 10 5 FILTER l=v", "TS.MRANGE 20 20 FILTER l=v", "TS.MRANGE 11 29 FILTER l=v",
                             "TS.MREVRANGE 10 20 FILTER l=v"]})
    add({"name": "mrange/count", "commands": BASE + ["TS.MRANGE - + COUNT 1 FILTER l=v",
                                                     "TS.MREVRANGE - + COUNT 1 FILTER l=v",
                                                     "TS.MRANGE - + COUNT 100 FILTER l=v"]})
    add({"name": "mrange/aggregation", "commands": RANGE + ["TS.MRANGE - + AGGREGATION sum 10 FILTER l=v",
                                                            "TS.MREVRANGE - + AGGREGATION max 10 FILTER l=v"]})
    add({"name": "mrange/aggregation-count-buckets",
         "commands": RANGE + ["TS.MRANGE - + COUNT 1 AGGREGATION sum 10 FILTER l=v",
                              "TS.MRANGE - + AGGREGATION sum 10 COUNT 1 FILTER l=v"]})
    add({"name": "mrange/align",
         "commands": RANGE + ["TS.MRANGE 3 + ALIGN start AGGREGATION sum 10 FILTER l=v",
                              "TS.MRANGE 3 30 ALIGN end AGGREGATION sum 10 FILTER l=v",
                              "TS.MRANGE - + ALIGN 4 AGGREGATION sum 10 FILTER l=v",
                              "TS.MRANGE - + AGGREGATION sum 10 ALIGN - FILTER l=v"]})
    add({"name": "mrange/buckettimestamp",
         "commands": RANGE + ["TS.MRANGE - + AGGREGATION sum 10 BUCKETTIMESTAMP end FILTER l=v",
                              "TS.MRANGE - + AGGREGATION sum 10 BUCKETTIMESTAMP ~ FILTER l=v"]})
    add({"name": "mrange/empty",
         "commands": RANGE + ["TS.MRANGE - + AGGREGATION avg 10 EMPTY FILTER l=v",
                              "TS.MRANGE - + AGGREGATION sum 10 EMPTY FILTER l=v",
                              "TS.MRANGE - + AGGREGATION count 10 BUCKETTIMESTAMP end EMPTY FILTER l=v"]})
    add({"name": "mrange/filter-by-ts",
         "commands": RANGE + ["TS.MRANGE - + FILTER_BY_TS 5 25 1 FILTER l=v",
                              "TS.MRANGE - + FILTER_BY_TS 5 25 AGGREGATION sum 10 FILTER l=v"]})
    add({"name": "mrange/filter-by-value",
         "commands": RANGE + ["TS.MRANGE - + FILTER_BY_VALUE 5 12 FILTER l=v",
                              "TS.MREVRANGE - + FILTER_BY_VALUE 5 50 FILTER_BY_TS 5 12 FILTER l=v"]})
    add({"name": "mrange/options-any-order-before-filter",
         "commands": RANGE + ["TS.MRANGE - + WITHLABELS COUNT 1 FILTER l=v",
                              "TS.MRANGE - + COUNT 1 WITHLABELS FILTER l=v",
                              "TS.MRANGE - + filter_by_value 0 3 withlabels filter l=v"]})
    add({"name": "mrange/option-after-filter-is-a-matcher",
         "commands": RANGE + ["TS.MRANGE - + FILTER l=v COUNT 5", "TS.MRANGE - + FILTER l=v WITHLABELS",
                              "TS.MRANGE - + FILTER l=v latest", "TS.MRANGE - + FILTER l=v FILTER l=v"]})
    add({"name": "mrange/keyword-after-filter-still-scanned",
         "commands": RANGE + ["TS.MRANGE - + FILTER l=v count", "TS.MRANGE - + FILTER l=v aggregation",
                              "TS.MRANGE - + FILTER l=v ALIGN", "TS.MRANGE - + FILTER l=v SELECTED_LABELS"]})
    add({"name": "mrange/unknown-tokens-and-repeats-before-filter-ignored",
         "commands": RANGE + ["TS.MRANGE - + FOO FILTER l=v", "TS.MRANGE - + FILTER_BY_TS 1 2 x FILTER l=v",
                              "TS.MRANGE - + COUNT 1 COUNT x FILTER l=v",
                              "TS.MRANGE - + AGGREGATION max 10 EMPTY EMPTY FILTER l=v"]})
    add({"name": "mrange/range-keyword-after-filter-errors",
         "commands": RANGE + ["TS.MRANGE - + FILTER l=v FILTER_BY_VALUE 1",
                              "TS.MRANGE - + AGGREGATION avg 10 FILTER l=v BUCKETTIMESTAMP",
                              "TS.MRANGE - + FILTER l=v BUCKETTIMESTAMP",
                              "TS.MRANGE - + BUCKETTIMESTAMP end AGGREGATION avg 10 FILTER l=v"]})
    add({"name": "mrange/selected-labels-swallows-non-stop-words",
         "commands": RANGE + ["TS.MRANGE - + SELECTED_LABELS g LATEST FILTER l=v",
                              "TS.MRANGE - + SELECTED_LABELS g EMPTY FILTER l=v",
                              "TS.MRANGE - + SELECTED_LABELS g COUNT 1 FILTER l=v",
                              "TS.MRANGE - + SELECTED_LABELS g ALIGN FILTER l=v"]})
    add({"name": "mrange/repeated-matchers-ok", "commands": RANGE + ["TS.MRANGE - + FILTER l=v l=v g=(x)"]})
    add({"name": "mrange/key-byte-order",
         "commands": ["TS.CREATE b LABELS t 1", "TS.CREATE B LABELS t 1", "TS.CREATE a1 LABELS t 1",
                      "TS.CREATE a10 LABELS t 1", "TS.CREATE a2 LABELS t 1", "TS.CREATE é LABELS t 1",
                      "TS.CREATE 日本 LABELS t 1", "TS.ADD B 1 1", "TS.MRANGE - + FILTER t=1",
                      "TS.MREVRANGE - + FILTER t=1"]})

    # ---------------------------------------------------------------- MRANGE errors and their order
    add({"name": "mrange/errors/arity",
         "commands": ["TS.MRANGE", "TS.MRANGE - +", "TS.MREVRANGE - +", "TS.MRANGE - + FILTER l=v GROUPBY",
                      "TS.MREVRANGE - + FILTER l=v GROUPBY"]})
    add({"name": "mrange/errors/missing-filter",
         "commands": ["TS.MRANGE - + l=v", "TS.MRANGE - + x l=v", "TS.MREVRANGE - + WITHLABELS l=v"]})
    add({"name": "mrange/errors/missing-labels-for-filter",
         "commands": ["TS.MRANGE - + FILTER", "TS.MREVRANGE - + FILTER", "TS.MRANGE - + FILTER GROUPBY l REDUCE max"]})
    add({"name": "mrange/errors/bad-from-to",
         "commands": ["TS.MRANGE x + FILTER l=v", "TS.MRANGE - x FILTER l=v", "TS.MRANGE + - FILTER l=v",
                      "TS.MRANGE -1 + FILTER l=v", "TS.MRANGE 1.5 + FILTER l=v", "TS.MRANGE - -1 FILTER l=v"]})
    add({"name": "mrange/errors/needs-matcher-and-parse",
         "commands": ["TS.MRANGE - + FILTER l!=v", "TS.MRANGE - + FILTER l", "TS.MRANGE - + FILTER l= m!="]})
    add({"name": "mrange/errors/count",
         "commands": ["TS.MRANGE - + COUNT FILTER l=v", "TS.MRANGE - + COUNT x FILTER l=v",
                      "TS.MRANGE - + COUNT -1 FILTER l=v", "TS.MRANGE - + COUNT 0 FILTER l=v"]})
    add({"name": "mrange/errors/aggregation",
         "commands": ["TS.MRANGE - + AGGREGATION foo 10 FILTER l=v", "TS.MRANGE - + AGGREGATION avg 0 FILTER l=v",
                      "TS.MRANGE - + AGGREGATION avg FILTER l=v", "TS.MRANGE - + AGGREGATION avg -5 FILTER l=v"]})
    add({"name": "mrange/errors/align",
         "commands": ["TS.MRANGE - + ALIGN start FILTER l=v",
                      "TS.MRANGE - + AGGREGATION avg 10 ALIGN start FILTER l=v",
                      "TS.MRANGE - + AGGREGATION avg 10 ALIGN end FILTER l=v",
                      "TS.MRANGE - + AGGREGATION avg 10 ALIGN foo FILTER l=v"]})
    add({"name": "mrange/errors/filter-by",
         "commands": ["TS.MRANGE - + FILTER_BY_VALUE 1 FILTER l=v", "TS.MRANGE - + FILTER_BY_VALUE x 1 FILTER l=v",
                      "TS.MRANGE - + FILTER_BY_TS FILTER l=v", "TS.MRANGE - + FILTER_BY_TS x FILTER l=v"]})
    add({"name": "mrange/errors/buckettimestamp-and-empty",
         "commands": ["TS.MRANGE - + AGGREGATION avg 10 BUCKETTIMESTAMP foo FILTER l=v",
                      "TS.MRANGE - + EMPTY AGGREGATION avg 10 FILTER l=v"]})
    add({"name": "mrange/errors/labels-options",
         "commands": ["TS.MRANGE - + WITHLABELS SELECTED_LABELS l FILTER l=v",
                      "TS.MRANGE - + SELECTED_LABELS FILTER l=v"]})
    add({"name": "mrange/errors/selected-labels-51",
         "commands": ["TS.MRANGE - + SELECTED_LABELS %s FILTER l=v" % " ".join("x%d" % i for i in range(51))]})
    add({"name": "mrange/errors/precedence-range-args-first",
         "commands": ["TS.MRANGE x y FILTER", "TS.MRANGE - + COUNT x FILTER", "TS.MRANGE - + COUNT x",
                      "TS.MRANGE - + AGGREGATION foo 1 WITHLABELS SELECTED_LABELS l",
                      "TS.MRANGE - + FILTER_BY_TS x GROUPBY l REDUCE max FILTER l"]})
    add({"name": "mrange/errors/precedence-filter-then-labels-then-groupby",
         "commands": ["TS.MRANGE - + WITHLABELS SELECTED_LABELS l", "TS.MRANGE - + GROUPBY l REDUCE max",
                      "TS.MRANGE - + WITHLABELS SELECTED_LABELS l FILTER l GROUPBY",
                      "TS.MRANGE - + SELECTED_LABELS GROUPBY l REDUCE max FILTER l=v",
                      "TS.MRANGE - + GROUPBY l REDUCE max FILTER l=v"]})
    add({"name": "mrange/errors/precedence-filter-before-reducer",
         "commands": ["TS.MRANGE - + FILTER l!=x GROUPBY l REDUCE foo", "TS.MRANGE - + FILTER l GROUPBY l REDUCE foo",
                      "TS.MRANGE - + FILTER l=v GROUPBY l REDUCE foo"]})

    # ================================================================ GROUPBY / REDUCE
    for r in ["avg", "sum", "min", "max", "range", "count", "std.p", "std.s", "var.p", "var.s"]:
        add({"name": "mrange/groupby/reduce-" + r,
             "commands": GROUP + ["TS.MRANGE - + FILTER t=(a,b) GROUPBY g REDUCE " + r]})
    add({"name": "mrange/groupby/reducer-case-and-label-text",
         "commands": GROUP + ["TS.MRANGE - + WITHLABELS FILTER t=(a,b) GROUPBY g REDUCE AVG",
                              "TS.MRANGE - + WITHLABELS FILTER t=(a,b) GROUPBY g REDUCE Std.S"]})
    add({"name": "mrange/groupby/invalid-reducers",
         "commands": GROUP + ["TS.MRANGE - + FILTER t=a GROUPBY g REDUCE first",
                              "TS.MRANGE - + FILTER t=a GROUPBY g REDUCE last",
                              "TS.MRANGE - + FILTER t=a GROUPBY g REDUCE twa",
                              "TS.MRANGE - + FILTER t=a GROUPBY g REDUCE foo"]})
    add({"name": "mrange/groupby/withlabels-source-order",
         "commands": GROUP + ["TS.MRANGE - + WITHLABELS FILTER t=(a,b) GROUPBY t REDUCE sum"]})
    add({"name": "mrange/groupby/series-without-label-dropped",
         "commands": GROUP + ["TS.MRANGE - + WITHLABELS FILTER t=a GROUPBY g REDUCE max"]})
    add({"name": "mrange/groupby/no-series-has-label",
         "commands": GROUP + ["TS.MRANGE - + FILTER t=(a,b) GROUPBY nolabel REDUCE sum",
                              "TS.MRANGE - + FILTER t=(a,b) GROUPBY G REDUCE sum"]})
    add({"name": "mrange/groupby/no-match", "commands": GROUP + ["TS.MRANGE - + FILTER t=zz GROUPBY g REDUCE sum"]})
    add({"name": "mrange/groupby/group-and-source-byte-order",
         "commands": ["TS.CREATE k1 LABELS t 1 g b", "TS.CREATE k2 LABELS t 1 g B", "TS.CREATE k3 LABELS t 1 g é",
                      "TS.CREATE k4 LABELS t 1 g 10", "TS.CREATE k5 LABELS t 1 g 9", "TS.CREATE k0 LABELS t 1 g b",
                      "TS.CREATE K9 LABELS t 1 g b", "TS.ADD k1 1 1", "TS.ADD k0 1 2", "TS.ADD K9 2 5",
                      "TS.MRANGE - + WITHLABELS FILTER t=1 GROUPBY g REDUCE sum",
                      "TS.MREVRANGE - + WITHLABELS FILTER t=1 GROUPBY g REDUCE sum"]})
    add({"name": "mrange/groupby/mrevrange",
         "commands": GROUP + ["TS.MREVRANGE - + FILTER t=(a,b) GROUPBY g REDUCE sum"]})
    add({"name": "mrange/groupby/selected-labels",
         "commands": GROUP + ["TS.MRANGE - + SELECTED_LABELS g __reducer__ __source__ t FILTER t=(a,b) GROUPBY g REDUCE max",
                              "TS.MRANGE - + SELECTED_LABELS t FILTER t=(a,b) GROUPBY g REDUCE max"]})
    add({"name": "mrange/groupby/empty-group-still-listed",
         "commands": ["TS.CREATE a LABELS l v g x", "TS.CREATE b LABELS l v g y", "TS.ADD a 1 1",
                      "TS.MRANGE - + WITHLABELS FILTER l=v GROUPBY g REDUCE max",
                      "TS.MREVRANGE - + FILTER l=v GROUPBY g REDUCE max"]})
    add({"name": "mrange/groupby/after-aggregation",
         "commands": GROUP + ["TS.MRANGE - + AGGREGATION sum 5 FILTER t=(a,b) GROUPBY g REDUCE max",
                              "TS.MRANGE - + AGGREGATION count 5 FILTER t=(a,b) GROUPBY g REDUCE sum"]})
    add({"name": "mrange/groupby/count",
         "commands": GROUP + ["TS.MRANGE - + COUNT 1 FILTER t=(a,b) GROUPBY g REDUCE sum",
                              "TS.MREVRANGE - + COUNT 1 FILTER t=(a,b) GROUPBY g REDUCE sum",
                              "TS.MRANGE - + COUNT 2 AGGREGATION max 3 FILTER t=(a,b) GROUPBY g REDUCE sum",
                              "TS.MRANGE - + COUNT 3 FILTER t=(a,b) GROUPBY g REDUCE sum"]})
    add({"name": "mrange/groupby/filter-by-value-and-ts",
         "commands": GROUP + ["TS.MRANGE - + FILTER_BY_VALUE 2 8 FILTER t=(a,b) GROUPBY g REDUCE sum",
                              "TS.MRANGE - + FILTER_BY_TS 1 4 FILTER t=(a,b) GROUPBY g REDUCE sum",
                              "TS.MRANGE 2 4 FILTER t=(a,b) GROUPBY g REDUCE sum"]})
    add({"name": "mrange/groupby/align-and-buckettimestamp",
         "commands": RANGE + ["TS.MRANGE 0 + ALIGN start AGGREGATION sum 10 FILTER l=v GROUPBY g REDUCE sum",
                              "TS.MRANGE - + AGGREGATION sum 10 BUCKETTIMESTAMP mid FILTER l=v GROUPBY g REDUCE min"]})
    add({"name": "mrange/groupby/nan-inputs-skipped",
         "commands": RANGE + ["TS.CREATE c LABELS l v g y", "TS.MADD c 25 3"]
         + ["TS.MRANGE - + AGGREGATION avg 10 EMPTY FILTER l=v GROUPBY g REDUCE " + r
            for r in ["avg", "sum", "min", "max", "range", "count", "std.s", "var.p"]]})
    nan_cmds = ["TS.CREATE b LABELS l v g x", "TS.MADD b 2 2 b 5 50 b 25 25"] + [
        "TS.MRANGE - + AGGREGATION avg 10 EMPTY FILTER l=v GROUPBY g REDUCE " + r
        for r in ["avg", "sum", "min", "max", "range", "std.s", "count"]]
    add({"name": "mrange/groupby/all-nan-timestamp",
         "commands": nan_cmds,
         "fixed": {8: ([["g=x", [], [[0, "1"], [10, "0"], [20, "1"]]]],
                       "count-type reducers give 0, not NaN, at a timestamp where every input is NaN "
                       "(later RedisTimeSeries: multiseries_agg_dup_sample_iterator finalizeEmpty); "
                       "1.12 gives NaN")}})
    add({"name": "mrange/groupby/duplicate-label-uses-first",
         "commands": ["TS.CREATE k1 LABELS t 1 g a g b", "TS.CREATE k2 LABELS t 1 g b", "TS.ADD k1 1 1",
                      "TS.ADD k2 1 2", "TS.MRANGE - + WITHLABELS FILTER t=1 GROUPBY g REDUCE sum",
                      "TS.MRANGE - + FILTER g=b GROUPBY g REDUCE sum"]})
    add({"name": "mrange/groupby/value-with-equals-and-spaces",
         "commands": ['TS.CREATE k1 LABELS t 1 g "a=b c"', "TS.ADD k1 1 1",
                      "TS.MRANGE - + WITHLABELS FILTER t=1 GROUPBY g REDUCE sum"]})
    add({"name": "mrange/groupby/multibyte-group",
         "commands": ["TS.CREATE k1 LABELS t 1 城市 東京", "TS.CREATE k2 LABELS t 1 城市 大阪", "TS.ADD k1 1 1",
                      "TS.ADD k2 1 2", "TS.MRANGE - + WITHLABELS FILTER t=1 GROUPBY 城市 REDUCE max"]})
    add({"name": "mrange/groupby/keywords-case-insensitive",
         "commands": GROUP + ["TS.MRANGE - + filter t=(a,b) groupby g reduce sum"]})
    add({"name": "mrange/groupby/label-named-reduce-quirk",
         "commands": ["TS.CREATE a LABELS l v REDUCE r", "TS.ADD a 1 1",
                      "TS.MRANGE - + FILTER l=v GROUPBY REDUCE max x",
                      "TS.MRANGE - + WITHLABELS FILTER l=v GROUPBY REDUCE max REDUCE"]})
    add({"name": "mrange/groupby/count-keyword-vs-aggregator-and-reducer",
         "commands": GROUP + ["TS.MRANGE - + AGGREGATION count 5 FILTER t=(a,b) GROUPBY g REDUCE count",
                              "TS.MRANGE - + AGGREGATION count 5 COUNT 1 FILTER t=(a,b) GROUPBY g REDUCE count",
                              "TS.MRANGE - + COUNT 1 AGGREGATION count 5 FILTER t=(a,b) GROUPBY g REDUCE count",
                              "TS.MRANGE - + AGGREGATION COUNT 5 COUNT FILTER t=(a,b)",
                              "TS.MRANGE - + FILTER t=(a,b) GROUPBY count REDUCE count"]})
    add({"name": "mrange/groupby/errors-arity",
         "commands": GROUP + ["TS.MRANGE - + FILTER t=a GROUPBY g REDUCE", "TS.MRANGE - + FILTER t=a GROUPBY g",
                              "TS.MRANGE - + FILTER t=a GROUPBY", "TS.MRANGE - + FILTER t=a GROUPBY g REDUCE sum extra",
                              "TS.MRANGE - + FILTER t=a GROUPBY g FOO sum",
                              "TS.MRANGE - + FILTER t=a GROUPBY g REDUCE max GROUPBY",
                              "TS.MRANGE - + REDUCE sum FILTER t=a GROUPBY g x"]})
    add({"name": "mrange/groupby/errors-reduce-reduce",
         "commands": GROUP + ["TS.MRANGE - + FILTER t=a GROUPBY g REDUCE REDUCE",
                              "TS.MRANGE - + FILTER t=a GROUPBY REDUCE REDUCE max"]})
    add({"name": "mrange/groupby/before-filter",
         "commands": GROUP + ["TS.MRANGE - + GROUPBY g REDUCE max FILTER t=a", "TS.MRANGE - + GROUPBY g FILTER t=a"]})
    return c
