#!/usr/bin/env bash
# Checks the committed web/dist/playground against a build of these sources (see ../check-dist.sh).
exec "$(dirname "$0")/../check-dist.sh" playground
