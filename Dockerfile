# Production image: Debian 12 (same GDAL/GEOS/PROJ as the development machines).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgdal32 libgeos-c1v5 libproj25 gdal-bin npm postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir . || true
COPY . .
RUN pip install --no-cache-dir -e . \
 && if [ -f package.json ]; then npm ci --no-audit --no-fund && python scripts/vendor.py; fi \
 && DEBUG=true python manage.py collectstatic --noinput -v 0
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_territorio && gunicorn remix.wsgi --bind 0.0.0.0:8000 --workers 3"]
