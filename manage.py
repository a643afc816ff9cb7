#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenplan.settings")
    from samenplan import localenv

    localenv.load()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
