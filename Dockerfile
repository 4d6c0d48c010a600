# Production image: Debian 12 (same GDAL/GEOS/PROJ as the development machines).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# GDAL/GEOS/PROJ for GeoDjango and pyogrio; Pango/HarfBuzz and a font for the Atlas PDFs
# (WeasyPrint); npm to vendor the front-end packages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgdal32 libgeos-c1v5 libproj25 gdal-bin \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
      npm postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -e . \
 && npm ci --no-audit --no-fund && python scripts/vendor.py && rm -rf node_modules \
 && DEBUG=true python manage.py collectstatic --noinput -v 0
EXPOSE 8000
CMD ["scripts/docker-start.sh"]
