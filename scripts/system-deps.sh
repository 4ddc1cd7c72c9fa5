#!/usr/bin/env bash
# Install the system libraries WeasyPrint needs (Pango, HarfBuzz, fonts), PostgreSQL's server
# (for the tests of a corpus in PostgreSQL) and LibreOffice Writer, with which the tests open
# the Word files `report audit --annotate` writes as a user's office suite would (about a
# minute to install, without recommends), when missing.
# Idempotent and quiet when everything is present; uses apt-get on Debian/Ubuntu.
# With --bench: also ripgrep and pandoc, baselines of benchmarks/run.py (`make bench`; `make test`
# never needs it).
set -euo pipefail

missing=()
if [[ ${1:-} == --bench ]]; then
    command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
    command -v pandoc >/dev/null 2>&1 || missing+=(pandoc)  # the build's baseline
fi
ldconfig -p | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0)
ldconfig -p | grep -q 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset.so' || missing+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi 'DejaVu Serif' || missing+=(fonts-dejavu-core fonts-dejavu-extra fontconfig)
# The PDF brief's typefaces (TeX Gyre Pagella and Heros); it falls back to DejaVu without them.
fc-list 2>/dev/null | grep -qi 'TeX Gyre Pagella' || missing+=(fonts-texgyre)
# PostgreSQL's server (its pg_trgm extension is in the same package on Debian 12): the tests
# of a corpus in a database start a throwaway server of their own (tests/pgserver.py).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null \
    || missing+=(postgresql)

office=()
command -v soffice >/dev/null 2>&1 || office+=(libreoffice-writer-nogui)

if ((${#missing[@]} + ${#office[@]})); then
    echo "installing system packages: ${missing[*]} ${office[*]}"
    if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    if ((${#missing[@]})); then
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if ((${#office[@]})); then
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
            "${office[@]}" >/dev/null
    fi
fi
