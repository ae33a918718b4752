# Two entry points (see README): `make run` and `make test`.
# torch is installed first and pinned: its CPU wheel is on the machine, and an
# unpinned torch would pull several GB of CUDA packages.

VENV   ?= .venv
PY     := $(VENV)/bin/python
REGKG  := $(VENV)/bin/regkg
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: install run test build validate bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

run: install
	$(REGKG) build
	$(REGKG) serve

test: install
	$(PY) -m pytest

validate: install
	$(REGKG) validate

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) .regkg
