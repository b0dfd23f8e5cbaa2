from greenmine.cli import main

main()
