"""``python -m dyadwatch.cli``: the ``dyadwatch`` command, for a subprocess that must use
this interpreter (``serve --update-every`` starts ``update`` this way)."""

from dyadwatch.cli.app import main

main()
