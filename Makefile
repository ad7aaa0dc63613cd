# Entry points; the scripts under tools/ do the work.
.PHONY: setup build demo test bench mock serve clean

setup:
	tools/setup.sh

build: setup
	tools/build.sh

demo: build
	node www/edge/demo.mjs

test:
	tools/test.sh

bench: build
	node bench/run.mjs

mock:
	node tests/fake-coasty/cli.mjs

serve: build
	node tools/serve.mjs

clean:
	rm -rf pkg target test-output
