# The container and Kubernetes manifests (deploy/). No container engine runs in CI, so
# `make test` lints the Dockerfile (hadolint from PyPI) and validates the manifests offline
# (kubernetes-validate ships the schemas); tests/test_deploy.py runs the image's start command.

.PHONY: lint-deploy

lint-deploy: $(TEST_STAMP)
	$(BIN)/hadolint deploy/Dockerfile
	$(BIN)/kubernetes-validate --strict --quiet deploy/k8s/*.yaml

test: lint-deploy
