from mivcode.cli import main

main()
