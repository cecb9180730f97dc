# Set-up and everyday commands. `make run` serves the portal; `make test` runs every test
# (on SQLite, or on the PostgreSQL server DATABASE_URL names); `make test-pg` runs every test on
# a throwaway PostgreSQL server it starts and stops itself (.ci/with-postgres).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
STAMP := $(VENV)/.installed

.PHONY: run serve test test-pg setup db translations messages bench load-bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,server]'
	touch $(STAMP)

setup: $(STAMP) translations

translations: $(STAMP)
	@if ls portal/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile --statistics -d portal/translations; fi

# Re-extract the UI strings and update the English catalog (then translate what is new).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -o /tmp/portal-messages.pot .
	$(BIN)/pybabel update -i /tmp/portal-messages.pot -d portal/translations -l en --no-fuzzy-matching

db: setup
	$(FLASK) db upgrade
	$(FLASK) content load content/
	$(FLASK) search rebuild

run: db
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production serving: gunicorn with gunicorn.conf.py (workers from the CPU count; `kill -HUP`
# the master for a graceful reload). Content is loaded with `flask content load`, not here.
serve: setup
	mkdir -p instance
	$(FLASK) db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py

test: setup
	$(BIN)/python -m pytest -q

test-pg: setup
	bash .ci/with-postgres $(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/search_bench.py

# gunicorn (4 workers) on PostgreSQL under 32 clients for 60 s while an editor publishes.
load-bench: setup
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/load_bench.py

clean:
	rm -rf $(VENV) instance .pytest_cache
