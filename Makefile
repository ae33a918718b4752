# Two entry points (see README): `make run` and `make test`.
# torch is installed first and pinned: its CPU wheel is on the machine, and an
# unpinned torch would pull several GB of CUDA packages.

VENV   ?= .venv
PY     := $(VENV)/bin/python
REGKG  := $(VENV)/bin/regkg
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: install system-deps run test build validate bench clean

# Debian packages the tests use: Chromium and its driver (end-to-end browser test),
# Virtuoso (the remote-store tests start their own server on 127.0.0.1), a Japanese font
# (IPA Gothic) so the browser tests' screenshots show Japanese text, not boxes.
SYSTEM_PACKAGES := chromium chromium-driver virtuoso-opensource fonts-ipafont-gothic

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

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

test: install system-deps
	$(PY) -m pytest

validate: install
	$(REGKG) validate

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) .regkg
