# The two commands of the README. Both set up .venv first (idempotent).
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup run test bench lint

setup:
	./scripts/setup.sh

# Index the default course (Fall 2020 Deep Learning), show a few answers, then chat.
run: setup
	.venv/bin/coursebot index
	.venv/bin/coursebot ask "when is hw2 due?" --now 2020-10-19T09:00-05:00
	.venv/bin/coursebot ask "what's due this week?" --now 2020-10-19T09:00-05:00
	.venv/bin/coursebot chat --now 2020-10-19T09:00-05:00

test: setup
	.venv/bin/ruff check bot tests bench
	.venv/bin/mypy
	.venv/bin/pytest -p no:cacheprovider

bench: setup
	.venv/bin/python bench/answer_bench.py
	.venv/bin/python bench/reindex_bench.py
	.venv/bin/python bench/reminders_bench.py
	.venv/bin/python bench/discord_load.py
	.venv/bin/python bench/encoder_bench.py
	.venv/bin/python bench/robustness.py
