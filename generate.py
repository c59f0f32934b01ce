"""Entry point: `python generate.py --help`."""

import sys

try:
    from baocao.cli.main import main
except KeyboardInterrupt:  # Ctrl+C while the libraries load: nothing was written yet
    sys.stderr.write("Đã dừng theo yêu cầu (Ctrl+C); không tệp nào bị ghi dở.\n")
    sys.exit(130)

if __name__ == "__main__":
    main()
