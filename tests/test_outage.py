"""A database that refuses connections (nothing listens on port 1), in a real process: the patient's post
comes back as a 503 page with every field kept, in the patient's language; the API answers JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys

CODE = """
import django, json
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
post = client.post('/es/testimonials/new/', {'body': 'Mi rodilla <b>funciona</b> otra vez', 'first_name': 'Rosa',
                                              'email': 'rosa@example.com', 'rating': '5', 'consent': 'on'})
api = client.get('/api/v1/testimonials/')
print(json.dumps({'post': [post.status_code, post.content.decode(), post.get('Retry-After')],
                  'api': [api.status_code, api['Content-Type'], api.content.decode()]}))
"""


def test_a_refused_database_gives_kind_503s_with_the_patients_input_kept():
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
           "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ALLOWED_HOSTS": "testserver", "REDIS_URL": "",
           "STATIC_MANIFEST": "0"}
    result = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True, timeout=120)
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    status, page, retry_after = answers["post"]
    assert (status, retry_after) == (503, "30")
    assert "No pudimos guardar su testimonio" in page and 'lang="es"' in page
    assert "Mi rodilla &lt;b&gt;funciona&lt;/b&gt; otra vez</textarea>" in page
    assert 'name="first_name" value="Rosa"' in page and 'name="email" value="rosa@example.com"' in page
    status, content_type, body = answers["api"]
    assert (status, content_type) == (503, "application/json")
    assert json.loads(body) == {"detail": "The service is briefly unavailable. Please try again in a minute."}
