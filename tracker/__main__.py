"""Run the command line as `python -m tracker`."""

from tracker.cli_main import main

if __name__ == "__main__":
    main()
