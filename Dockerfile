# Production image: gunicorn serving perfeval, and the same image runs the background-task worker.
FROM python:3.11-slim-bookworm

# WeasyPrint's Pango, the CJK fonts (without them PDFs show empty boxes) and the HarfBuzz subsetter (without it
# a 10-page render takes ~16 s instead of ~0.8 s).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fontconfig \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=false STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY . .
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 perfeval && mkdir -p /data/media && chown -R perfeval /data
USER perfeval
EXPOSE 8000
CMD ["gunicorn", "perfeval.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
