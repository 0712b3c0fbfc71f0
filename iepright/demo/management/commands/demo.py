"""`manage.py demo`: load the fictional demo household and print its login."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from iepright.accounts.models import User
from iepright.demo.load import DEMO_PASSWORD, load_demo
from iepright.demo.log import fill_demo_log


class Command(BaseCommand):
    help = "Load the fictional demo household (idempotent) and print the demo login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help="Password for new demo users."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo(password=options["password"])
        entries = fill_demo_log(result.child, User.objects.get(email=result.email))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo household ready ({result.created} records and {entries} log entries "
                "created).\n"
                f"  Log in at http://127.0.0.1:8000/login/\n"
                f"  Email:    {result.email}\n"
                f"  Password: {result.password}"
            )
        )
