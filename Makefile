# Two commands: `make demo` and `make test`. Everything else is a step they call.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo runs as production would (DEBUG off) with a key kept in var/.
DEMO_ENV := DEBUG=0 SECRET_KEY_FILE=var/secret_key ALLOWED_HOSTS=127.0.0.1,localhost

.PHONY: demo test install serve messages lint node clean totp topology topology-down

$(BIN)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(BIN)/.installed

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Compiles the catalogues where GNU gettext is installed; the compiled .mo
# files are committed too, so a machine with only Python still has them.
messages: install
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(MANAGE) compilemessages -v0 --ignore=.venv; fi

demo: install var/secret_key messages
	$(DEMO_ENV) $(MANAGE) migrate -v0
	$(DEMO_ENV) $(MANAGE) load_demo
	$(DEMO_ENV) $(MANAGE) collectstatic --noinput -v0
	@$(DEMO_ENV) $(MANAGE) demo_logins --base-url http://$(HOST):$(PORT)/
	@echo "Serving the demo at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@# Unpaid reservations are released every minute beside the server (with a broker,
	@# Celery beat does it: docs/adr/0009); the trap stops the loop with the server.
	@# One ASGI process serves the pages and the live sockets (/ws/): without Redis the
	@# channel layer is in memory and reaches only the sockets of its own process.
	@# asginl is granian's ASGI without the lifespan protocol, which Channels' router lacks.
	$(DEMO_ENV) $(MANAGE) expire_reservations --every 60 & expirer=$$!; \
	trap 'kill $$expirer 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/granian --interface asginl --host $(HOST) --port $(PORT) --workers 1 gelar.asgi:application

# The production topology on 127.0.0.1: nginx, two page processes, one for live sockets,
# PostgreSQL (its own cluster, port 5433), Redis (6380), a Celery worker and beat
# (bench/topology.sh; docs/deploy.md). `bench/topology.sh status` shows each part.
topology: install messages
	bench/topology.sh up

topology-down:
	bench/topology.sh down

# The demo organizer admin's current two-factor code.
totp: install
	@$(DEMO_ENV) $(MANAGE) demo_totp

# axe-core for the accessibility checks of the browser tests (package-lock.json pins it).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped (they fail under CI)"; fi

node: node_modules/.installed

test: install messages node
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var node_modules
