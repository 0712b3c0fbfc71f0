"""Emails as subject / text / HTML templates rendered by one function (healthchecks style).

A message called `name` is built from three templates under `templates/emails/`:
`<name>-subject.txt`, `<name>-body.txt` and `<name>-body.html`. Every template gets `site_url`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def make_message(name: str, to: str, context: Mapping[str, Any]) -> EmailMultiAlternatives:
    """Return the email `name` for `to`, with a plain-text body and an HTML alternative."""
    ctx = {"site_url": settings.SITE_URL, **context}
    # A subject is one line: template whitespace and newlines collapse to single spaces.
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{name}-body.txt", ctx)
    html = render_to_string(f"emails/{name}-body.html", ctx)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def send(name: str, to: str, context: Mapping[str, Any]) -> None:
    """Render the email `name` and send it now."""
    make_message(name, to, context).send()
