FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY marketplace ./marketplace
COPY green_venue ./green_venue
COPY vouchers ./vouchers
COPY merchants ./merchants
COPY carbon ./carbon
RUN pip install .

COPY . .
RUN useradd --create-home app && mkdir -p /app/media /app/staticfiles && chown -R app /app
USER app
# Static files are collected with a throwaway key: no secret is baked into the image.
RUN DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "marketplace.wsgi"]
