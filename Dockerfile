# airgraph, with its Neo4j driver, as a container: `docker compose up` runs it against Neo4j.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 AIRGRAPH_HOME=/data
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install ".[all]" && useradd --create-home airgraph && mkdir -p /data \
    && chown airgraph /data && su airgraph -c "AIRGRAPH_HOME=/data python -m airgraph.graph.kernels"
USER airgraph
VOLUME ["/data"]
ENTRYPOINT ["airgraph"]
CMD ["--help"]
