"""Labels (TS.CREATE / TS.ALTER / TS.ADD / TS.INCRBY auto-create), the FILTER grammar and TS.QUERYINDEX.

Spec: docs/semantics/multi.md (sections 1-3). Errors: docs/semantics/errors-multi.md.
Labels are observed through TS.QUERYINDEX / TS.MGET WITHLABELS where possible; TS.INFO is used only
where a label set has to be seen whole (memoryUsage masked).
"""

INFO_MASK = ["memoryUsage", "chunkCount"]

# A small universe for filter cases: keys a..e, labels l / m.
UNIVERSE = [
    "TS.CREATE a LABELS l v m x",
    "TS.CREATE b LABELS l w",
    "TS.CREATE c LABELS m y",
    'TS.CREATE d LABELS l "v w"',
    "TS.CREATE e LABELS l V m x",
]


def u(*cmds):
    return UNIVERSE + list(cmds)


def cases():
    c = []
    add = c.append

    # ---------------------------------------------------------------- label validation
    add({"name": "labels/create-basic",
         "commands": ["TS.CREATE k LABELS a 1 b 2", "TS.MGET WITHLABELS FILTER a=1"]})
    add({"name": "labels/create-order-kept",
         "commands": ["TS.CREATE k LABELS z 1 a 2 m 3", "TS.MGET WITHLABELS FILTER z=1"]})
    add({"name": "labels/create-empty-list",
         "commands": ["TS.CREATE k LABELS", "TS.INFO k"], "mask": INFO_MASK})
    add({"name": "labels/create-odd-single-name-ignored",
         "commands": ["TS.CREATE k LABELS a", "TS.INFO k", "TS.QUERYINDEX a="], "mask": INFO_MASK})
    add({"name": "labels/create-odd-trailing-name-dropped",
         "commands": ["TS.CREATE k LABELS a 1 b", "TS.MGET WITHLABELS FILTER a=1", "TS.QUERYINDEX a=1 b!="]})
    add({"name": "labels/create-empty-name",
         "commands": ['TS.CREATE k LABELS "" 1', "EXISTS k"]})
    add({"name": "labels/create-empty-value",
         "commands": ['TS.CREATE k LABELS a ""', "EXISTS k"]})
    add({"name": "labels/create-empty-value-after-good-pair",
         "commands": ['TS.CREATE k LABELS a 1 b ""', "TS.QUERYINDEX a=1"]})
    add({"name": "labels/value-with-paren-open",
         "commands": ['TS.CREATE k LABELS a "x(y"']})
    add({"name": "labels/value-with-paren-close",
         "commands": ['TS.CREATE k LABELS a "x)y"']})
    add({"name": "labels/value-with-comma",
         "commands": ['TS.CREATE k LABELS a "x,y"']})
    add({"name": "labels/name-with-paren-comma-accepted",
         "commands": ['TS.CREATE k LABELS "a(" 1 "b)" 2 "c,d" 3',
                      'TS.MGET WITHLABELS FILTER "a(=1"', 'TS.QUERYINDEX "c,d=3"']})
    add({"name": "labels/space-in-name-and-value",
         "commands": ['TS.CREATE k LABELS "a b" "c d"', 'TS.QUERYINDEX "a b=c d"', 'TS.QUERYINDEX "a b=(c d)"',
                      'TS.MGET WITHLABELS FILTER "a b=c d"']})
    add({"name": "labels/equals-in-value-stored-but-not-matchable",
         "commands": ['TS.CREATE k LABELS a "x=y" z 1', "TS.MGET WITHLABELS FILTER z=1", "TS.QUERYINDEX a=x=y",
                      "TS.QUERYINDEX a=x", "TS.QUERYINDEX a=(x=y)", "TS.QUERYINDEX z=1 a!="]})
    add({"name": "labels/equals-in-name",
         "commands": ["TS.CREATE k LABELS a=b 1 z 1", "TS.MGET WITHLABELS FILTER z=1", "TS.QUERYINDEX a=b=1"]})
    add({"name": "labels/bang-in-name-and-value",
         "commands": ['TS.CREATE k LABELS "a!" 1 e "f!g"', 'TS.QUERYINDEX "e=f!g"', 'TS.QUERYINDEX "e=(f!g)"',
                      'TS.MGET WITHLABELS FILTER "e=f!g"']})
    add({"name": "labels/duplicate-names-kept",
         "commands": ["TS.CREATE k LABELS a 1 a 2", "TS.QUERYINDEX a=1", "TS.QUERYINDEX a=2",
                      "TS.MGET WITHLABELS FILTER a=2"]})
    add({"name": "labels/multibyte-utf8",
         "commands": ["TS.CREATE k LABELS é ü 日本 語", "TS.QUERYINDEX é=ü", "TS.QUERYINDEX 日本=(語,x)",
                      "TS.MGET WITHLABELS FILTER é=ü"]})
    add({"name": "labels/case-sensitive",
         "commands": ["TS.CREATE k LABELS Host A", "TS.QUERYINDEX host=A", "TS.QUERYINDEX Host=a",
                      "TS.QUERYINDEX Host=A"]})
    add({"name": "labels/keyword-lowercase-accepted",
         "commands": ["TS.CREATE k labels a 1", "TS.QUERYINDEX a=1"]})
    add({"name": "labels/list-runs-to-end-of-command",
         "commands": ["TS.CREATE k LABELS a 1 RETENTION 100", "TS.MGET WITHLABELS FILTER a=1",
                      "TS.INFO k"], "mask": INFO_MASK})
    add({"name": "labels/options-before-labels",
         "commands": ["TS.CREATE k RETENTION 100 LABELS a 1", "TS.MGET WITHLABELS FILTER a=1"]})
    add({"name": "labels/first-labels-keyword-wins",
         "commands": ["TS.CREATE k LABELS a 1 LABELS b 2", "TS.MGET WITHLABELS FILTER a=1"]})
    add({"name": "labels/trailing-labels-keyword-odd",
         "commands": ["TS.CREATE k LABELS a 1 LABELS", "TS.MGET WITHLABELS FILTER a=1"]})
    add({"name": "labels/value-that-is-a-keyword",
         "commands": ["TS.CREATE k LABELS a LABELS", "TS.MGET WITHLABELS FILTER a=LABELS"]})
    add({"name": "labels/option-keyword-inside-list-is-still-an-option",
         "commands": ["TS.CREATE k LABELS a RETENTION", "EXISTS k",
                      "TS.CREATE k2 LABELS a 1 DUPLICATE_POLICY", "TS.CREATE k3 LABELS a 1 ENCODING foo"]})
    add({"name": "labels/error-precedence-labels-before-retention",
         "commands": ['TS.CREATE k LABELS a "" RETENTION x', 'TS.CREATE k RETENTION x LABELS a ""',
                      "TS.CREATE k LABELS a 1 RETENTION x"]})
    add({"name": "labels/key-named-labels-quirk",
         "commands": ["TS.ADD LABELS 1 1", "TS.QUERYINDEX 1=1", "TS.CREATE labels", "TS.QUERYINDEX 1!= 1=1",
                      "TS.CREATE retention RETENTION 5", "EXISTS retention"]})
    add({"name": "labels/keyword-case-in-value-matters-for-filter",
         "commands": ["TS.CREATE x LABELS a filter", "TS.MGET WITHLABELS FILTER a=filter",
                      "TS.MGET WITHLABELS FILTER a=FILTER"]})

    # ---------------------------------------------------------------- TS.ALTER
    add({"name": "labels/alter-replaces-set",
         "commands": ["TS.CREATE k LABELS a 1 b 2", "TS.ALTER k LABELS c 3", "TS.QUERYINDEX a=1",
                      "TS.QUERYINDEX b=2", "TS.MGET WITHLABELS FILTER c=3"]})
    add({"name": "labels/alter-empty-list-clears",
         "commands": ["TS.CREATE k LABELS a 1", "TS.ALTER k LABELS", "TS.QUERYINDEX a=1", "TS.INFO k"],
         "mask": INFO_MASK})
    add({"name": "labels/alter-odd-single-clears",
         "commands": ["TS.CREATE k LABELS a 1", "TS.ALTER k LABELS x", "TS.QUERYINDEX a=1", "TS.QUERYINDEX x=",
                      "TS.INFO k"], "mask": INFO_MASK})
    add({"name": "labels/alter-without-labels-keeps-set",
         "commands": ["TS.CREATE k LABELS a 1", "TS.ALTER k RETENTION 5", "TS.MGET WITHLABELS FILTER a=1"]})
    add({"name": "labels/alter-bad-value-keeps-old-set",
         "commands": ["TS.CREATE k LABELS a 1", 'TS.ALTER k LABELS a ""', 'TS.ALTER k LABELS b "(1"',
                      "TS.MGET WITHLABELS FILTER a=1"]})
    add({"name": "labels/alter-missing-key",
         "commands": ["TS.ALTER nokey LABELS x 1", 'TS.ALTER nokey LABELS x ""']})
    add({"name": "labels/alter-list-swallows-options",
         "commands": ["TS.CREATE k LABELS a 1", "TS.ALTER k LABELS a 1 DUPLICATE_POLICY LAST",
                      "TS.MGET WITHLABELS FILTER a=1"]})
    add({"name": "labels/alter-to-same-value-then-requery",
         "commands": ["TS.CREATE k LABELS a 1", "TS.CREATE j LABELS a 2", "TS.ALTER j LABELS a 1",
                      "TS.QUERYINDEX a=1", "TS.QUERYINDEX a=2"]})

    # ---------------------------------------------------------------- TS.ADD / TS.INCRBY auto-create
    add({"name": "labels/add-autocreate-with-labels",
         "commands": ["TS.ADD k 1 1 LABELS a 1", "TS.MGET WITHLABELS FILTER a=1"]})
    add({"name": "labels/add-autocreate-bad-labels-creates-nothing",
         "commands": ['TS.ADD k 1 1 LABELS a ""', "EXISTS k", 'TS.ADD k 1 1 LABELS a "("', "EXISTS k"]})
    add({"name": "labels/add-autocreate-odd-labels",
         "commands": ["TS.ADD k 1 1 LABELS a", "TS.INFO k"], "mask": INFO_MASK})
    add({"name": "labels/add-existing-ignores-labels",
         "commands": ["TS.CREATE k LABELS a 1", "TS.ADD k 2 1 LABELS b 2", 'TS.ADD k 3 1 LABELS a ""',
                      'TS.ADD k 4 1 LABELS a "x,y"', "TS.MGET WITHLABELS FILTER a=1", "TS.QUERYINDEX b=2"]})
    add({"name": "labels/incrby-autocreate-with-labels",
         "commands": ["TS.INCRBY k 2 TIMESTAMP 5 LABELS a 1", "TS.INCRBY k 2 TIMESTAMP 6 LABELS b 1",
                      "TS.MGET WITHLABELS FILTER a=1", "TS.QUERYINDEX b=1"]})
    add({"name": "labels/incrby-decrby-bad-labels-create-nothing",
         "commands": ['TS.INCRBY i 1 TIMESTAMP 5 LABELS a ""', "EXISTS i",
                      'TS.DECRBY d 1 TIMESTAMP 5 LABELS a 1 b "x,y"', "EXISTS d"]})

    # ---------------------------------------------------------------- filter grammar
    add({"name": "filter/eq", "commands": u("TS.QUERYINDEX l=v")})
    add({"name": "filter/eq-value-with-space", "commands": u('TS.QUERYINDEX "l=v w"')})
    add({"name": "filter/eq-case-sensitive", "commands": u("TS.QUERYINDEX l=V", "TS.QUERYINDEX L=v")})
    add({"name": "filter/neq-alone-needs-matcher", "commands": u("TS.QUERYINDEX l!=v")})
    add({"name": "filter/neq-with-matcher", "commands": u("TS.QUERYINDEX m=x l!=v", "TS.QUERYINDEX m=x l!=nothing")})
    add({"name": "filter/neq-excludes-lacking-label-not", "commands": u("TS.QUERYINDEX m=(x,y) l!=v")})
    add({"name": "filter/absent-alone-needs-matcher", "commands": u("TS.QUERYINDEX l=")})
    add({"name": "filter/absent-with-matcher", "commands": u("TS.QUERYINDEX m=(x,y) l=", "TS.QUERYINDEX l=v l=")})
    add({"name": "filter/present-alone-needs-matcher", "commands": u("TS.QUERYINDEX l!=")})
    add({"name": "filter/present-with-matcher", "commands": u("TS.QUERYINDEX m=(x,y) l!=", "TS.QUERYINDEX l=(v,w) m!=")})
    add({"name": "filter/only-negatives-needs-matcher",
         "commands": u("TS.QUERYINDEX m= l!=", "TS.QUERYINDEX l!=v m!=(x) l=")})
    add({"name": "filter/list-match", "commands": u("TS.QUERYINDEX m=(x,y)", "TS.QUERYINDEX l=(v,w,v)")})
    add({"name": "filter/list-match-single", "commands": u("TS.QUERYINDEX l=(v)")})
    add({"name": "filter/list-match-with-spaces-kept",
         "commands": u('TS.QUERYINDEX "l=(v w,w)"', 'TS.QUERYINDEX "l=( v w , w )"')})
    add({"name": "filter/list-notmatch-alone-needs-matcher", "commands": u("TS.QUERYINDEX m!=(x,y)")})
    add({"name": "filter/list-notmatch-with-matcher",
         "commands": u("TS.QUERYINDEX m!= l!=(w,V)", "TS.QUERYINDEX l=(v,w,V) l!=(v)")})
    add({"name": "filter/empty-list-match-counts-as-matcher-matches-nothing",
         "commands": u("TS.QUERYINDEX l=()", "TS.QUERYINDEX l=() m=x")})
    add({"name": "filter/empty-list-notmatch-excludes-nothing",
         "commands": u("TS.QUERYINDEX l!=()", "TS.QUERYINDEX l!=() m=x")})
    add({"name": "filter/and-of-positives", "commands": u("TS.QUERYINDEX l=v m=x", "TS.QUERYINDEX l=v l=w",
                                                          "TS.QUERYINDEX l=(v,V) m=(x)", "TS.QUERYINDEX l=(v,w) l=(w,V)")})
    add({"name": "filter/same-matcher-twice", "commands": u("TS.QUERYINDEX l=v l=v", "TS.QUERYINDEX l=(v) l=(v,w)")})
    add({"name": "filter/eq-and-neq-same-value", "commands": u("TS.QUERYINDEX l=v l!=v")})
    add({"name": "filter/no-operator", "commands": u("TS.QUERYINDEX l", "TS.QUERYINDEX l=v x")})
    add({"name": "filter/empty-string", "commands": u('TS.QUERYINDEX ""')})
    add({"name": "filter/bang-without-equals", "commands": u("TS.QUERYINDEX l!v")})
    add({"name": "filter/unclosed-list", "commands": u("TS.QUERYINDEX l=(v", "TS.QUERYINDEX l=(",
                                                       "TS.QUERYINDEX l!=( l=v")})
    add({"name": "filter/list-empty-element",
         "commands": u("TS.QUERYINDEX l=(v,)", "TS.QUERYINDEX l=(,v)", "TS.QUERYINDEX l=(,)",
                       'TS.QUERYINDEX "l=(v,,w)"')})
    add({"name": "filter/list-junk-after-paren", "commands": u("TS.QUERYINDEX l=(v)x", "TS.QUERYINDEX l=()x")})
    add({"name": "filter/bare-operators",
         "commands": u('TS.QUERYINDEX "="', 'TS.QUERYINDEX "!="', 'TS.QUERYINDEX "=("', 'TS.QUERYINDEX "=()"',
                       'TS.QUERYINDEX "=(v)"')})
    add({"name": "filter/parse-error-beats-matcher-error",
         "commands": u("TS.QUERYINDEX l!=v x", "TS.QUERYINDEX x l!=v", "TS.QUERYINDEX l=(v) =")})
    add({"name": "filter/strtok-leading-equals-is-skipped",
         "commands": u("TS.QUERYINDEX =v", "TS.QUERYINDEX !=v", "TS.QUERYINDEX m=x =l", "TS.QUERYINDEX m=x !=l")})
    add({"name": "filter/strtok-double-equals", "commands": u("TS.QUERYINDEX l==v")})
    add({"name": "filter/strtok-value-cut-at-second-equals", "commands": u("TS.QUERYINDEX l=v=x")})
    add({"name": "filter/strtok-neq-value-cut-at-bang",
         "commands": u("TS.QUERYINDEX m=x l!=v!=w", "TS.QUERYINDEX m=x l=a!=v")})
    add({"name": "filter/list-only-first-group-used",
         "commands": u("TS.QUERYINDEX l=(v)(w)", "TS.QUERYINDEX l=(w)(v)", "TS.QUERYINDEX l!=(v)(w) l=(v,w)")})
    add({"name": "filter/nested-paren-value", "commands": u("TS.QUERYINDEX l=((v))")})
    add({"name": "filter/paren-not-after-equals-is-plain-value",
         "commands": u("TS.QUERYINDEX l=x(v)", "TS.QUERYINDEX l=v)", 'TS.QUERYINDEX "l=)"', 'TS.QUERYINDEX "(=v"')})
    add({"name": "filter/comma-without-parens-is-plain-value", "commands": u("TS.QUERYINDEX l=v,w")})
    add({"name": "filter/spaces-not-trimmed",
         "commands": u('TS.QUERYINDEX "l = v"', 'TS.QUERYINDEX " l=v"', 'TS.QUERYINDEX "l=v "')})
    add({"name": "filter/list-value-with-equals-rejected", "commands": u("TS.QUERYINDEX l=(b=c)")})
    add({"name": "filter/present-with-list-in-one", "commands": u("TS.QUERYINDEX l!= l=(v,w)")})
    add({"name": "filter/keyword-token-is-a-bad-matcher",
         "commands": u("TS.QUERYINDEX FILTER l=v", "TS.QUERYINDEX l=v FILTER")})

    # ---------------------------------------------------------------- TS.QUERYINDEX
    add({"name": "queryindex/arity", "commands": ["TS.QUERYINDEX"]})
    add({"name": "queryindex/empty-db", "commands": ["TS.QUERYINDEX a=1"]})
    add({"name": "queryindex/no-labels-series-invisible",
         "commands": ["TS.CREATE k", "TS.CREATE j LABELS a 1", "TS.QUERYINDEX a=1", "TS.QUERYINDEX a!= a=(1)"]})
    add({"name": "queryindex/byte-order-of-keys",
         "commands": ["TS.CREATE b LABELS t 1", "TS.CREATE B LABELS t 1", "TS.CREATE a LABELS t 1",
                      "TS.CREATE A LABELS t 1", "TS.CREATE _x LABELS t 1", "TS.CREATE 10 LABELS t 1",
                      "TS.CREATE 9 LABELS t 1", "TS.CREATE é LABELS t 1", "TS.CREATE z LABELS t 1",
                      'TS.CREATE "a b" LABELS t 1', "TS.CREATE ab LABELS t 1", 'TS.CREATE "~" LABELS t 1',
                      "TS.CREATE 日本 LABELS t 1", "TS.CREATE ÿ LABELS t 1", "TS.QUERYINDEX t=1"]})
    add({"name": "queryindex/byte-order-nul-key",
         "commands": ['TS.CREATE "a\\x00" LABELS t 1', 'TS.CREATE "a b" LABELS t 1', "TS.CREATE a LABELS t 1",
                      "TS.QUERYINDEX t=1"]})
    add({"name": "queryindex/key-prefix-order",
         "commands": ["TS.CREATE k10 LABELS t 1", "TS.CREATE k1 LABELS t 1", "TS.CREATE k2 LABELS t 1",
                      "TS.CREATE k LABELS t 1", "TS.QUERYINDEX t=1"]})
    add({"name": "queryindex/list-match-union-sorted",
         "commands": ["TS.CREATE z1 LABELS t a", "TS.CREATE a1 LABELS t b", "TS.CREATE m1 LABELS t c",
                      "TS.QUERYINDEX t=(c,a,b)"]})
    add({"name": "queryindex/reflects-alter",
         "commands": ["TS.CREATE k LABELS a 1", "TS.ALTER k LABELS a 2", "TS.QUERYINDEX a=1", "TS.QUERYINDEX a=2",
                      "TS.QUERYINDEX a!= a=(1,2)"]})
    add({"name": "queryindex/del-removes-from-index",
         "commands": ["TS.CREATE a LABELS l v", "TS.CREATE b LABELS l v", "DEL a", "TS.QUERYINDEX l=v",
                      "TS.MGET FILTER l=v", "TS.CREATE a LABELS l w", "TS.QUERYINDEX l=(v,w)"]})
    add({"name": "queryindex/rename-moves-index-entry",
         "commands": ["TS.CREATE b LABELS l v", "TS.ADD b 1 5", "RENAME b c", "TS.QUERYINDEX l=v",
                      "TS.MGET WITHLABELS FILTER l=v"]})
    add({"name": "queryindex/many-series",
         "commands": ["TS.CREATE s%d LABELS t %s g %d" % (i, "odd" if i % 2 else "even", i % 3) for i in range(12)]
         + ["TS.QUERYINDEX t=odd", "TS.QUERYINDEX t=(odd,even) g!=0", "TS.QUERYINDEX g=(1,2) t!=odd"]})
    return c
