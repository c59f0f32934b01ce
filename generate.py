"""Entry point: `python generate.py --help`."""

from baocao.cli import main

if __name__ == "__main__":
    main()
