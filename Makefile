# The two commands (see README.md). Both install what is missing first.
.PHONY: run demo test test-cluster cluster bench
run:
	scripts/run
demo:
	scripts/run --demo
test:
	scripts/test
# Several servers on one machine (see docs/operations.md: Running several servers).
cluster:
	scripts/cluster
test-cluster:
	scripts/test-cluster
bench:
	scripts/bench
