# `make bench`: the product beside a bare Starlette app on the same uvicorn set-up, driven by wrk
# (Debian's package) on loopback. Not part of `make test`: timings on a shared machine are noisy,
# so it prints ratios of interleaved runs. BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS tune it.

.PHONY: bench wrk

wrk:
	$(call apt-install,command -v wrk,wrk,bench)

# Both apps start from compiled modules, as the image's do (the machine may set PYTHONDONTWRITEBYTECODE).
bench: $(TEST_STAMP) wrk
	$(BIN)/python -m compileall -q server bench
	$(BIN)/python -m bench.bench
