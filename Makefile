# The two commands (see README.md). Both install what is missing first.
.PHONY: run demo test bench
run:
	scripts/run
demo:
	scripts/run --demo
test:
	scripts/test
bench:
	scripts/bench
