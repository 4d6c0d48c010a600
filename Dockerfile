# Production image: Debian 12 (same GDAL/GEOS/PROJ as the development machines), in two stages.

# 1. The front-end packages, pinned in package-lock.json, copied into static files. npm stays
#    in this stage: the runtime image has no Node.js.
FROM python:3.11-slim-bookworm AS vendor
RUN apt-get update \
 && apt-get install -y --no-install-recommends npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/vendor.py scripts/vendor.py
RUN npm ci --no-audit --no-fund && python scripts/vendor.py

# 2. The application: Python packages from the lock (hashes checked), run as a non-root user.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# GDAL/GEOS/PROJ for GeoDjango and pyogrio; Pango/HarfBuzz and a font for the Atlas PDFs
# (WeasyPrint); the PostgreSQL client for operators.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgdal32 libgeos-c1v5 libproj25 gdal-bin \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system remix \
 && useradd --system --gid remix --home-dir /app --no-create-home --shell /usr/sbin/nologin remix
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt
COPY . .
COPY --from=vendor /src/frontend/static/vendor frontend/static/vendor
# Static files are collected at build time; var/ (media, caches) is the only place the app
# writes, and the only one its user owns.
RUN DEBUG=true python manage.py collectstatic --noinput -v 0 \
 && mkdir -p var/media var/cache \
 && chown -R remix:remix var
USER remix
EXPOSE 8000
CMD ["scripts/docker-start.sh"]
