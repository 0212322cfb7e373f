"""``python -m medlint``: the same as the ``medlint`` command."""
from .entry import main

if __name__ == "__main__":
    main()
