# Zhijia: two commands for a new user.
#   make demo  installs everything and serves the Beijing demo city at http://127.0.0.1:8000
#   make test  installs what the tests need and runs the whole suite (and on PostgreSQL when DATABASE_URL is set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ZHIJIA := $(BIN)/zhijia
VENDOR := src/zhijia/static/vendor

.PHONY: demo install install-test vendor test check lint types imports migrations-check bench clean messages

demo: install
	$(ZHIJIA) migrate --noinput
	$(ZHIJIA) demo
	$(ZHIJIA) serve 127.0.0.1:8000

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

$(VENDOR)/.copied: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js node_modules/jsqr/dist/jsQR.js $(VENDOR)/
	mkdir -p $(VENDOR)/fonts
	cp node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf $(VENDOR)/fonts/NotoSansSC-Regular.ttf
	touch $@

vendor: $(VENDOR)/.copied

install: $(VENV)/.installed vendor

install-test: $(VENV)/.installed-test vendor

test: install-test
	bash scripts/test.sh

check: install-test
	bash scripts/check.sh

bench: install-test
	$(BIN)/python -m bench

# Translations: the source strings are Chinese; English is src/zhijia/locale/en/LC_MESSAGES/django.po.
# After changing a translatable string, run `make messages`, fill in every new msgstr (no fuzzy entries), run it
# again to compile, and commit both django.po and django.mo (the test suite checks the .mo matches the .po).
messages: install-test
	cd src/zhijia && ../../$(ZHIJIA) makemessages -l en --no-obsolete && ../../$(ZHIJIA) compilemessages

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
