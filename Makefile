# Two commands for a newcomer: `make demo` and `make test`. Everything else is installed by them.
PYTHON ?= python3
UV ?= $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
HOST ?= 127.0.0.1
PORT ?= 8000
SEED ?= 1
export PYTHONUNBUFFERED := 1

.PHONY: bootstrap sync demo migrate seed test lint typecheck contracts e2e messages messages-update clean

bootstrap:
	@$(UV) --version >/dev/null 2>&1 || { echo "Installing uv with pip…"; \
	  $(PYTHON) -m pip install --quiet uv || $(PYTHON) -m pip install --quiet --user uv \
	  || $(PYTHON) -m pip install --quiet --user --break-system-packages uv; }

sync: bootstrap
	$(UV) sync --locked

migrate: messages
	$(UV) run python manage.py migrate --noinput

seed: migrate
	$(UV) run aspa seed-demo --seed $(SEED)

demo: seed
	$(UV) run python manage.py collectstatic --noinput -v0
	@echo "Serving Aspa on http://$(HOST):$(PORT)/ (Ctrl+C stops)"
	$(UV) run python manage.py runserver $(HOST):$(PORT)

lint: sync
	$(UV) run ruff check .

typecheck: sync
	$(UV) run mypy src config

contracts: sync
	$(UV) run lint-imports

messages: sync
	$(UV) run python -m aspa.core.i18n_tools compile

# After adding strings: extract them into locale/fi, translate, then `make messages`.
messages-update: sync
	$(UV) run python manage.py makemessages -l fi --add-location=file -i "var/*"
	$(UV) run python -m aspa.core.i18n_tools check || true

test: messages
	$(UV) run ruff check .
	$(UV) run lint-imports
	$(UV) run mypy src config
	$(UV) run python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(UV) run pytest

e2e: sync
	$(UV) run pytest -m e2e tests/e2e

clean:
	rm -rf var/ .pytest_cache .mypy_cache .ruff_cache
