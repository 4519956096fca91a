"""The `zhijia` console command: Django's manage.py under the project's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijia.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhijia", *sys.argv[1:]])


if __name__ == "__main__":
    main()
