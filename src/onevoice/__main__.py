"""`python -m onevoice`: the command line, for when its script is not on the PATH."""

from onevoice.cli import main

main()
