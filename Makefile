# KeepItOn wikibot — the two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PWB := $(VENV)/bin/pwb
export DEVWIKI_PORT ?= 8181

.PHONY: help venv devwiki devwiki-en devwiki-ar devwiki-stop devwiki-reset templates demo test lint unit integration bench soak screenshot browser clean

help:
	@echo "make demo    - dev wiki + templates + sync of the sample data; prints the page URLs"
	@echo "make test    - lint, unit tests, integration tests on the dev wiki"
	@echo "make devwiki | devwiki-stop | devwiki-reset | bench"
	@echo "make soak [SEED=1] [CYCLES=20] [YEARS=2023-2025|all] [NO_COLD=1] - seeded cycles of source changes, editors and faults on a dev wiki of its own (port 8190), every invariant checked"

$(VENV)/.installed: setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "make: Python >= 3.11 is needed (found $$($(PYTHON) --version))"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "make: could not create $(VENV); install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

venv: $(VENV)/.installed

devwiki:
	@$(PYTHON) -m wikibot.dev.devwiki start

devwiki-en:
	@$(PYTHON) -m wikibot.dev.devwiki start --dir .devwiki-en --lang en --port $${DEVWIKI_EN_PORT:-8182}

devwiki-ar:
	@$(PYTHON) -m wikibot.dev.devwiki start --dir .devwiki-ar --lang ar --port $${DEVWIKI_AR_PORT:-8183}

devwiki-stop:
	@$(PYTHON) -m wikibot.dev.devwiki stop
	@$(PYTHON) -m wikibot.dev.devwiki stop --dir .devwiki-en
	@$(PYTHON) -m wikibot.dev.devwiki stop --dir .devwiki-ar

devwiki-reset:
	@$(PYTHON) -m wikibot.dev.devwiki reset

templates: venv devwiki
	$(PWB) install_templates -always

demo: venv devwiki
	@$(PY) -m wikibot.dev.demo

LINTED := wikibot scripts tests $(wildcard benchmarks/*.py)

lint: venv
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy

# Unit tests alone must cover 90 % of the modules that do not import pywikibot (the shell and the
# dev wiki tooling aside): the pure core is proven without a wiki.
PURE_OMIT := wikibot/bot.py,wikibot/commands.py,wikibot/dev/*,wikibot/families/*

unit: venv
	@rm -f .coverage .coverage.*
	$(VENV)/bin/coverage run -m pytest -q -m "not wiki"
	@$(VENV)/bin/coverage combine -q
	$(VENV)/bin/coverage report --include='wikibot/*' --omit='$(PURE_OMIT)' --skip-covered --fail-under=90

# Debian's Chromium for the browser test and make screenshot (root, or sudo without a password).
browser:
	@command -v chromium >/dev/null || { echo "installing chromium (apt-get)"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo -n ) apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { $$( [ "$$(id -u)" = 0 ] || echo sudo -n ) apt-get update -q >/dev/null 2>&1 && \
	    $$( [ "$$(id -u)" = 0 ] || echo sudo -n ) apt-get install -y -q chromium >/dev/null 2>&1; } || \
	  echo "make: could not install chromium; the browser test will be skipped"; }

# The command layer (the scripts, their bodies, the pywikibot shell) is measured in the integration
# tests, where every `pwb` they run records its coverage (a .pth file starts coverage in each
# Python process that has COVERAGE_PROCESS_START set).
COMMAND_LAYER := scripts/*,wikibot/commands.py,wikibot/cli.py,wikibot/bot.py

integration: venv devwiki browser
	@$(PY) -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()['purelib'], 'coverage-subprocess.pth').write_text(\"import os; os.environ.get('COVERAGE_PROCESS_START') and __import__('coverage').process_startup()\\n\")"
	COVERAGE_PROCESS_START=$(CURDIR)/pyproject.toml $(VENV)/bin/coverage run -m pytest -q -m wiki
	@$(VENV)/bin/coverage combine -q --append
	$(VENV)/bin/coverage report --include='$(COMMAND_LAYER)' --fail-under=80

screenshot: venv devwiki devwiki-en devwiki-ar browser
	@$(PY) -m tests.screenshot

# pytest exits 5 when it ran no test: make treats that as the failure it is.
test: lint unit integration

bench: venv devwiki
	$(PY) -m benchmarks.run

# The soak (not part of make test): months of cron on its own dev wiki (.devwiki-soak/, port 8190),
# the real combined sheet changing, editors at work, faults; logs in soak-results/, a summary in the
# README between its soak markers. Exit 1 when an invariant broke. Replay a run with its SEED.
SEED ?= 1
CYCLES ?= 20
YEARS ?=
NO_COLD ?=
soak: venv
	$(PY) -m tests.soak --seed $(SEED) --cycles $(CYCLES) $(if $(YEARS),--years $(YEARS)) $(if $(NO_COLD),--no-cold)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
