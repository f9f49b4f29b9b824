#!/usr/bin/env bash
# Checks docker/ without a Docker engine (none runs on the CI machines, so `docker build` is not
# run): the Dockerfile with dockerfile-utils' linter (npm, when npx is present), compose.yaml
# parsed and its services checked against the entrypoint's roles, the entrypoint's syntax. The
# entrypoint's steps themselves run in build/scale-out.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

bash -n docker/entrypoint.sh
python3 - <<'PY'
import re, sys, yaml
compose = yaml.safe_load(open("docker/compose.yaml"))
roles = set(re.findall(r"^([a-z-]+)\)", open("docker/entrypoint.sh").read(), re.M))
problems = []
for name, service in compose["services"].items():
    for role in service.get("command", []):
        if role not in roles:
            problems.append(f"service {name}: the entrypoint has no role {role!r} (it has {sorted(roles)})")
    for dep in service.get("depends_on", {}):
        if dep not in compose["services"]:
            problems.append(f"service {name} depends on {dep!r}, which is not a service")
if problems:
    sys.exit("\n".join(problems))
print(f"lint-docker: compose.yaml: {len(compose['services'])} services, roles {sorted(roles)}")
PY
if command -v npx >/dev/null 2>&1; then
	npx --yes dockerfile-utils@0.16.3 lint docker/Dockerfile
	echo "lint-docker: docker/Dockerfile passes dockerfile-utils"
else
	echo "lint-docker: npx is not installed: the Dockerfile was not linted"
fi
